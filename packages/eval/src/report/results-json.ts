import type { EvaluationSummary } from './summarize-results.js';

/** The summary as JSON (`results.json`): config, model, per-policy metrics and per-run metrics. Rates are 0–1. */
export function resultsJson(summary: EvaluationSummary): string {
  return `${JSON.stringify({ format: 'sirllm-eval-results', version: 1, ...summary }, null, 2)}\n`;
}
