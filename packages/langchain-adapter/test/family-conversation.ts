import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import type { ChatMessage } from '@sirllm/core';
import type { ModelFamily } from '@sirllm/testkit';
import { type ChatRendering, ChatSirLLM } from '../src/index.js';
import { countingBackend } from './counting-backend.js';
import { scriptedFamilyBackend } from './family-backend.js';

/** One call of a scripted conversation: the messages the caller adds, then the reply it gets. */
interface ScriptedTurn {
  readonly add: readonly { readonly message: BaseMessage; readonly chat: ChatMessage }[];
  /** The reply the model generates. */
  readonly reply: string;
  /** The tool calls of the reply: the caller then sends it back as an AIMessage with these calls. */
  readonly toolCalls?: readonly { readonly name: string; readonly args: Record<string, unknown> }[];
}

const system = (content: string) => ({
  message: new SystemMessage(content),
  chat: { role: 'system', content } as const,
});
const user = (content: string) => ({
  message: new HumanMessage(content),
  chat: { role: 'user', content } as const,
});
const tool = (content: string, id: string) => ({
  message: new ToolMessage({ content, tool_call_id: id }),
  chat: { role: 'tool', content } as const,
});

/** The tool-call text ChatSirLLM records for calls (one JSON object per line), written out by hand. */
const weatherCalls =
  '{"name":"weather","arguments":{"city":"Paris"}}\n{"name":"clock","arguments":{"zone":"CET"}}';
const forecastCall = '{"name":"forecast","arguments":{"days":1}}';

/**
 * A conversation with a system prompt, several user turns, replies, two tool-call replies and three
 * tool results (two in a row). Mistral's replies start with a space, as a SentencePiece model writes them.
 */
export function scriptedTurns(family: ModelFamily): ScriptedTurn[] {
  const said = (text: string) => (family === 'mistral' ? ` ${text}` : text);
  return [
    { add: [system('You are terse.'), user('Hi there')], reply: said('Hello! How can I help?') },
    {
      add: [user('What is the weather in Paris, and the time?')],
      reply: weatherCalls,
      toolCalls: [
        { name: 'weather', args: { city: 'Paris' } },
        { name: 'clock', args: { zone: 'CET' } },
      ],
    },
    { add: [tool('sunny', 'call-0'), tool('10:30', 'call-1')], reply: said('Sunny, and it is 10:30.') },
    { add: [user('Thanks!')], reply: said('You are welcome.') },
    {
      add: [user('And tomorrow?')],
      reply: forecastCall,
      toolCalls: [{ name: 'forecast', args: { days: 1 } }],
    },
    { add: [tool('rain', 'call-2')], reply: said('Rain tomorrow.') },
    { add: [user('Bye')], reply: said('Goodbye!') },
  ];
}

/** What one conversation through ChatSirLLM fed and kept. */
export interface FamilyConversation {
  /** The history as plain chat messages, ending with the last reply. */
  readonly messages: ChatMessage[];
  /** Every token the backend was asked to evaluate, in order. */
  readonly fed: number[];
  /** The tokens resident at the end (nothing is evicted: the whole transcript). */
  readonly resident: number[];
  /** Per call: the messages before it, whether ChatSirLLM rewound, and the tokens it read from the cache. */
  readonly calls: { messagesBefore: number; rebuilt: boolean; cacheRead: number }[];
}

/** Runs {@link scriptedTurns} through ChatSirLLM on a scripted reference backend of `family`. */
export async function converseInFamily(
  family: ModelFamily,
  chatRendering: ChatRendering,
): Promise<FamilyConversation> {
  const scripted = scriptedFamilyBackend(family);
  const { backend, fed } = countingBackend(scripted.backend);
  const chatModel = new ChatSirLLM({ backend, capacity: 1024, maxTokens: 256, chatRendering });
  const history: BaseMessage[] = [];
  const messages: ChatMessage[] = [];
  const calls: FamilyConversation['calls'] = [];
  let callNumber = 0;
  for (const turn of scriptedTurns(family)) {
    const messagesBefore = messages.length;
    for (const { message, chat } of turn.add) {
      history.push(message);
      messages.push(chat);
    }
    scripted.scriptReply(turn.reply);
    const reply = await chatModel.invoke(history);
    if (reply.text !== turn.reply) throw new Error(`${family}: reply ${JSON.stringify(reply.text)}`);
    const metadata = reply.response_metadata.sirllm as { rebuilt: boolean };
    calls.push({
      messagesBefore,
      rebuilt: metadata.rebuilt,
      cacheRead: reply.usage_metadata?.input_token_details?.cache_read ?? -1,
    });
    const toolCalls = (turn.toolCalls ?? []).map((call) => ({
      ...call,
      id: `call-${callNumber++}`,
      type: 'tool_call' as const,
    }));
    history.push(
      toolCalls.length > 0
        ? new AIMessage({ content: '', tool_calls: toolCalls })
        : new AIMessage(reply.text),
    );
    messages.push({ role: 'assistant', content: turn.reply });
  }
  await chatModel.dispose();
  return { messages, fed: fed(), resident: scripted.resident(), calls };
}
