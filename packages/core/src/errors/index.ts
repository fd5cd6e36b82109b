export { AbortedError, throwIfAborted } from './aborted-error.js';
export { BackendError } from './backend-error.js';
export { CapabilityUnsupportedError } from './capability-unsupported-error.js';
export { CapacityExceededError } from './capacity-exceeded-error.js';
export { DisposedError } from './disposed-error.js';
export { InvalidOptionError } from './invalid-option-error.js';
export { PositionShiftUnsupportedError } from './position-shift-unsupported-error.js';
export { SessionBusyError } from './session-busy-error.js';
export { hasMarker, SirLLMError } from './sirllm-error.js';
