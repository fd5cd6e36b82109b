import { type ChatMessage, InvalidOptionError } from '@sirllm/core';
import type { RecordedTurn } from './recorded-turn.js';

const magic = 'SIRLLMCV1\n';

/** The conversation's message record plus its session snapshot, as one byte string. */
export function encodeConversation(state: {
  messages: readonly ChatMessage[];
  boundaries: readonly number[];
  lastTurn?: RecordedTurn | undefined;
  session: Uint8Array;
}): Uint8Array {
  const record = {
    messages: state.messages,
    boundaries: state.boundaries,
    ...(state.lastTurn ? { lastTurn: state.lastTurn } : {}),
  };
  const header = new TextEncoder().encode(`${magic}${JSON.stringify(record)}\n`);
  const bytes = new Uint8Array(header.length + state.session.length);
  bytes.set(header);
  bytes.set(state.session, header.length);
  return bytes;
}

/** Parses what `encodeConversation` wrote; anything malformed throws `InvalidOptionError`. */
export function decodeConversation(bytes: Uint8Array): {
  messages: ChatMessage[];
  boundaries: number[];
  lastTurn?: RecordedTurn;
  session: Uint8Array;
} {
  const refuse = (reason: string): never => {
    throw new InvalidOptionError({
      option: 'saved session',
      value: bytes,
      expected: `a saved conversation, but ${reason}`,
    });
  };
  const prefix = new TextDecoder().decode(bytes.subarray(0, magic.length));
  if (prefix !== magic) refuse('its header is missing');
  const end = bytes.indexOf(10, magic.length);
  if (end < 0) refuse('it is truncated');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(magic.length, end)));
  } catch {
    refuse('its message record is not valid JSON');
  }
  const { messages, boundaries, lastTurn } = parsed as {
    messages?: unknown;
    boundaries?: unknown;
    lastTurn?: { requestId?: unknown; turn?: unknown };
  };
  const validMessages =
    Array.isArray(messages) &&
    messages.every(
      (message) =>
        typeof message?.content === 'string' &&
        ['system', 'user', 'assistant', 'tool'].includes(message?.role),
    );
  const validBoundaries =
    Array.isArray(boundaries) &&
    boundaries.length === (messages as unknown[]).length &&
    boundaries.every(
      (boundary, i) => Number.isInteger(boundary) && boundary >= (i === 0 ? 0 : boundaries[i - 1]),
    );
  const validLastTurn =
    lastTurn === undefined ||
    (typeof lastTurn?.requestId === 'string' && typeof lastTurn.turn === 'object' && lastTurn.turn !== null);
  if (!validMessages || !validBoundaries || !validLastTurn) refuse('its message record is malformed');
  return {
    messages: messages as ChatMessage[],
    boundaries: boundaries as number[],
    ...(lastTurn ? { lastTurn: lastTurn as RecordedTurn } : {}),
    session: bytes.slice(end + 1),
  };
}
