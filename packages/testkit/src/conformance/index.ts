export type { ConformanceFactory, ConformanceOptions, ConformanceSubject } from './conformance-subject.js';
export { runBackendConformance } from './run-backend-conformance.js';
export {
  type PolicyConformanceOptions,
  type PolicyFactory,
  runPolicyConformance,
} from './run-policy-conformance.js';
export {
  assertClose,
  expectedNextLogits,
  expectedSurprisal,
  firstMismatch,
} from './surprisal-expectations.js';
