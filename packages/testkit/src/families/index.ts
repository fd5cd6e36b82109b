export {
  type ArchitectureFeatures,
  isSlidingLayer,
  llamaArchitecture,
  type SlidingWindow,
} from './architecture-features.js';
export { familyArchitecture, familyDefaults, llama3VocabularySize } from './family-defaults.js';
export {
  type FamilySupport,
  familySupport,
  familySupportOf,
  type SupportBackend,
  type SupportResult,
  type SupportWeights,
} from './family-support.js';
export { FamilySupportCoverage, type SupportResultKind } from './family-support-coverage.js';
export { isModelFamily, type ModelFamily, modelFamilies } from './model-family.js';
