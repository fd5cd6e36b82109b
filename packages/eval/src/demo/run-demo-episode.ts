import { type KVBackend, MemorySession, type RetentionPolicy } from '@sirllm/core';
import { type MemoryView, memoryView } from '../inspect/memory-view.js';
import { askQuestion, type QuestionOutcome } from '../scoring/ask-question.js';
import { taskDefaults } from '../tasks/task-name.js';
import type { TaskEpisode } from '../tasks/task-question.js';

/** Options of {@link runDemoEpisode}. */
export interface RunDemoEpisodeOptions {
  /** The model. */
  readonly backend: KVBackend;
  /** The retention policy of the episode's fresh session. */
  readonly policy: RetentionPolicy;
  /** The session's cache capacity, in tokens (the demo gives both policies the same). */
  readonly capacity: number;
  /** Cancels the episode: the promise then rejects with `AbortedError`. */
  readonly signal?: AbortSignal;
}

/** How one policy did on one Grocery episode. */
export interface DemoEpisodeResult {
  /** The episode's id, e.g. `episode-350`. */
  readonly episode: string;
  /** The recall question was answered with the grocery. */
  readonly recalled: boolean;
  /**
   * The option chosen for each question, in the episode's order (the grocery turn, the CommonsenseQA
   * questions, the recall question last): what two runs of the same episode compare.
   */
  readonly answers: readonly number[];
  /** CommonsenseQA questions answered right, out of `commonsense`. */
  readonly commonsenseCorrect: number;
  /** CommonsenseQA questions asked. */
  readonly commonsense: number;
  /** What the cache held at the end of the episode (for the inspect view). */
  readonly view: MemoryView;
  /** Stream positions of the grocery's tokens in the request. */
  readonly itemPositions: readonly number[];
}

/**
 * Runs one Grocery episode through a fresh session the way the evaluation harness does (the backend's
 * chat template, option texts scored as continuations, the chosen answer kept in memory), and keeps the
 * memory view of the end of the episode. The session is disposed; the backend is not.
 */
export async function runDemoEpisode(
  episode: TaskEpisode,
  { backend, policy, capacity, signal }: RunDemoEpisodeOptions,
): Promise<DemoEpisodeResult> {
  const session = await MemorySession.create({ backend, capacity, policy });
  try {
    const surprisal: number[] = [];
    const outcomes: QuestionOutcome[] = [];
    let itemPositions: number[] = [];
    for (const question of episode.questions) {
      const before = surprisal.length;
      outcomes.push(
        await askQuestion(session, question, {
          format: 'chat-template',
          scoring: 'cloze',
          rule: taskDefaults.grocery.rule,
          ...(signal ? { signal } : {}),
          onIngested: (result) => surprisal.push(...result.surprisal),
        }),
      );
      if (question.kind === 'grocery-key') itemPositions = itemPositionsIn(session, before);
    }
    const commonsense = outcomes.filter((outcome) => outcome.kind === 'commonsense');
    const recall = outcomes.find((outcome) => outcome.kind === 'grocery-recall');
    return {
      episode: episode.id,
      recalled: recall !== undefined && recall.chosen === recall.gold,
      answers: outcomes.map((outcome) => outcome.chosen),
      commonsenseCorrect: commonsense.filter((outcome) => outcome.chosen === outcome.gold).length,
      commonsense: commonsense.length,
      view: memoryView(session, surprisal),
      itemPositions,
    };
  } finally {
    await session.dispose();
  }
}

/** Positions of the tokens between `[` and `]` in the request turn that starts at stream position `start`. */
function itemPositionsIn(session: MemorySession, start: number): number[] {
  const tokens = session.transcript.tokens();
  const positions: number[] = [];
  let inside = false;
  for (let position = start; position < tokens.length; position++) {
    const text = session.backend.detokenize([tokens[position] as number]);
    if (inside && text.includes(']')) break;
    if (inside) positions.push(position);
    if (text.includes('[')) inside = true;
  }
  return positions;
}
