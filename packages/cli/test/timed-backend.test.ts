import { MemorySession } from '@sirllm/core';
import { createReferenceBackend } from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';
import { timedBackend } from '../src/commands/timed-backend.js';

describe('timedBackend', () => {
  it("times every append and retain and keeps the backend's chat template and snapshots", async () => {
    const backend = createReferenceBackend({ model: { layers: 1, seed: 3 } });
    const clock = { milliseconds: 0, calls: 0 };
    const timed = timedBackend(backend, clock);
    // What `sirllm chat`, `sirllm eval --prompt chat-template` and ChatSirLLM need: the model's template.
    expect(timed.chatTemplate).toBe(backend.chatTemplate);
    expect(timed.info).toBe(backend.info);
    const session = await MemorySession.create({ backend: timed, capacity: 32 });
    const prompt = timed.chatTemplate!.render([{ role: 'user', content: 'Hi' }], {
      addGenerationPrompt: true,
    });
    await session.respond(prompt, { maxTokens: 3, special: true });
    expect(clock.calls).toBeGreaterThanOrEqual(2);
    expect(clock.milliseconds).toBeGreaterThan(0);
    // Snapshots: the sequence's snapshot and the backend's restoreSequence come through, timed too.
    const snapshot = await session.snapshot();
    const restored = await MemorySession.restore({ backend: timed, snapshot });
    const callsBefore = clock.calls;
    await restored.respond(' more', { maxTokens: 2 });
    expect(clock.calls).toBeGreaterThan(callsBefore);
    expect(restored.transcript.tokens().slice(0, session.transcript.length)).toEqual(
      session.transcript.tokens(),
    );
    expect('compileJsonSchema' in timed).toBe(false);
    await timed.dispose();
  });
});
