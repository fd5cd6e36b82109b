import { MemorySession, type RetentionPolicy, sirllm, streamingLLM } from '@sirllm/core';
import { createReferenceBackend } from '@sirllm/testkit';
import { markdownTable, quickNote } from './measure.js';
import { timedBackend } from './timed-backend.js';

const fullTurns = 120;
/** Enough for ~30 turns that evict (the cache of 512 tokens is full after ~11 turns of ~47 tokens). */
const quickTurns = 40;
const capacity = 512;

/**
 * Runs the same scripted conversation through `MemorySession` on the reference backend and splits the
 * wall time into the backend's own compute (inside `append`/`retain`) and the engine's overhead
 * (policy selection, ledger, transcript, text streaming, bookkeeping). `quick`: fewer turns.
 */
export async function benchmarkEngine({ quick = false } = {}): Promise<string> {
  const turns = quick ? quickTurns : fullTurns;
  const rows: string[][] = [];
  for (const [name, policy] of [
    ['sirllm', sirllm({ decay: 0.9 })],
    ['streamingLLM', streamingLLM()],
  ] as [string, RetentionPolicy][]) {
    const clock = { milliseconds: 0, calls: 0 };
    const backend = timedBackend(
      createReferenceBackend({ model: { layers: 2, hiddenSize: 64, seed: 7 } }),
      clock,
    );
    const session = await MemorySession.create({ backend, capacity, policy });
    const start = performance.now();
    for (let turn = 0; turn < turns; turn++) {
      await session.respond(
        `Turn ${turn}: tell me something about the number ${turn * 37} and the weather.`,
        {
          maxTokens: 16,
          sampling: { temperature: 0.8, seed: turn },
        },
      );
    }
    const total = performance.now() - start;
    const overhead = total - clock.milliseconds;
    const { transcriptLength, evicted, evictions } = session.statistics;
    await session.dispose();
    rows.push([
      name,
      `${(total / turns).toFixed(2)} ms`,
      `${(clock.milliseconds / turns).toFixed(2)} ms`,
      `${(overhead / turns).toFixed(3)} ms`,
      `${((100 * overhead) / clock.milliseconds).toFixed(2)} %`,
      `${transcriptLength} / ${evicted} / ${evictions}`,
    ]);
  }
  return [
    `## Engine overhead per turn (reference backend, 2 layers × 64 wide, capacity ${capacity}, ${turns} turns)${quick ? ' — quick' : ''}`,
    '',
    ...(quick ? [quickNote(`${turns} turns instead of ${fullTurns}`), ''] : []),
    markdownTable(
      [
        'policy',
        'turn',
        'backend compute',
        'engine overhead',
        'overhead / compute',
        'tokens / evicted / evictions',
      ],
      rows,
    ),
  ].join('\n');
}
