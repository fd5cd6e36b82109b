// The backend seam

// The backend kit: what every backend gets for free (lifecycle, guards, argument checks)
export * from './backend-kit/index.js';

// Errors
export * from './errors/index.js';
// The ledger
export { type LedgerEntry, type LedgerView, TokenLedger } from './ledger/token-ledger.js';
export { type TokenRole, tokenRoles } from './ledger/token-role.js';
export { validateKeepIndices } from './ledger/validate-keep-indices.js';
// Retention policies
export * from './policies/index.js';
export { createRandom, type RandomSource } from './random/seeded-random.js';
export { ropeInverseFrequencies, rotaryDimensionsOf } from './rope/inverse-frequencies.js';
// RoPE
export type { RopeScaling, RopeSettings } from './rope/rope-settings.js';
export { type RotationTable, rotateKeyRow, rotateKeyRows, rotationTable } from './rope/rotate-keys.js';
export { sampleConstrainedToken } from './sampling/sample-constrained-token.js';
export {
  type SampledToken,
  type SampleNextOptions,
  sampleNext,
  samplingRandom,
} from './sampling/sample-next.js';
export {
  normaliseSamplingOptions,
  pickCandidate,
  type SamplingCandidates,
  sampleToken,
  samplingCandidates,
} from './sampling/sample-token.js';
export type { ChatMessage, ChatRole, ChatTemplate } from './seam/chat-template.js';
export { closingText } from './seam/closing-text.js';
export type { CreateSequenceOptions, KVBackend, TokenizeOptions } from './seam/kv-backend.js';
export type { AppendOptions, AppendResult, KVSequence } from './seam/kv-sequence.js';
export type { ModelInfo, PositionShiftSupport, SpecialTokens } from './seam/model-info.js';
export type { ConstraintState, JsonSchema, SamplingConstraint } from './seam/sampling-constraint.js';
export type { SamplingOptions } from './seam/sampling-options.js';
export { validateAppendArguments } from './seam/validate-append-arguments.js';
export { validateRestoredTokens } from './seam/validate-restored-tokens.js';
// The memory session engine
export * from './session/index.js';
// Snapshots: one envelope (kind, model fingerprint, checksum) around every format's payload
export * from './snapshot/index.js';
// Surprisal and sampling
export { argmaxOf, type LogitsRow, logSoftmax, logSumExp, maximumOf } from './surprisal/log-softmax.js';
export { surprisalFromLogitSummary, surprisalFromLogits } from './surprisal/surprisal.js';
// Validation helpers for backends and policies
export {
  optionalBoolean,
  optionalFunction,
  optionalText,
  requireOptionsObject,
} from './validation/options-object.js';
export { requireInteger, requireNumber } from './validation/require.js';
// Wrapping a backend with middleware
export * from './wrap/index.js';
