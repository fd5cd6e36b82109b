import { type IngestResult, InvalidOptionError, type MemorySession } from '@sirllm/core';
import type { PromptFormatName } from '../prompt/prompt-format.js';
import type { TaskQuestion } from '../tasks/task-question.js';
import {
  type ChoiceRule,
  chooseOption,
  type Decision,
  decisionOf,
  type LikelihoodKind,
  type OptionScore,
} from './choose-option.js';
import { encodeQuestion } from './encode-question.js';
import { isGreedyMatch } from './greedy-match.js';

/**
 * What the harness scores: `letter` — the option label (" A"), the paper's protocol; `cloze` — the
 * option text itself (" Some what ?"), ranked by the whole continuation's log-likelihood, which a
 * small model can do better than a letter.
 */
export type ScoringMode = 'letter' | 'cloze';

/** Every scoring mode, for validation and help texts. */
export const scoringModes: readonly ScoringMode[] = ['letter', 'cloze'];

/** Options of {@link askQuestion}. */
export interface AskQuestionOptions {
  /** How the question is wrapped for the model. */
  readonly format: PromptFormatName;
  /** What is scored: the option's label or its text. */
  readonly scoring: ScoringMode;
  /** How the option is chosen from the scores. */
  readonly rule: ChoiceRule;
  /** Cancels the question. */
  readonly signal?: AbortSignal;
  /** Called with each ingest's result (the context, then the chosen option), e.g. to collect surprisal. */
  readonly onIngested?: (result: IngestResult) => void;
}

/** What happened on one question. */
export interface QuestionOutcome {
  /** The question's id. */
  readonly id: string;
  /** What the question is for. */
  readonly kind: TaskQuestion['kind'];
  /** Index of the option the model picked (and that stays in memory). */
  readonly chosen: number;
  /** Index of the gold option. */
  readonly gold: number;
  /** Rock-Paper-Scissors: index of the user's move. */
  readonly userMove?: number;
  /** Every option's scores, in option order. */
  readonly options: readonly OptionScore[];
  /** What decided the choice; `tie` means the first of several equally likely options was taken. */
  readonly decidedBy: Decision;
  /** Tokens of the context fed this turn. */
  readonly contextTokens: number;
  /** Tokens of the chosen continuation fed this turn. */
  readonly continuationTokens: number;
  /** Resident tokens after the turn. */
  readonly resident: number;
}

/**
 * One question as one dialogue turn of `session`, as the reference code runs it: make room for the
 * context and the longest continuation and decay (`beginTurn`), feed the context, score every option as
 * a continuation and roll back, pick one, then feed the **chosen** option so it stays in memory with its
 * scores. Options are neither recorded in the ledger nor decayed while being scored.
 */
export async function askQuestion(
  session: MemorySession,
  question: TaskQuestion,
  options: AskQuestionOptions,
): Promise<QuestionOutcome> {
  const continuations =
    options.scoring === 'letter'
      ? question.letterContinuations
      : question.optionTexts.map((text) => (question.kind === 'grocery-key' ? 'OK' : text.trim()));
  if (continuations.length === 0) {
    throw new InvalidOptionError({
      option: 'question.options',
      value: question.id,
      expected: 'at least one option',
    });
  }
  const { backend } = session;
  const encoded = encodeQuestion(backend, options.format, question.text, continuations);
  const longest = encoded.continuations.reduce((most, tokens) => Math.max(most, tokens.length), 0);
  await session.beginTurn({ incoming: encoded.context.length + longest });
  // Not `onIngested?.(await …)`: an optional call skips evaluating its arguments when absent.
  const context = await session.ingest(encoded.context, { role: 'user', signal: options.signal });
  options.onIngested?.(context);
  const scored = await session.score(encoded.continuations, { argmax: true, signal: options.signal });
  const optionScores: OptionScore[] = scored.map((score) => {
    let logLikelihood = 0;
    for (const value of score.surprisal) logLikelihood -= value;
    return {
      firstTokenLogLikelihood:
        score.surprisal.length > 0 ? -(score.surprisal[0] as number) : Number.NEGATIVE_INFINITY,
      logLikelihood,
      greedyMatch: isGreedyMatch((tokens) => backend.detokenize(tokens), score.greedy ?? [], score.tokens),
    };
  });
  const likelihood: LikelihoodKind = options.scoring === 'letter' ? 'first-token' : 'whole';
  const chosen = chooseOption(optionScores, options.rule, likelihood);
  const chosenTokens = encoded.continuations[chosen] ?? [];
  if (chosenTokens.length > 0) {
    const fed = await session.ingest(chosenTokens, { role: 'assistant', signal: options.signal });
    options.onIngested?.(fed);
  }
  return {
    id: question.id,
    kind: question.kind,
    chosen,
    gold: question.gold,
    ...(question.userMove === undefined ? {} : { userMove: question.userMove }),
    options: optionScores,
    decidedBy: decisionOf(optionScores, options.rule, likelihood),
    contextTokens: encoded.context.length,
    continuationTokens: chosenTokens.length,
    resident: session.ledger.length,
  };
}
