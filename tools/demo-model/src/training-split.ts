/**
 * Which Grocery Shopping episodes the demo model may learn from. Episodes 350–399 are the held-out
 * evaluation set (the demo and the model card report on them); DailyDialog's test split and
 * `dailydialog.jsonl` are never read by these tools.
 */
export const firstHeldOutEpisode = 350;

/** True for a `keys.jsonl` episode number the training data may use. */
export function isTrainingEpisode(episodeNumber: number): boolean {
  return Number.isInteger(episodeNumber) && episodeNumber >= 0 && episodeNumber < firstHeldOutEpisode;
}
