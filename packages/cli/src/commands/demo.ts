import { MemorySession, type RetentionPolicy, sirllm, streamingLLM } from '@sirllm/core';
import { createReferenceBackend } from '@sirllm/testkit';
import { markdownTable } from './measure.js';

const capacity = 192;
const fact = 'Remember this: my locker code is QX-7731-ZEBRA and my cat is called Mochi.';
const chatter = [
  'What is a good breakfast before a long walk?',
  'Tell me something about the weather in spring.',
  'How do I keep basil alive on a windowsill?',
  'Any tips for falling asleep earlier?',
  'What should I pack for a weekend by the sea?',
  'How long should tea steep?',
];

/**
 * Streams the same conversation through two sessions of equal capacity, one per policy, and reports
 * what each kept. Runs on a testkit model with random weights: it shows the memory mechanics, not
 * language; the bundled demo model replaces it once it exists.
 */
export async function runDemo(): Promise<string> {
  const lines = [
    '# sirllm demo',
    '',
    'Model: a testkit tiny Llama with seeded random weights (no download; the bundled demo model is not in',
    'this build yet). Its replies are gibberish: watch the memory, not the language.',
    `Cache: ${capacity} tokens for each policy. Turn 1 states a fact, then ${chatter.length * 4} turns of chatter.`,
    '',
  ];
  const rows: string[][] = [];
  const firstTurnViews: string[] = [];
  for (const [name, policy] of [
    ['sirllm (η = 1)', sirllm({ decay: 1 })],
    ['streamingLLM', streamingLLM()],
  ] as [string, RetentionPolicy][]) {
    const backend = createReferenceBackend({ model: { layers: 2, hiddenSize: 64, seed: 3 } });
    const session = await MemorySession.create({ backend, capacity, policy });
    await session.respond(fact, { maxTokens: 12, sampling: { temperature: 0.7, seed: 1 } });
    const factEnd = session.transcript.length;
    const factScores = new Map<number, number>();
    for (let i = 0; i < session.ledger.length; i++) factScores.set(i, session.ledger.scores[i] as number);
    for (let turn = 0; turn < chatter.length * 4; turn++) {
      await session.respond(chatter[turn % chatter.length] as string, {
        maxTokens: 12,
        sampling: { temperature: 0.7, seed: turn + 2 },
      });
    }
    const kept = new Set<number>();
    for (let i = 0; i < session.ledger.length; i++) {
      const position = session.ledger.streamPositions[i] as number;
      if (position < factEnd) kept.add(position);
    }
    const keptFirstTurnScore = [...kept].filter((p) => p > 0).map((p) => factScores.get(p) as number);
    const allFirstTurnScore = [...factScores.entries()].filter(([p]) => p > 0).map(([, score]) => score);
    const mean = (values: number[]) =>
      values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
    const statistics = session.statistics;
    rows.push([
      name,
      String(statistics.transcriptLength),
      String(statistics.resident),
      String(statistics.evicted),
      `${kept.size} of ${factEnd}`,
      `${mean(keptFirstTurnScore).toFixed(2)} (turn mean ${mean(allFirstTurnScore).toFixed(2)})`,
    ]);
    const view = session.transcript
      .tokens(0, factEnd)
      .map((token, position) => (kept.has(position) ? backend.detokenize([token]) : '·'))
      .join('');
    firstTurnViews.push(`${name}:\n  ${JSON.stringify(view)}`);
    await session.dispose();
  }
  lines.push(
    markdownTable(
      [
        'policy',
        'tokens seen',
        'resident',
        'evicted',
        'turn-1 tokens still resident',
        'their surprisal (nats)',
      ],
      rows,
    ),
    '',
    'Turn 1 as each cache holds it now (· = evicted):',
    ...firstTurnViews,
    '',
    'SirLLM keeps the 4 sink tokens and the tokens the model found most surprising; StreamingLLM keeps the',
    'sinks and only the newest tokens, so the first turn is gone.',
  );
  return lines.join('\n');
}
