import { type RetentionPolicy, sirllm, streamingLLM } from '@sirllm/core';

/** One side of the demo: a policy and the label it is shown under. */
export interface DemoPolicy {
  /** `SirLLM` or `StreamingLLM`. */
  readonly label: string;
  /** The retention policy. */
  readonly policy: RetentionPolicy;
}

/**
 * The demo's two sides, fresh policies each call: SirLLM with η = 1 (the paper's Grocery setting) and
 * StreamingLLM, both with 4 attention sinks. `sirllm demo` and the browser demo play the same pair.
 */
export function demoPolicies(): [sirLlm: DemoPolicy, streamingLlm: DemoPolicy] {
  return [
    { label: 'SirLLM', policy: sirllm({ decay: 1, sinks: 4 }) },
    { label: 'StreamingLLM', policy: streamingLLM({ sinks: 4 }) },
  ];
}
