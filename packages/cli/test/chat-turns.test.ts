import type { ChatMessage, ChatTemplate } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { ChatTurns } from '../src/commands/chat-turns.js';

/** A Phi-style format: every message closed by <|end|>; a reply opened by <|assistant|>. */
const phiLike: ChatTemplate = {
  name: 'phi-like',
  render: (messages, { addGenerationPrompt }) =>
    `<s>${messages.map((message) => `<|${message.role}|>${message.content}<|end|>`).join('')}${addGenerationPrompt ? '<|assistant|>' : ''}`,
};

describe('ChatTurns', () => {
  it('feeds exactly what a rendering of the whole conversation holds, turn by turn', () => {
    const turns = new ChatTurns(phiLike);
    const conversation: ChatMessage[] = [];
    let fed = '';
    for (const [question, answer] of [
      ['Buy cheese.', 'OK'],
      ['Where is milk kept?', 'fridge'],
      ['What was the grocery?', 'cheese'],
    ] as const) {
      const opening = turns.userTurn(question);
      fed += opening;
      fed += answer; // the model's reply, fed token by token by generate
      fed += turns.reply(answer);
      conversation.push({ role: 'user', content: question }, { role: 'assistant', content: answer });
      expect(fed).toBe(phiLike.render(conversation, { addGenerationPrompt: false }));
    }
    // The beginning-of-text marker comes once, not once per turn; every reply is closed.
    expect(fed.match(/<s>/gu)).toHaveLength(1);
    expect(fed.match(/<\|end\|>/gu)).toHaveLength(6);
  });

  it('closes a reply also when the template trims it (as many Hugging Face templates do)', () => {
    const trimming: ChatTemplate = {
      name: 'trimming',
      render: (messages, options) =>
        phiLike.render(
          messages.map((message) => ({ ...message, content: message.content.trim() })),
          options,
        ),
    };
    const turns = new ChatTurns(trimming);
    expect(turns.userTurn('Buy cheese.')).toBe('<s><|user|>Buy cheese.<|end|><|assistant|>');
    expect(turns.reply(' OK ')).toBe('<|end|>'); // the model's reply has spaces the template trims
    expect(turns.userTurn('And?')).toBe('<|user|>And?<|end|><|assistant|>');
  });

  it('renders the new message alone when a template breaks the prefix contract', () => {
    let calls = 0;
    const unstable: ChatTemplate = {
      name: 'unstable',
      render: (messages, options) => `#${calls++}|${phiLike.render(messages, options)}`,
    };
    const turns = new ChatTurns(unstable);
    expect(turns.userTurn('first')).toBe('#0|<s><|user|>first<|end|><|assistant|>');
    expect(turns.reply('R')).toBe('<|end|>'); // the closing still comes from the placeholder rendering
    expect(turns.userTurn('second')).toMatch(/^#\d+\|<s><\|user\|>second<\|end\|><\|assistant\|>$/u);
  });
});
