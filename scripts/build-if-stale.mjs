#!/usr/bin/env node
// `pnpm test` builds first only when a package's build is missing or older than its sources: the tests
// that run the built `sirllm` command and the examples import `dist`, as a user's program does.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build-state.mjs';

process.exitCode = buildIfStale(dirname(dirname(fileURLToPath(import.meta.url))));
