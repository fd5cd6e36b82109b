import { Template } from '@huggingface/jinja';
import type { ChatMessage } from '@sirllm/core';
import { familyChatFormat, familyTokenizer, type ModelFamily, modelFamilies } from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';
import { converseInFamily, scriptedTurns } from './family-conversation.js';

/** Histories of every shape the families treat differently, as plain chat messages. */
function histories(family: ModelFamily): ChatMessage[][] {
  const conversation = scriptedTurns(family).flatMap((turn) => [
    ...turn.add.map(({ chat }) => chat),
    { role: 'assistant' as const, content: turn.reply },
  ]);
  return [
    conversation,
    conversation.slice(1), // no system prompt
    [
      { role: 'system', content: ' Padded system. ' },
      { role: 'user', content: '\nPadded question\n' },
      { role: 'assistant', content: ' Padded reply ' },
      { role: 'system', content: 'A second system message.' },
      { role: 'user', content: '' },
      { role: 'tool', content: 'a result' },
    ],
  ];
}

describe.each(modelFamilies)('%s chat template', (family) => {
  const format = familyChatFormat(family);

  it('renders the same text as its Jinja (@huggingface/jinja) for every prefix of every history', () => {
    const jinja = new Template(format.jinja);
    for (const history of histories(family)) {
      for (let length = 0; length <= history.length; length++) {
        for (const addGenerationPrompt of [false, true]) {
          const messages = history.slice(0, length);
          expect(
            format.template.render(messages, { addGenerationPrompt }),
            `${length} ${addGenerationPrompt}`,
          ).toBe(jinja.render({ messages, add_generation_prompt: addGenerationPrompt }));
        }
      }
    }
  });

  it('ChatSirLLM feeds incrementally exactly the full rendering of the whole history', async () => {
    const tokenizer = familyTokenizer(family);
    const incremental = await converseInFamily(family, 'incremental');
    let full = format.template.render(incremental.messages, { addGenerationPrompt: false });
    // Mistral puts a space before every reply; a tool-call reply is recorded without one (the model
    // wrote JSON straight after [/INST]), so the transcript lacks that space where the rendering has it.
    if (family === 'mistral') full = full.replaceAll('[/INST] {"name"', '[/INST]{"name"');
    expect(tokenizer.decode(incremental.resident)).toBe(full);
    expect(incremental.resident).toEqual(tokenizer.encode(full, { special: true }));
    if (family === 'qwen3') {
      // Not prefix-stable: each call drops the think block of the reply before it, so ChatSirLLM rewinds
      // to the start of that reply (not further) and re-feeds it.
      for (const [index, call] of incremental.calls.entries()) {
        if (index === 0) continue;
        const beforeReply = incremental.messages.slice(0, call.messagesBefore - 1);
        const kept = format.template.render(beforeReply, { addGenerationPrompt: false });
        expect(call.rebuilt, `call ${index}`).toBe(true);
        expect(call.cacheRead, `call ${index}`).toBe(tokenizer.encode(kept, { special: true }).length);
      }
    } else {
      expect(incremental.calls.map((call) => call.rebuilt)).not.toContain(true);
      expect(incremental.fed).toEqual(incremental.resident);
    }
    const full_ = await converseInFamily(family, 'full');
    expect(full_.fed).toEqual(incremental.fed);
  });
});
