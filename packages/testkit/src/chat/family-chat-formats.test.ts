import { type ChatMessage, InvalidOptionError } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { type ModelFamily, modelFamilies } from '../families/model-family.js';
import { createTokenizer } from '../tokenizer/create-tokenizer.js';
import { familyChatFormat, familyTokenizer } from './family-chat-formats.js';
import { testkitChatTemplate } from './testkit-chat-template.js';

const conversation: ChatMessage[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Hi' },
  { role: 'assistant', content: 'Hello!' },
  { role: 'user', content: 'Weather?' },
  { role: 'assistant', content: 'call' },
  { role: 'tool', content: 'sunny' },
  { role: 'tool', content: 'warm' },
];

/** Each family's rendering of `conversation` with the generation prompt, written out by hand. */
const expected: Record<ModelFamily, string> = {
  llama:
    '<s>Be brief.\n<|user|>Hi<|end|><|assistant|>Hello!<|end|><|user|>Weather?<|end|><|assistant|>call<|end|>' +
    '<|user|>[tool] sunny<|end|><|user|>[tool] warm<|end|><|assistant|>',
  llama3:
    '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>' +
    '<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>' +
    '<|start_header_id|>user<|end_header_id|>\n\nWeather?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\ncall<|eot_id|>' +
    '<|start_header_id|>ipython<|end_header_id|>\n\nsunny<|eot_id|><|start_header_id|>ipython<|end_header_id|>\n\nwarm<|eot_id|>' +
    '<|start_header_id|>assistant<|end_header_id|>\n\n',
  smollm2:
    '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n' +
    '<|im_start|>user\nWeather?<|im_end|>\n<|im_start|>assistant\ncall<|im_end|>\n' +
    '<|im_start|>tool\nsunny<|im_end|>\n<|im_start|>tool\nwarm<|im_end|>\n<|im_start|>assistant\n',
  mistral:
    '<s>[INST] Be brief.\n\nHi[/INST] Hello!</s>[INST] Weather?[/INST] call</s>' +
    '[TOOL_RESULTS] sunny[/TOOL_RESULTS][TOOL_RESULTS] warm[/TOOL_RESULTS]',
  qwen2:
    '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n' +
    '<|im_start|>user\nWeather?<|im_end|>\n<|im_start|>assistant\ncall<|im_end|>\n' +
    '<|im_start|>user\n<tool_response>\nsunny\n</tool_response>\n<tool_response>\nwarm\n</tool_response><|im_end|>\n' +
    '<|im_start|>assistant\n',
  qwen3:
    '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n' +
    '<|im_start|>user\nWeather?<|im_end|>\n<|im_start|>assistant\ncall<|im_end|>\n' +
    '<|im_start|>user\n<tool_response>\nsunny\n</tool_response>\n<tool_response>\nwarm\n</tool_response><|im_end|>\n' +
    '<|im_start|>assistant\n<think>\n\n</think>\n\n',
  phi3:
    '<|system|>\nBe brief.<|end|>\n<|user|>\nHi<|end|>\n<|assistant|>\nHello!<|end|>\n<|user|>\nWeather?<|end|>\n' +
    '<|assistant|>\ncall<|end|>\n<|user|>\nsunny<|end|>\n<|user|>\nwarm<|end|>\n<|assistant|>\n',
  gemma3:
    '<bos><start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n' +
    '<start_of_turn>user\nWeather?<end_of_turn>\n<start_of_turn>model\ncall<end_of_turn>\n' +
    '<start_of_turn>user\nsunny<end_of_turn>\n<start_of_turn>user\nwarm<end_of_turn>\n<start_of_turn>model\n',
};

describe('family chat formats', () => {
  it.each(modelFamilies)('%s renders a conversation with system, replies and tool results', (family) => {
    const { template } = familyChatFormat(family);
    expect(template.render(conversation, { addGenerationPrompt: true })).toBe(expected[family]);
  });

  it('keeps the testkit chat format for llama', () => {
    expect(familyChatFormat('llama').template).toBe(testkitChatTemplate);
    expect(familyTokenizer('llama')).toBe(createTokenizer());
  });

  it('adds the Qwen 2.5 default system prompt only when no system message leads', () => {
    const { template } = familyChatFormat('qwen2');
    expect(template.render([{ role: 'user', content: 'Hi' }], { addGenerationPrompt: false })).toBe(
      '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n' +
        '<|im_start|>user\nHi<|im_end|>\n',
    );
    expect(
      familyChatFormat('qwen3').template.render([{ role: 'user', content: 'Hi' }], {
        addGenerationPrompt: false,
      }),
    ).toBe('<|im_start|>user\nHi<|im_end|>\n');
  });

  it('keeps the Qwen 3 think block only on a last reply after the last user message', () => {
    const { template } = familyChatFormat('qwen3');
    const exchange: ChatMessage[] = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
    ];
    expect(template.render(exchange, { addGenerationPrompt: false })).toBe(
      '<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nHello!<|im_end|>\n',
    );
    expect(
      template.render([...exchange, { role: 'user', content: 'Bye' }], { addGenerationPrompt: false }),
    ).toBe(
      '<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n',
    );
  });

  it('trims Mistral and Gemma replies, and Llama 3 messages', () => {
    const exchange: ChatMessage[] = [
      { role: 'user', content: ' Hi ' },
      { role: 'assistant', content: ' Hello! ' },
    ];
    const render = (family: ModelFamily) =>
      familyChatFormat(family).template.render(exchange, { addGenerationPrompt: false });
    expect(render('mistral')).toBe('<s>[INST]  Hi [/INST] Hello!</s>');
    expect(render('gemma3')).toBe(
      '<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n',
    );
    expect(render('llama3')).toBe(
      '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>',
    );
  });

  it('leaves out an empty Phi-3 system message', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: '' },
      { role: 'user', content: 'Hi' },
    ];
    expect(familyChatFormat('phi3').template.render(messages, { addGenerationPrompt: true })).toBe(
      '<|user|>\nHi<|end|>\n<|assistant|>\n',
    );
  });

  it.each(modelFamilies)('%s: the tokenizer has the special tokens in order, one id each', (family) => {
    const format = familyChatFormat(family);
    const tokenizer = familyTokenizer(family);
    const defaultTokenizer = createTokenizer();
    expect(tokenizer.merges).toEqual(defaultTokenizer.merges);
    expect(tokenizer.specialTokens.map(({ text }) => text)).toEqual([...format.specialTokens]);
    expect(tokenizer.vocabularySize).toBe(256 + defaultTokenizer.merges.length + format.specialTokens.length);
    for (const text of [format.bosToken, format.eosToken, format.endOfTurnToken]) {
      if (text !== undefined)
        expect(tokenizer.encode(text, { special: true })).toEqual([tokenizer.specialTokenId(text)]);
    }
    const rendered = expected[family];
    const ids = tokenizer.encode(rendered, { special: true });
    expect(tokenizer.decode(ids)).toBe(rendered);
    const specialCount = ids.filter((id) => tokenizer.isSpecial(id)).length;
    const occurrences = format.specialTokens.reduce(
      (total, text) => total + rendered.split(text).length - 1,
      0,
    );
    expect(specialCount).toBe(occurrences);
    expect(familyTokenizer(family)).toBe(tokenizer);
  });

  it('refuses an unknown family with a typed error', () => {
    expect(() => familyChatFormat('gpt2' as ModelFamily)).toThrow(InvalidOptionError);
    expect(() => familyTokenizer('gpt2' as ModelFamily)).toThrow(InvalidOptionError);
  });
});
