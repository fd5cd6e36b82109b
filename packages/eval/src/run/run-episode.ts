import { CapacityExceededError, type KVBackend, MemorySession, type RetentionPolicy } from '@sirllm/core';
import type { EpisodeResult } from '../metrics/task-metrics.js';
import type { PromptFormatName } from '../prompt/prompt-format.js';
import { askQuestion, type QuestionOutcome, type ScoringMode } from '../scoring/ask-question.js';
import type { ChoiceRule } from '../scoring/choose-option.js';
import type { TaskEpisode } from '../tasks/task-question.js';

/** Options of {@link runEpisode}. */
export interface RunEpisodeOptions {
  /** The loaded model. */
  readonly backend: KVBackend;
  /** The retention policy of the episode's session. */
  readonly policy: RetentionPolicy;
  /** KV cells of the episode's session. */
  readonly capacity: number;
  /** How questions are wrapped for the model. */
  readonly format: PromptFormatName;
  /** What is scored: the option's label or its text. */
  readonly scoring: ScoringMode;
  /** How the option is chosen from the scores. */
  readonly rule: ChoiceRule;
  /** Cancels the episode. */
  readonly signal?: AbortSignal;
  /** Called after every question. */
  readonly onQuestion?: (outcome: QuestionOutcome) => void;
}

/**
 * Runs one episode on a fresh session (the paper resets the cache and the scores per dialogue, per
 * grocery episode, and per RPS player). A policy that never evicts (`full`) and overflows marks the
 * episode `skipped` instead of failing the run.
 */
export async function runEpisode(episode: TaskEpisode, options: RunEpisodeOptions): Promise<EpisodeResult> {
  const session = await MemorySession.create({
    backend: options.backend,
    capacity: options.capacity,
    policy: options.policy,
  });
  const outcomes: QuestionOutcome[] = [];
  try {
    for (const question of episode.questions) {
      const outcome = await askQuestion(session, question, options);
      outcomes.push(outcome);
      options.onQuestion?.(outcome);
    }
    return { episode: episode.id, outcomes };
  } catch (error) {
    if (CapacityExceededError.isInstance(error) && !options.policy.evicts) {
      return { episode: episode.id, outcomes: [], skipped: `does not fit in ${options.capacity} cells` };
    }
    throw error;
  } finally {
    await session.dispose();
  }
}
