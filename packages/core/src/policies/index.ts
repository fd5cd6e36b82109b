export { type ChoiceContext, type Chooser, createSelectionPolicy } from './create-selection-policy.js';
export { full } from './full.js';
export { interval } from './interval.js';
export type { BasePolicyOptions } from './policy-options.js';
export {
  definePolicy,
  type PolicyDefinition,
  type PolicyRegistry,
  type PolicySettings,
  policyRegistry,
} from './policy-registry.js';
export { type RandomPolicyOptions, random } from './random.js';
export type { RetentionPolicy, SelectionRequest } from './retention-policy.js';
export { identityIndices, topIndicesByScore } from './select-by-score.js';
export { type SirLLMOptions, sirllm } from './sirllm.js';
export { streamingLLM } from './streaming-llm.js';
export { validateSelectionRequest } from './validate-selection-request.js';
