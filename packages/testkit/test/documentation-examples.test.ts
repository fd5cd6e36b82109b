import { MemorySession, sirllm } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { createReferenceBackend } from '../src/index.js';

describe('documentation examples run as written', () => {
  it('README: a session with a SirLLM policy', async () => {
    const backend = createReferenceBackend({ model: { layers: 2, seed: 1 } });
    const session = await MemorySession.create({
      backend,
      capacity: 512,
      policy: sirllm({ sinks: 4, decay: 0.9 }),
    });
    for (const message of ['My locker code is QX-7731.', 'Tell me about tea.', 'What was my code?']) {
      const reply = await session.respond(message, { maxTokens: 64, stop: ['\n'] });
      expect(typeof reply.text).toBe('string');
      expect(session.statistics.resident).toBeLessThanOrEqual(512);
    }
    expect(session.statistics.turns).toBe(3);
    await session.dispose();
  });
});
