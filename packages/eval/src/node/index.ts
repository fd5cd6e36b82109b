// @sirllm/eval/node: reading the task data in place and keeping results folders (Node, Bun, Deno).
export { readTaskEpisodes } from './read-task-data.js';
export { openResultsFolder, type ResultsFolder, writeReports } from './results-folder.js';
