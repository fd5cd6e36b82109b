import { groceryEpisodes } from '../tasks/grocery.js';
import type { TaskEpisode } from '../tasks/task-question.js';

/** The first Grocery episode the bundled demo model never saw in training (it trained on 0–349). */
export const firstHeldOutGroceryEpisode = 350;

/** How many held-out Grocery episodes there are: 350–399, the ones the demo plays. */
export const heldOutGroceryEpisodeCount = 50;

/**
 * The held-out Grocery episodes 350, 351, … (at most `count`) from `keys.jsonl` text, picked by episode
 * number, so the held-out file shipped beside the demo model and a full data set both work. Stops before
 * the first one the text lacks: fewer than `count` episodes means episode
 * `firstHeldOutGroceryEpisode + result.length` is missing. A malformed line throws `InvalidOptionError`
 * (from {@link groceryEpisodes}).
 */
export function heldOutGroceryEpisodes(
  keysJsonlText: string,
  count = heldOutGroceryEpisodeCount,
): TaskEpisode[] {
  const byId = new Map(groceryEpisodes(keysJsonlText).map((episode) => [episode.id, episode]));
  const episodes: TaskEpisode[] = [];
  for (let number = firstHeldOutGroceryEpisode; number < firstHeldOutGroceryEpisode + count; number++) {
    const episode = byId.get(`episode-${number}`);
    if (episode === undefined) break;
    episodes.push(episode);
  }
  return episodes;
}
