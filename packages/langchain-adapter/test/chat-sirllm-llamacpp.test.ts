import { AIMessage, type AIMessageChunk, type BaseMessage, HumanMessage } from '@langchain/core/messages';
import { afterAll, describe, expect, it } from 'vitest';
import { ChatSirLLM } from '../src/index.js';
import { expectIncrementalConversation } from './incremental-conversation.js';
import { tinyGgufModel } from './tiny-gguf-model.js';

// The same tiny weights as the reference-backend tests, written as GGUF and run by llama.cpp.
const gguf = tinyGgufModel();
const open = () => gguf.open(256);

afterAll(() => gguf.remove());

describe('ChatSirLLM on the llama.cpp backend (GGUF test model)', () => {
  it('200 turns with the whole history each time evaluate only the new messages and the reply', async () => {
    const [chatBackend, directBackend] = [await open(), await open()];
    await expectIncrementalConversation({ chatBackend, directBackend, turns: 200, capacity: 128 });
    await chatBackend.dispose();
    await directBackend.dispose();
  });

  it('an edited message rewinds and answers as if the later turns had never happened', async () => {
    const backend = await open();
    const chatModel = new ChatSirLLM({ backend, capacity: 200, maxTokens: 5 });
    const history: BaseMessage[] = [];
    for (let turn = 0; turn < 3; turn++) {
      history.push(new HumanMessage(`Turn ${turn}: hello there`));
      history.push(new AIMessage((await chatModel.invoke(history)).text));
    }
    const edited = [...history.slice(0, 2), new HumanMessage('Something else.')];
    const reply = (await chatModel.invoke(edited)) as AIMessageChunk;
    const witness = new ChatSirLLM({ backend, capacity: 200, maxTokens: 5 });
    await witness.invoke(history.slice(0, 1), { sessionId: 'witness' });
    const expected = (await witness.invoke(edited, { sessionId: 'witness' })) as AIMessageChunk;
    expect(reply.content).toBe(expected.content);
    expect((reply.response_metadata.sirllm as { rebuilt: boolean }).rebuilt).toBe(true);
    expect(reply.usage_metadata!.input_token_details!.cache_read).toBe(
      expected.usage_metadata!.input_token_details!.cache_read,
    );
    await chatModel.dispose();
    await witness.dispose();
    await backend.dispose();
  });
});
