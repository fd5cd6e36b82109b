export { fnv1a32, fnvOffsetBasis } from './checksum.js';
export {
  decodeSnapshotEnvelope,
  encodeSnapshotEnvelope,
  type OpenedSnapshot,
  type SnapshotExpectation,
  type SnapshotHeader,
  type SnapshotKind,
  snapshotEnvelopeVersion,
  snapshotKinds,
} from './snapshot-envelope.js';
