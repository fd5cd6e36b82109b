import { createRandom, interval, type RetentionPolicy, random, sirllm, streamingLLM } from '@sirllm/core';
import { markdownTable, medianMilliseconds, quickNote } from './measure.js';

const sizes = [1_000, 8_000, 32_000, 128_000];

/**
 * Repeats per measurement (the median is reported), full and quick. Both warm up for 100 ms: a shorter
 * warm-up leaves the small ledgers timed before the JIT has optimised `select` (×5 slower, wrong growth).
 */
const settings = {
  full: { smallRepeats: 21, largeRepeats: 9 },
  quick: { smallRepeats: 7, largeRepeats: 5 },
};

/**
 * Times one eviction decision (`policy.select`) on a full ledger of n tokens with random scores that
 * must make room for n/8 incoming tokens, for each built-in policy and ledger size. `quick`: the same
 * sizes with fewer repeats.
 */
export function benchmarkPolicies({ quick = false } = {}): string {
  const { smallRepeats, largeRepeats } = quick ? settings.quick : settings.full;
  const policies: [string, RetentionPolicy][] = [
    ['sirllm', sirllm({ decay: 0.9 })],
    ['streamingLLM', streamingLLM()],
    ['random', random({ seed: 1 })],
    ['interval', interval()],
  ];
  const generator = createRandom(2024);
  const rows: string[][] = [];
  const sirllmTimes: number[] = [];
  for (const size of sizes) {
    const scores = new Float64Array(size);
    for (let i = 0; i < size; i++) scores[i] = generator.next() * 12;
    const ledger = { length: size, scores };
    const request = { capacity: size, incoming: size / 8 };
    const cells = policies.map(([name, policy]) => {
      const milliseconds = medianMilliseconds(() => policy.select(ledger, request), {
        repeats: size > 32_000 ? largeRepeats : smallRepeats,
      });
      if (name === 'sirllm') sirllmTimes.push(milliseconds);
      return `${milliseconds.toFixed(3)} ms (${((milliseconds * 1e6) / size).toFixed(1)} ns/token)`;
    });
    rows.push([size.toLocaleString('en-US'), ...cells]);
  }
  const growth = sizes
    .slice(1)
    .map(
      (size, i) =>
        `${sizes[i]}→${size}: ×${((sirllmTimes[i + 1] as number) / (sirllmTimes[i] as number)).toFixed(2)} time for ×${size / (sizes[i] as number)} tokens`,
    );
  return [
    `## Policy selection time (median of repeated \`select\` calls, ledger full, n/8 incoming)${quick ? ' — quick' : ''}`,
    '',
    ...(quick
      ? [
          quickNote(
            `median of ${smallRepeats} (${largeRepeats} above 32k tokens) calls instead of ${settings.full.smallRepeats} (${settings.full.largeRepeats})`,
          ),
          '',
        ]
      : []),
    markdownTable(['ledger tokens', ...policies.map(([name]) => name)], rows),
    '',
    `sirllm growth: ${growth.join('; ')}`,
  ].join('\n');
}
