// @ts-check
// Runtimes: node, bun
//
// A LangChain agent with one tool on llama.cpp: createAgent + sirllmMiddleware (each LangGraph thread
// gets its own SirLLM session) + a tool. On llama.cpp, tool calls are grammar-constrained: the model can
// only produce `{"name": …, "arguments": …}` JSON that matches a tool's schema, so even this 3.9 M-parameter
// model makes a valid call. The agent's second model call (after the tool ran) sends the whole history
// again; ChatSirLLM evaluates only the tool result (`rebuilt: false`, `cache_read`).
//
// What the bundled model can do is narrow: it was trained on grocery requests and recall questions only.
// It cannot choose among arguments or phrase an answer, so the tool here takes none, and its result is a
// grocery request, which the model acknowledges the way it was trained to ("OK").
//
//   pnpm build && node examples/langchain-agent.mjs      (or: bun examples/langchain-agent.mjs)
import { fileURLToPath } from 'node:url';
import { AIMessage, ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { MemorySaver } from '@langchain/langgraph';
import { ChatSirLLM } from '@sirllm/langchain';
import { sirllmMiddleware } from '@sirllm/langchain/agent';
import { createLlamaCppBackend } from '@sirllm/llamacpp';
import { createAgent, createMiddleware } from 'langchain';
import * as z from 'zod';

const modelPath = fileURLToPath(
  new URL('../models/sirllm-grocery-demo/sirllm-grocery-demo.f32.gguf', import.meta.url),
);
const backend = await createLlamaCppBackend({ modelPath, threads: 1, kvCacheType: 'f32', contextSize: 1024 });
const template = backend.chatTemplate;
if (!template) throw new Error('this example needs a model with a chat template');

const readShoppingList = tool(async () => 'I want you to buy the GROCERY: [cheese].', {
  name: 'read_shopping_list',
  description: "Reads the user's shopping list.",
  schema: z.object({}),
});

// A model this small would call tools forever under tool_choice 'auto': require a call until a tool has
// answered, then ask for text. The tool instructions in the prompt are the same for every choice, so the
// session's cache is reused across the two calls.
const callThenAnswer = createMiddleware({
  name: 'callThenAnswer',
  wrapModelCall: (request, handler) =>
    handler({
      ...request,
      toolChoice: request.messages.some((message) => ToolMessage.isInstance(message)) ? 'none' : 'required',
    }),
});

const model = new ChatSirLLM({
  backend,
  capacity: 1024,
  maxTokens: 64, // enough for the whole JSON of a call
  // The bundled model's template has no tool role: by default a tool result reads as a user message
  // starting with "[tool] ", which this model was never trained on. Render it as a plain user message
  // instead. (Drop this for chat models whose template has a tool role.)
  chatTemplate: {
    name: `${template.name}, tool results as user messages`,
    render: (messages, options) =>
      template.render(
        messages.map((message) =>
          message.role === 'tool' ? { role: 'user', content: message.content } : message,
        ),
        options,
      ),
  },
});

const agent = createAgent({
  model,
  tools: [readShoppingList],
  middleware: [sirllmMiddleware(), callThenAnswer], // sirllmMiddleware first: thread_id → sessionId
  checkpointer: new MemorySaver(),
});

const state = await agent.invoke(
  { messages: [{ role: 'user', content: 'Read my shopping list.' }] },
  { configurable: { thread_id: 'alice' }, recursionLimit: 10 },
);
for (const message of state.messages) {
  if (AIMessage.isInstance(message) && message.tool_calls?.length) {
    const finish = message.response_metadata.finish_reason; // 'constraint-complete': the JSON was closed
    for (const call of message.tool_calls) {
      console.log(`tool call: ${call.name}(${JSON.stringify(call.args)})  finish_reason: ${finish}`);
    }
  } else if (ToolMessage.isInstance(message)) {
    console.log(`tool result: ${message.content}`);
  } else if (AIMessage.isInstance(message)) {
    console.log(`final answer: ${JSON.stringify(message.content)}`);
    const memory = /** @type {{ session_id: string, rebuilt: boolean, evaluated_tokens: number }} */ (
      message.response_metadata.sirllm
    );
    console.log(
      `  session ${memory.session_id}: rebuilt: ${memory.rebuilt}, evaluated ${memory.evaluated_tokens} new tokens, cache_read ${message.usage_metadata?.input_token_details?.cache_read} (the system prompt, the question and the call)`,
    );
  } else {
    console.log(`user: ${message.content}`);
  }
}
await model.dispose();
await backend.dispose();
