export {
  BackendLifecycle,
  type BackendLifecycleOptions,
  type DisposableSequence,
} from './backend-lifecycle.js';
export {
  type PositionShiftVerdict,
  refuseUnshiftablePositions,
  unshiftableRopeScheme,
} from './position-shift.js';
export { type CapacityLimit, requireSequenceCapacity } from './sequence-capacity.js';
export { type AppendLimits, SequenceGuard, type SequenceGuardOptions } from './sequence-guard.js';
