import { AbortedError, MemorySession } from '@sirllm/core';
import { optionInteger, parseArguments } from '../arguments/parse-arguments.js';
import { UsageError } from '../arguments/usage-error.js';
import { userTurn } from '../inspect/run-conversation.js';
import { ChatTurns } from './chat-turns.js';
import type { CommandIo } from './command-io.js';
import { describeDropped, residentPositions } from './memory-statistics.js';
import { sessionFromArguments, sessionOptionSpecification, sessionOptionUsage } from './session-arguments.js';

export const chatUsage = `Usage: sirllm chat [options]

An interactive chat over a bounded cache. After every reply it shows the memory: resident / capacity,
tokens evicted so far, and the text the last eviction dropped. Type /quit (or end the input) to leave;
Ctrl-C stops the reply being written.

Options:
  --max-tokens <n>       longest reply (default 128)
${sessionOptionUsage.replace('%CAPACITY%', '256')}
  -h, --help             this text`;

/** `sirllm chat`. */
export async function runChatCommand(argumentsList: readonly string[], io: CommandIo): Promise<number> {
  const command = 'sirllm chat';
  const parsed = parseArguments(command, argumentsList, {
    ...sessionOptionSpecification,
    'max-tokens': { value: true },
  });
  if (parsed.options.has('help')) {
    io.out(chatUsage);
    return 0;
  }
  if (parsed.positionals.length > 0)
    throw new UsageError(command, `unexpected argument "${parsed.positionals[0]}"`);
  const readLine = io.readLine;
  if (readLine === undefined) throw new UsageError(command, 'needs an interactive input');
  const maxTokens = optionInteger(command, parsed, 'max-tokens', { minimum: 1, maximum: 8192 }) ?? 128;
  const { backend, policy, capacity } = await sessionFromArguments(command, parsed, 256);
  const session = await MemorySession.create({ backend, policy, capacity });
  const turns = backend.chatTemplate ? new ChatTurns(backend.chatTemplate) : undefined;
  io.error(`${backend.info.name} · policy ${policy.name} · capacity ${capacity}. Type /quit to leave.`);
  let controller: AbortController | undefined;
  const stop = io.onInterrupt(() => controller?.abort());
  try {
    for (let turn = 0; ; turn++) {
      const line = await readLine('you> ');
      if (line === undefined || line.trim() === '/quit') return 0;
      if (line.trim() === '') continue;
      const before = residentPositions(session);
      controller = new AbortController();
      // The model's own chat format where it has one (the bundled model, real GGUF/ONNX models); the
      // plain "USER:/ASSISTANT:" text format for testkit models.
      const input = turns
        ? backend.tokenize(turns.userTurn(line), { special: true })
        : backend.tokenize(`${turn === 0 ? '' : '\n'}${userTurn(line)}`);
      let reply = '';
      try {
        await session.beginTurn({ incoming: input.length });
        await session.ingest(input, { signal: controller.signal });
        await session.generate({
          maxTokens,
          stop: turns ? [] : ['\nUSER:'],
          sampling: { temperature: 0.7, seed: turn + 1 },
          signal: controller.signal,
          onToken: ({ text }) => {
            reply += text;
            io.textStream.write(text);
          },
        });
      } catch (error) {
        if (!AbortedError.isInstance(error)) throw error;
        io.textStream.write(' [stopped]');
      }
      const closing = turns?.reply(reply);
      if (closing) {
        const tokens = backend.tokenize(closing, { special: true });
        await session.ingest(tokens, { role: 'assistant' });
      }
      io.textStream.write('\n');
      const statistics = session.statistics;
      const dropped = describeDropped(session, before);
      io.error(
        `[memory ${statistics.resident}/${statistics.capacity} resident · ${statistics.evicted} evicted so far` +
          `${dropped ? ` · this turn dropped ${dropped}` : ''}]`,
      );
    }
  } finally {
    stop();
    io.closeInput?.();
    await session.dispose();
    await backend.dispose();
  }
}
