/** Why the workspace must be rebuilt before its built CLI can run, or undefined when the builds are fresh. */
export function staleReason(root: string): string | undefined;
/** Builds the workspace when `staleReason` gives a reason; the exit status (0: fresh or built). */
export function buildIfStale(root: string): number;
