import type { ChatMessage, ChatTemplate } from '@sirllm/core';
import { testkitChatTemplate } from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';
import { TurnRenderer } from '../src/turn-renderer.js';
import { renderTurnText } from '../src/turn-text.js';

/** Wraps a template and records how many messages each rendering was given. */
function counted(template: ChatTemplate): { template: ChatTemplate; sizes: number[] } {
  const sizes: number[] = [];
  return {
    sizes,
    template: {
      name: template.name,
      render: (messages, options) => {
        sizes.push(messages.length);
        return template.render(messages, options);
      },
    },
  };
}

/** Numbers every message by its absolute index: concatenative, but a window renders other numbers. */
const numberedTemplate: ChatTemplate = {
  name: 'numbered',
  render(messages, { addGenerationPrompt }) {
    const text = messages
      .map((message, index) => `[${index}] ${message.role}: ${message.content}\n`)
      .join('');
    return addGenerationPrompt ? `${text}[${messages.length}] assistant: ` : text;
  },
};

/** Shows only the last user message in full and shortens earlier ones: a new message rewrites the old. */
const rewritingTemplate: ChatTemplate = {
  name: 'rewriting',
  render(messages, { addGenerationPrompt }) {
    const lastQuestion = messages.map((message) => message.role).lastIndexOf('user');
    const text = messages
      .map((message, index) =>
        message.role === 'user' && index !== lastQuestion
          ? '<u>…</u>'
          : `<${message.role[0]}>${message.content}</${message.role[0]}>`,
      )
      .join('');
    return addGenerationPrompt ? `${text}<a>` : text;
  },
};

/** A conversation of a system message and `turns` user/assistant exchanges, plus one new user message. */
function conversation(turns: number): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: 'Be brief.' }];
  for (let turn = 0; turn < turns; turn++) {
    messages.push({ role: 'user', content: `Question ${turn}?` });
    messages.push({ role: 'assistant', content: `Answer ${turn}.` });
  }
  messages.push({ role: 'user', content: `Question ${turns}?` });
  return messages;
}

describe('TurnRenderer', () => {
  it('renders only a short window once a concatenative template is confirmed, with the same texts', () => {
    const { template, sizes } = counted(testkitChatTemplate);
    const renderer = new TurnRenderer(template);
    for (let turns = 0; turns < 60; turns++) {
      const history = conversation(turns);
      const shared = history.length - 1;
      sizes.length = 0;
      const text = renderer.render(history, shared);
      expect(text, `turn ${turns}`).toEqual(renderTurnText(testkitChatTemplate, history, shared));
      if (turns >= 4) expect(Math.max(...sizes), `turn ${turns}`).toBeLessThanOrEqual(7);
    }
  });

  it('falls back to the full rendering for a template that numbers messages by absolute index', () => {
    const renderer = new TurnRenderer(numberedTemplate);
    for (let turns = 0; turns < 30; turns++) {
      const history = conversation(turns);
      for (const shared of [history.length - 1, history.length - 3, 3]) {
        if (shared < 0) continue;
        expect(renderer.render(history, shared), `turn ${turns}, shared ${shared}`).toEqual(
          renderTurnText(numberedTemplate, history, shared),
        );
      }
    }
  });

  it('keeps the exact texts of a template that rewrites earlier messages when new ones arrive', () => {
    const renderer = new TurnRenderer(rewritingTemplate);
    for (let turns = 0; turns < 20; turns++) {
      const history = conversation(turns);
      const full = renderTurnText(rewritingTemplate, history, history.length - 1);
      expect(renderer.render(history, history.length - 1)).toEqual(full);
      if (turns >= 1) expect(full.prefixStable).toBe(false);
    }
  });

  it("renders the whole history every time with 'full'", () => {
    const { template, sizes } = counted(testkitChatTemplate);
    const renderer = new TurnRenderer(template, 'full');
    const history = conversation(20);
    renderer.render(history, history.length - 1);
    renderer.render(history, history.length - 1);
    expect(Math.max(...sizes.slice(-4))).toBeGreaterThanOrEqual(history.length);
  });
});
