import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { type ChatTemplate, InvalidOptionError } from '@sirllm/core';
import { createReferenceBackend, createTinyLlama, testkitChatTemplate } from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';
import { type ChatRendering, ChatSirLLM } from '../src/index.js';
import { countingBackend } from './counting-backend.js';

const model = createTinyLlama({ layers: 1, seed: 21 });

/** The testkit format with every message numbered by its absolute index: a window renders other numbers. */
const numberedTemplate: ChatTemplate = {
  name: 'numbered-testkit',
  render(messages, { addGenerationPrompt }) {
    let text = '<s>';
    messages.forEach((message, index) => {
      text += `<|${message.role === 'assistant' ? 'assistant' : 'user'}|>${index}. ${message.content}<|end|>`;
    });
    return addGenerationPrompt ? `${text}<|assistant|>` : text;
  },
};

/** Runs `turns` turns with the whole history each time; returns the replies and every token fed. */
async function converse(chatTemplate: ChatTemplate, chatRendering: ChatRendering, turns: number) {
  const { backend, fed } = countingBackend(createReferenceBackend({ model }));
  const chatModel = new ChatSirLLM({ backend, capacity: 128, maxTokens: 4, chatTemplate, chatRendering });
  const history: BaseMessage[] = [new SystemMessage('Be brief.')];
  const replies: string[] = [];
  for (let turn = 0; turn < turns; turn++) {
    history.push(new HumanMessage(`Question ${turn}?`));
    const reply = await chatModel.invoke(history);
    expect((reply.response_metadata.sirllm as { rebuilt: boolean }).rebuilt).toBe(false);
    replies.push(reply.text);
    history.push(new AIMessage(reply.text));
  }
  await chatModel.dispose();
  return { replies, fed: fed() };
}

describe('ChatSirLLM: incremental chat rendering', () => {
  for (const template of [testkitChatTemplate, numberedTemplate]) {
    it(`feeds exactly the tokens of full rendering (${template.name})`, async () => {
      const incremental = await converse(template, 'incremental', 25);
      const full = await converse(template, 'full', 25);
      expect(incremental.fed).toEqual(full.fed);
      expect(incremental.replies).toEqual(full.replies);
    });
  }

  it('rejects an unknown chatRendering with a typed error', () => {
    const backend = createReferenceBackend({ model });
    expect(
      () => new ChatSirLLM({ backend, capacity: 64, chatRendering: 'partial' as ChatRendering }),
    ).toThrow(InvalidOptionError);
  });
});
