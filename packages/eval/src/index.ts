// @sirllm/eval: the SirLLM paper's evaluation protocol. No `node:` imports here (file I/O lives in
// `@sirllm/eval/node`), so the protocol runs on Node, Bun, Deno and in browsers.

// The demo: held-out Grocery episodes played by SirLLM and StreamingLLM side by side
export { type DemoPolicy, demoPolicies } from './demo/demo-policies.js';
export {
  firstHeldOutGroceryEpisode,
  heldOutGroceryEpisodeCount,
  heldOutGroceryEpisodes,
} from './demo/held-out-episodes.js';
export {
  type DemoEpisodeResult,
  type RunDemoEpisodeOptions,
  runDemoEpisode,
} from './demo/run-demo-episode.js';
// The memory view: what a session kept of a conversation, as HTML and SVG
export { heatOf, type MemoryView, memoryView, type ViewToken, visibleText } from './inspect/memory-view.js';
export { memoryViewStyles, renderMemoryHtml } from './inspect/render-html.js';
export { renderMemoryPage } from './inspect/render-memory-page.js';
export { renderMemorySvg } from './inspect/render-svg.js';
// Metrics
export {
  computeMetrics,
  type EpisodeResult,
  type PlayerResult,
  type Rate,
  type TaskMetrics,
} from './metrics/task-metrics.js';
// Prompt formats
export {
  type PromptFormatName,
  type PromptTexts,
  promptFormatNames,
  renderPrompt,
  splitTrailingWhitespace,
} from './prompt/prompt-format.js';
// Reports
export { formatPercent } from './report/format-percent.js';
export { markdownReport, paperCell, table } from './report/markdown-report.js';
export { resultsJson } from './report/results-json.js';
export {
  type EvaluationSummary,
  meanMetrics,
  type PolicySummary,
  summarizeResults,
} from './report/summarize-results.js';
export { svgChart } from './report/svg-chart.js';
// Runs
export {
  type EvaluationConfig,
  type EvaluationConfigInput,
  type KeyValueCacheType,
  keyValueCacheTypes,
  resolveEvaluationConfig,
  resultsFolderName,
} from './run/evaluation-config.js';
export {
  createPolicy,
  type PolicyName,
  parsePolicyName,
  policyNames,
  policyTitle,
  policyTitles,
} from './run/policy-name.js';
export { MemoryResultStore, type ResultStore } from './run/result-store.js';
export { type RunEpisodeOptions, runEpisode } from './run/run-episode.js';
export {
  type EvaluationProgress,
  type EvaluationResults,
  type PolicyRun,
  policyRunsOf,
  type RunEvaluationOptions,
  runEvaluation,
} from './run/run-evaluation.js';
// Scoring
export {
  type AskQuestionOptions,
  askQuestion,
  type QuestionOutcome,
  type ScoringMode,
  scoringModes,
} from './scoring/ask-question.js';
export {
  type ChoiceRule,
  chooseOption,
  type LikelihoodKind,
  type OptionScore,
} from './scoring/choose-option.js';
export { type EncodedQuestion, encodeQuestion } from './scoring/encode-question.js';
export { isGreedyMatch } from './scoring/greedy-match.js';
// Tasks and their data formats
export { dailyDialogDefaultLimit, dailyDialogEpisodes } from './tasks/dailydialog.js';
export { groceryEpisodes } from './tasks/grocery.js';
export {
  type ChoiceRecord,
  parseJsonLines,
  questionWithChoices,
  readChoiceRecord,
} from './tasks/json-lines.js';
export {
  rockPaperScissorsDefaultLimit,
  rockPaperScissorsEpisode,
  rockPaperScissorsRoundText,
} from './tasks/rock-paper-scissors.js';
export { type TaskDefaults, type TaskName, taskDefaults, taskNames } from './tasks/task-name.js';
export type { QuestionKind, TaskEpisode, TaskQuestion } from './tasks/task-question.js';
