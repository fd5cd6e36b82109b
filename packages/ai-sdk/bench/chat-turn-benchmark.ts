import type { KVBackend } from '@sirllm/core';
import type { ModelMessage } from 'ai';
import { createSirLLM } from '../src/index.js';
import { markdownTable, mean } from './markdown-table.js';
import { maxOutputTokens, type TimedTurn, timedStreamTurn } from './timed-stream-turn.js';

const capacity = 512;
const fullCheckpoints = [10, 100, 300];
/** Quick: the last checkpoint is dropped (the chat runs 102 turns instead of 302). */
const quickCheckpoints = [10, 100];
/** Each checkpoint is the mean of turns t−window … t+window. */
const window = 2;
const sessionId = 'bench';

/** The user message of a turn (that of `sirllm bench --chat`). */
export const userTurn = (turn: number) =>
  `Turn ${turn}: note that item ${turn} costs ${(turn * 7) % 97} coins.`;

/** A table cell of the prompt tokens of some calls: mean evaluated, mean reused from the cache. */
const tokensCell = (turns: readonly TimedTurn[]) =>
  `${Math.round(mean(turns.map((turn) => turn.evaluated)))} new + ${Math.round(mean(turns.map((turn) => turn.cached)))} cached`;

/**
 * Turn latency of a long chat through the AI SDK's `streamText` on `@sirllm/ai-sdk`: (a) every call
 * names the same session (`providerOptions.sirllm.sessionId`), so only the new message is evaluated;
 * (b) the same turn's whole history on a provider called without a session id, so each call runs on a
 * fresh session and evaluates the whole history again (beyond the capacity, in chunks with eviction):
 * what a stateless local provider costs. Both providers run on their own backend from `makeBackend`.
 * (b) is measured at the checkpoint turns only, right after (a) has passed them.
 */
export async function benchmarkChatTurns({
  quick,
  name,
  makeBackend,
}: {
  quick: boolean;
  name: string;
  makeBackend: () => KVBackend | Promise<KVBackend>;
}): Promise<string> {
  const checkpoints = quick ? quickCheckpoints : fullCheckpoints;
  const withSession = createSirLLM({ backend: await makeBackend(), capacity, maxOutputTokens });
  const stateless = createSirLLM({ backend: await makeBackend(), capacity, maxOutputTokens });
  const history: ModelMessage[] = [];
  const sessionTurns = new Map<number, TimedTurn[]>();
  const statelessTurns = new Map<number, TimedTurn[]>();
  // One unmeasured stateless call first, so that neither provider's first call is timed cold.
  await timedStreamTurn(stateless, [{ role: 'user', content: userTurn(0) }]);
  const last = Math.max(...checkpoints) + window;
  for (let turn = 1; turn <= last; turn++) {
    history.push({ role: 'user', content: userTurn(turn) });
    const result = await timedStreamTurn(withSession, history, sessionId);
    history.push({ role: 'assistant', content: result.text });
    for (const checkpoint of checkpoints) {
      if (Math.abs(turn - checkpoint) <= window)
        sessionTurns.set(checkpoint, [...(sessionTurns.get(checkpoint) ?? []), result]);
    }
    const checkpoint = turn - window;
    if (!checkpoints.includes(checkpoint)) continue;
    const turns: TimedTurn[] = [];
    for (let measured = checkpoint - window; measured <= checkpoint + window; measured++) {
      // The history as the session call of turn `measured` saw it: up to and with its user message.
      turns.push(await timedStreamTurn(stateless, history.slice(0, 2 * (measured - 1) + 1)));
    }
    statelessTurns.set(checkpoint, turns);
  }
  const rows = checkpoints.map((checkpoint) => {
    const session = sessionTurns.get(checkpoint) ?? [];
    const baseline = statelessTurns.get(checkpoint) ?? [];
    const sessionTime = mean(session.map((turn) => turn.milliseconds));
    const baselineTime = mean(baseline.map((turn) => turn.milliseconds));
    return [
      String(checkpoint),
      `${sessionTime.toFixed(1)} ms`,
      `${baselineTime.toFixed(1)} ms`,
      `×${(baselineTime / sessionTime).toFixed(1)}`,
      tokensCell(session),
      tokensCell(baseline),
    ];
  });
  await withSession.dispose();
  await stateless.dispose();
  await withSession.sessions.backend.dispose();
  await stateless.sessions.backend.dispose();
  return [
    `## Chat turn latency through the AI SDK (\`streamText\`): SirLLM session vs stateless (whole history re-sent) (${name}, capacity ${capacity}, ${maxOutputTokens}-token replies, mean of turns t±${window})${quick ? ' — quick' : ''}`,
    '',
    ...(quick
      ? [
          `_Quick run (\`--quick\`): turns ${checkpoints.join(', ')} (${last} turns) instead of ${fullCheckpoints.join(', ')}; rougher figures._`,
          '',
        ]
      : []),
    markdownTable(
      [
        'turn',
        'SirLLM session',
        'stateless (whole history re-sent)',
        'speed-up',
        'evaluated (session)',
        'evaluated (stateless)',
      ],
      rows,
    ),
  ].join('\n');
}
