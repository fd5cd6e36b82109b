import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What `python/train.py` reads: a change to any of them makes saved phase weights stale. */
const trainingInputs = [
  'tokens.u16',
  'offsets.u32',
  'weights.u8',
  'word-form-pairs.json',
  'train-config.json',
];
/** The weights `train.py` saves after phases 1 and 2 and skips the phase for when they exist. */
const phaseFiles = ['phase-one.f32', 'phase-one.json', 'phase-two.f32', 'phase-two.json'];
/** Records the hash of the training inputs the saved phases were trained on. */
const hashFile = 'phases-inputs.sha256';

/**
 * Deletes saved phase weights unless they were trained on exactly the current training inputs, so a
 * changed data recipe or config can never resume from phases of an earlier one. Phase files without a
 * recorded hash count as stale. Records the current hash for the phases about to be trained; returns the
 * files it deleted.
 */
export function discardStalePhases(buildPath: string): string[] {
  const hash = createHash('sha256');
  for (const name of trainingInputs) {
    const path = join(buildPath, name);
    hash.update(`${name}\n`);
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  const current = hash.digest('hex');
  const recordPath = join(buildPath, hashFile);
  const recorded = existsSync(recordPath) ? readFileSync(recordPath, 'utf8').trim() : undefined;
  const deleted: string[] = [];
  if (recorded !== current) {
    for (const name of phaseFiles) {
      const path = join(buildPath, name);
      if (existsSync(path)) {
        rmSync(path);
        deleted.push(name);
      }
    }
  }
  writeFileSync(recordPath, `${current}\n`);
  return deleted;
}
