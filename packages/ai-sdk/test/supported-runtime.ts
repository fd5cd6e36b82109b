/**
 * `ai` 7 declares Node ≥ 22 (Node 20 is past its end of life), and so does this package: its tests run
 * where the SDK is supported — Node 22+, Bun and Deno (both report a Node ≥ 22 compatibility version).
 * Under Node 20, CI's README pass, they are skipped.
 */
export const aiSdkSupported = Number(process.versions.node.split('.')[0]) >= 22;
