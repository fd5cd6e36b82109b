import { AIMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { toChatMessages } from '../src/to-chat-messages.js';

describe('toChatMessages', () => {
  it('converts the same messages to the same result on every call, and sees replaced content', () => {
    const question = new HumanMessage('How much?');
    const call = new AIMessage({
      content: '',
      tool_calls: [{ name: 'price', args: { item: 'tea' }, id: 'call-1', type: 'tool_call' }],
    });
    const history = [new SystemMessage('Be brief.'), question, call, new AIMessage('Three coins.')];
    const first = toChatMessages(history);
    expect(toChatMessages(history)).toEqual(first);
    expect(first.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'assistant']);
    question.content = 'How many?';
    call.tool_calls = [{ name: 'stock', args: {}, id: 'call-2', type: 'tool_call' }];
    const second = toChatMessages(history);
    expect(second[1]).toEqual({ role: 'user', content: 'How many?' });
    expect(second[2]?.content).toContain('stock');
    expect(second[2]?.content).not.toContain('price');
  });
});
