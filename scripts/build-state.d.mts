/** Why the workspace must be rebuilt before its built CLI can run, or undefined when the builds are fresh. */
export function staleReason(root: string): string | undefined;
