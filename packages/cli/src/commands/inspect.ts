import { readFileSync, writeFileSync } from 'node:fs';
import { MemorySession } from '@sirllm/core';
import { memoryView, renderMemoryPage, renderMemorySvg } from '@sirllm/eval';
import { optionInteger, optionText, parseArguments } from '../arguments/parse-arguments.js';
import { UsageError } from '../arguments/usage-error.js';
import { renderTerminal } from '../inspect/render-terminal.js';
import { runConversation, sampleConversation } from '../inspect/run-conversation.js';
import type { CommandIo } from './command-io.js';
import { sessionFromArguments, sessionOptionSpecification, sessionOptionUsage } from './session-arguments.js';

export const inspectUsage = `Usage: sirllm inspect [options]

Runs a short conversation through a bounded cache and shows every token: kept tokens on a background
from yellow (expected) to red (surprising), evicted tokens grey and struck through.

Options:
  --turns <file>         user turns, one per line (default: a built-in six-turn conversation)
  --max-tokens <n>       reply length per turn (default 16)
  --html <file>          also write a standalone HTML page
  --svg <file>           also write the same view as an SVG image
  --no-color, --color    plain text (evicted characters shown as ·) / colours even when not a terminal
${sessionOptionUsage.replace('%CAPACITY%', '96')}
  -h, --help             this text`;

/** `sirllm inspect`. */
export async function runInspectCommand(argumentsList: readonly string[], io: CommandIo): Promise<number> {
  const command = 'sirllm inspect';
  const parsed = parseArguments(command, argumentsList, {
    ...sessionOptionSpecification,
    turns: { value: true },
    'max-tokens': { value: true },
    html: { value: true },
    svg: { value: true },
    'no-color': {},
    color: {},
  });
  if (parsed.options.has('help')) {
    io.out(inspectUsage);
    return 0;
  }
  if (parsed.positionals.length > 0)
    throw new UsageError(command, `unexpected argument "${parsed.positionals[0]}"`);
  const turnsFile = optionText(parsed, 'turns');
  let turns = sampleConversation;
  if (turnsFile !== undefined) {
    try {
      turns = readFileSync(turnsFile, 'utf8')
        .split(/\r?\n/u)
        .filter((line) => line.trim() !== '');
    } catch (error) {
      throw new UsageError(
        command,
        `cannot read --turns ${turnsFile}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (turns.length === 0) throw new UsageError(command, `--turns ${turnsFile} holds no turns`);
  }
  const maxTokens = optionInteger(command, parsed, 'max-tokens', { minimum: 0, maximum: 4096 }) ?? 16;
  const { backend, policy, capacity } = await sessionFromArguments(command, parsed, 96);
  const session = await MemorySession.create({ backend, policy, capacity });
  const controller = new AbortController();
  const stop = io.onInterrupt(() => controller.abort());
  try {
    const surprisal = await runConversation(session, turns, { maxTokens, signal: controller.signal });
    const view = memoryView(session, surprisal);
    io.out(
      renderTerminal(view, {
        color: parsed.options.has('color') || (!parsed.options.has('no-color') && io.color),
      }),
    );
    const html = optionText(parsed, 'html');
    if (html !== undefined) {
      writeFileSync(html, renderMemoryPage(view));
      io.error(`Wrote ${html}`);
    }
    const svg = optionText(parsed, 'svg');
    if (svg !== undefined) {
      writeFileSync(svg, renderMemorySvg(view));
      io.error(`Wrote ${svg}`);
    }
    return 0;
  } finally {
    stop();
    await session.dispose();
    await backend.dispose();
  }
}
