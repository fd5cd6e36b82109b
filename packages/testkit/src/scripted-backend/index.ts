// A scripted backend: no model, hand-predictable numbers, for tests above the seam.
export { type LogitRule, logitScript } from './logit-script.js';
export { type ModularScript, type ModularScriptOptions, modularScript } from './modular-script.js';
export type { Script, ScriptContext } from './script.js';
export { createScriptedBackend, ScriptedBackend, type ScriptedBackendOptions } from './scripted-backend.js';
export { ScriptedSequence } from './scripted-sequence.js';
export { asciiVocabulary, letterVocabulary } from './vocabularies.js';
