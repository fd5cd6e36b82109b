import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultGroceryMix } from './build-conversations.js';
import { buildTrainingData } from './build-training-data.js';
import { demoModelConfig } from './demo-model-config.js';
import { exportDemoModel } from './export-demo-model.js';
import { discardStalePhases } from './stale-phases.js';

const usage = `Trains and exports the bundled demo model.

  pnpm --filter @sirllm/demo-model-tools train [--data PATH] [--build PATH] [--out PATH] [--phase all|data|train|export]

  --data   the SirLLM data folder (default ../shared/datasets/sirllm from the repository root)
  --build  working folder for token files and weights (default tools/demo-model/build, git-ignored)
  --out    the model folder to write (default models/${demoModelConfig.name})
  --python the Python 3 with torch (default /usr/bin/python3, Debian's python3-torch)
`;

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : (process.argv[index + 1] ?? fallback);
}

if (process.argv.includes('--help')) {
  process.stdout.write(usage);
  process.exit(0);
}
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dataPath = resolve(option('data', join(repositoryRoot, '..', 'shared', 'datasets', 'sirllm')));
const buildPath = resolve(option('build', join(repositoryRoot, 'tools', 'demo-model', 'build')));
const outputPath = resolve(option('out', join(repositoryRoot, 'models', demoModelConfig.name)));
const python = option('python', '/usr/bin/python3');
const phase = option('phase', 'all');

if (phase === 'all' || phase === 'data') {
  const started = Date.now();
  const { summary } = buildTrainingData(demoModelConfig, dataPath, buildPath);
  process.stdout.write(
    `data: ${JSON.stringify(summary)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  const trainConfig = {
    seed: demoModelConfig.seed,
    recallWeight: defaultGroceryMix.recallWeight,
    copySequences: summary.copySequences,
    groceryCopySequences: summary.groceryCopySequences,
    recallSequences: summary.recallSequences,
    model: { ...demoModelConfig.model, vocabularySize: summary.vocabularySize },
    training: demoModelConfig.training,
  };
  writeFileSync(join(buildPath, 'train-config.json'), `${JSON.stringify(trainConfig, null, 2)}\n`);
}
if (phase === 'all' || phase === 'train') {
  const stale = discardStalePhases(buildPath);
  if (stale.length > 0) {
    process.stdout.write(`training inputs changed since the saved phases: deleted ${stale.join(', ')}\n`);
  }
  const script = join(repositoryRoot, 'tools', 'demo-model', 'python', 'train.py');
  // Passive OpenMP waiting: with spinning workers, any other busy process on a 2-core machine slows
  // training five-fold. It changes no result.
  const result = spawnSync(python, [script, buildPath], {
    stdio: 'inherit',
    env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' },
  });
  if (result.status !== 0) {
    process.stderr.write(`training failed (exit ${result.status}); is python3-torch installed?\n`);
    process.exit(1);
  }
}
if (phase === 'all' || phase === 'export') {
  exportDemoModel({ config: demoModelConfig, buildPath, outputPath, python });
  process.stdout.write(`wrote ${outputPath}\n`);
}
