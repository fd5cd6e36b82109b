// The backend seam
export type { CreateSequenceOptions, KVBackend, TokenizeOptions } from './seam/kv-backend.js';
export type { AppendOptions, AppendResult, KVSequence } from './seam/kv-sequence.js';
export type { ModelInfo, PositionShiftSupport, SpecialTokens } from './seam/model-info.js';
export type { SamplingOptions } from './seam/sampling-options.js';

// Errors
export * from './errors/index.js';

// Surprisal and sampling
export { argmaxOf, logSoftmax, logSumExp, maximumOf, type LogitsRow } from './surprisal/log-softmax.js';
export { surprisalFromLogits, surprisalFromLogitSummary } from './surprisal/surprisal.js';
export { normaliseSamplingOptions, sampleToken } from './sampling/sample-token.js';
export { createRandom, type RandomSource } from './random/seeded-random.js';

// The ledger
export { TokenLedger, type LedgerEntry, type LedgerView } from './ledger/token-ledger.js';
export { tokenRoles, type TokenRole } from './ledger/token-role.js';
export { validateKeepIndices } from './ledger/validate-keep-indices.js';

// RoPE
export type { RopeScaling, RopeSettings } from './rope/rope-settings.js';
export { ropeInverseFrequencies, rotaryDimensionsOf } from './rope/inverse-frequencies.js';
export { rotateKeyRow, rotateKeyRows, rotationTable, type RotationTable } from './rope/rotate-keys.js';

// Validation helpers for backends and policies
export { requireInteger, requireNumber } from './validation/require.js';
