import { type ChatMessage, InvalidOptionError, PositionShiftUnsupportedError } from '@sirllm/core';
import { createTinyLlama, createTokenizer, testkitChatTemplate, tinyLlamaToGguf } from '@sirllm/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { createLlamaCppBackend, type LlamaCppBackend } from '../../src/index.js';
import {
  rejection,
  temporaryFolder,
  testLlama,
  testThreads,
  writeTemporaryFile,
  writeTinyModel,
} from './gguf-fixtures.js';

describe('loading a GGUF model', () => {
  const { path } = writeTinyModel({ seed: 21 });
  const backends: LlamaCppBackend[] = [];
  const load = async (options: Parameters<typeof createLlamaCppBackend>[0]) => {
    const backend = await createLlamaCppBackend(options);
    backends.push(backend);
    return backend;
  };
  /** The test model in a small context, on the shared test `Llama`. */
  const loadSmall = async () =>
    load({ modelPath: path, llama: await testLlama(), threads: testThreads, contextSize: 64 });
  afterAll(async () => {
    for (const backend of backends) await backend.dispose();
  });

  it('describes the model from its GGUF metadata', async () => {
    const backend = await load({
      modelPath: path,
      llama: await testLlama(),
      threads: testThreads,
      contextSize: 256,
    });
    const tokenizer = createTokenizer();
    expect(backend.info).toMatchObject({
      name: 'sirllm-tiny-llama',
      vocabularySize: tokenizer.vocabularySize,
      trainedContextLength: 4096,
      positionShift: 'exact',
      rope: { theta: 10000, headDimension: 8 },
      specialTokens: {
        beginOfSequence: tokenizer.specialTokenId('<s>'),
        endOfGeneration: [tokenizer.specialTokenId('</s>'), tokenizer.specialTokenId('<|end|>')],
      },
    });
    expect(backend.info.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives different models different fingerprints and the same file the same one', async () => {
    const llama = await testLlama();
    const other = writeTinyModel({ seed: 22 });
    const first = await load({ modelPath: path, llama, threads: testThreads, contextSize: 64 });
    const again = await load({ modelPath: path, llama, threads: testThreads, contextSize: 64 });
    const different = await load({ modelPath: other.path, llama, threads: testThreads, contextSize: 64 });
    expect(again.info.fingerprint).toBe(first.info.fingerprint);
    expect(different.info.fingerprint).not.toBe(first.info.fingerprint);
  });

  it('tokenizes and detokenizes like the testkit tokenizer the file was written from', async () => {
    const backend = await loadSmall();
    const tokenizer = createTokenizer();
    const texts = [
      'Hello there, how are you today?',
      "The user's memory is long: 12345 tokens, and it's fine!",
      '  leading spaces and\nnew lines\n\n',
      'ünïcödé — “quotes” 😀',
      '<|user|>hi<|end|>',
    ];
    for (const text of texts) {
      expect(backend.tokenize(text)).toEqual(tokenizer.encode(text));
      expect(backend.detokenize(tokenizer.encode(text))).toBe(text);
    }
    expect(backend.tokenize('<|user|>hi<|end|>', { special: true })).toEqual(
      tokenizer.encode('<|user|>hi<|end|>', { special: true }),
    );
  });

  it('renders chats with the chat template stored in the GGUF file', async () => {
    const backend = await loadSmall();
    const chat = backend.formatChat([
      { role: 'user', content: 'Hi there' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'How are you?' },
    ]);
    const expected =
      '<s><|user|>Hi there<|end|><|assistant|>Hello!<|end|><|user|>How are you?<|end|><|assistant|>';
    expect(chat.text).toBe(expected);
    expect(chat.tokens).toEqual(createTokenizer().encode(expected, { special: true }));
  });

  it('exposes the chat template as core ChatTemplate, rendering like the testkit chat format', async () => {
    const backend = await loadSmall();
    const conversations: ChatMessage[][] = [
      [{ role: 'user', content: 'Hello' }],
      [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hey.' },
        { role: 'tool', content: '42' },
      ],
    ];
    for (const messages of conversations) {
      for (const addGenerationPrompt of [true, false]) {
        expect(backend.chatTemplate.render(messages, { addGenerationPrompt })).toBe(
          testkitChatTemplate.render(messages, { addGenerationPrompt }),
        );
      }
    }
  });

  it('closes a conversation that ends with a reply, as Hugging Face renders it', async () => {
    const backend = await loadSmall();
    // node-llama-cpp itself leaves the last reply open (…Hey.) for generation to continue; a scored
    // answer must end with the template's end-of-turn text, as the transformers.js backend renders it.
    const conversations: ChatMessage[][] = [
      [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hey.' },
      ],
      [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hey.' },
        { role: 'user', content: 'And?' },
        { role: 'assistant', content: ' More, with a space.' },
      ],
    ];
    for (const messages of conversations) {
      const rendered = backend.chatTemplate.render(messages, { addGenerationPrompt: false });
      expect(rendered).toBe(testkitChatTemplate.render(messages, { addGenerationPrompt: false }));
      expect(rendered.endsWith('<|end|>')).toBe(true);
      // Still a prefix of the longer conversation (the ChatTemplate contract).
      const longer = [...messages, { role: 'user' as const, content: 'Next' }];
      expect(backend.chatTemplate.render(longer, { addGenerationPrompt: true }).startsWith(rendered)).toBe(
        true,
      );
    }
  });

  it('wraps a model the caller loaded and leaves it loaded on dispose', async () => {
    const llama = await testLlama();
    const model = await llama.loadModel({ modelPath: path });
    const backend = await createLlamaCppBackend({ model, threads: testThreads, contextSize: 64 });
    const direct = await load({ modelPath: path, llama, threads: testThreads, contextSize: 64 });
    expect(backend.info.fingerprint).toBe(direct.info.fingerprint);
    const sequence = await backend.createSequence({ capacity: 16 });
    await sequence.append([1, 2, 3]);
    await backend.dispose();
    expect(model.disposed).toBe(false);
    await model.dispose();
  });
});

describe('refusals', () => {
  const { path } = writeTinyModel({ seed: 23 });

  it('a missing file, a file that is not GGUF, and a bad path name modelPath', async () => {
    const llama = await testLlama();
    const missing = await rejection(() =>
      createLlamaCppBackend({ modelPath: `${temporaryFolder()}/missing.gguf`, llama, threads: 1 }),
    );
    expect(InvalidOptionError.isInstance(missing)).toBe(true);
    expect(missing.message).toMatch(/"modelPath".*readable GGUF file/);
    const text = writeTemporaryFile('not-a-model.gguf', 'just some text, not a model');
    const notGguf = await rejection(() => createLlamaCppBackend({ modelPath: text, llama, threads: 1 }));
    expect(InvalidOptionError.isInstance(notGguf)).toBe(true);
    expect(notGguf.message).toMatch(/"modelPath".*must start with the bytes "GGUF"/);
    const neither = await rejection(() => createLlamaCppBackend({ threads: 1 }));
    expect(InvalidOptionError.isInstance(neither)).toBe(true);
    expect(neither.message).toMatch(/exactly one of modelPath/);
  });

  it('invalid thread counts and other options name the option', async () => {
    const llama = await testLlama();
    for (const threads of [0, -2, 1.5, Number.NaN]) {
      const error = await rejection(() => createLlamaCppBackend({ modelPath: path, llama, threads }));
      expect(InvalidOptionError.isInstance(error)).toBe(true);
      expect(error.message).toMatch(/"threads"/);
    }
    for (const [option, value] of [
      ['contextSize', 0],
      ['sequencesPerContext', 0],
      ['batchSize', 0.5],
      ['kvCacheType', 'f8'],
      ['evictionMode', 'magic'],
      ['flashAttention', 'yes'],
      ['gpu', 3],
      ['onWarning', 'console'],
      ['llama', {}],
    ] as const) {
      const error = await rejection(() =>
        createLlamaCppBackend({ modelPath: path, llama, threads: 1, [option]: value } as never),
      );
      expect(InvalidOptionError.isInstance(error)).toBe(true);
      expect(error.message).toContain(`"${option}"`);
    }
  });

  it('plain JavaScript slips get a typed error that says what to write instead', async () => {
    const llama = await testLlama();
    // `model` is the LlamaModel object; a path there is the natural slip.
    const pathAsModel = await rejection(() => createLlamaCppBackend({ model: path, threads: 1 } as never));
    expect(InvalidOptionError.isInstance(pathAsModel)).toBe(true);
    expect(pathAsModel.message).toMatch(/"model".*pass modelPath: ".*\.gguf"/u);
    const misspelt = await rejection(() =>
      createLlamaCppBackend({ modelpath: path, llama, threads: 1 } as never),
    );
    expect(InvalidOptionError.isInstance(misspelt)).toBe(true);
    expect(misspelt.message).toMatch(/"modelpath".*did you mean modelPath\?/u);
    const wrongName = await rejection(() => createLlamaCppBackend({ path, llama, threads: 1 } as never));
    expect(wrongName.message).toMatch(/"path".*did you mean modelPath\?/u);
    for (const options of [undefined, null, path]) {
      const error = await rejection(() => createLlamaCppBackend(options as never));
      expect(InvalidOptionError.isInstance(error)).toBe(true);
      expect(error.message).toContain('modelPath');
    }
  });

  it('a capacity above the context that fits names capacity and the contextSize to raise', async () => {
    const backend = await createLlamaCppBackend({
      modelPath: path,
      llama: await testLlama(),
      threads: 1,
      contextSize: 128,
    });
    try {
      const error = await rejection(() => backend.createSequence({ capacity: 129 }));
      expect(InvalidOptionError.isInstance(error)).toBe(true);
      expect(error.message).toMatch(/"capacity".*\[1, 128\].*contextSize/);
      const fits = await backend.createSequence({ capacity: 128 });
      expect(fits.capacity).toBe(128);
    } finally {
      await backend.dispose();
    }
  });

  it('models whose positions cannot be shifted are refused before anything is evaluated', async () => {
    const llama = await testLlama();
    const cases: [string, Parameters<typeof tinyLlamaToGguf>[1]][] = [
      [
        'sliding-window',
        { extraMetadata: [['llama.attention.sliding_window', { type: 'uint32', value: 64 }]] },
      ],
      [
        'mrope',
        {
          extraMetadata: [
            ['llama.rope.dimension_sections', { type: 'array', itemType: 'int32', values: [2, 1, 1, 0] }],
          ],
        },
      ],
      [
        'multi-head latent attention',
        { extraMetadata: [['llama.attention.kv_lora_rank', { type: 'uint32', value: 8 }]] },
      ],
      ['recurrent', { extraMetadata: [['llama.ssm.conv_kernel', { type: 'uint32', value: 4 }]] }],
    ];
    for (const [scheme, gguf] of cases) {
      const file = writeTemporaryFile(
        `unshiftable-${scheme.replaceAll(' ', '-')}.gguf`,
        tinyLlamaToGguf(createTinyLlama({ seed: 1 }), gguf),
      );
      const error = await rejection(() => createLlamaCppBackend({ modelPath: file, llama, threads: 1 }));
      expect(PositionShiftUnsupportedError.isInstance(error)).toBe(true);
      expect((error as PositionShiftUnsupportedError).scheme).toBe(scheme);
    }
  });
});
