#!/usr/bin/env node
// `npm run test:real` (part of `npm test`): the real-model stage.
//   1. installs llama-server and the model's weights (scripts/llama/install.js; once, then a stat);
//   2. runs the mocha suites of test/real against llama-server (compiled to out/test/real);
//   3. runs the live evals on a small sample (scripts/llama/evalLive.js), unless --no-eval.
//
// When the install cannot be done here (not root and a Debian package missing, no python3), it prints
// what to install: under CI=true that fails the stage, elsewhere the stage is skipped loudly (as the
// E2E stage does). Any other install failure (build, download, checksum) fails the stage.
'use strict';

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const kit = require('../installKit');
const install = require('./install');
const { runLiveEvals } = require('./evalLive');

const ROOT = path.resolve(__dirname, '..', '..');
const TAG = 'test:real';

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}

function say(msg) {
  process.stdout.write(`[${TAG}] ${msg}\n`);
}

async function main() {
  const argv = process.argv.slice(2);
  const t0 = Date.now();
  try {
    install.ensureInstalled();
  } catch (err) {
    if (err instanceof kit.InstallError) return kit.reportInstallError(err, { tag: TAG, stage: 'the real-model tests', skipped: 'REAL-MODEL TESTS' });
    process.stderr.write(`\n[${TAG}] installing llama-server or the model failed: ${err.message}\n`);
    return 1;
  }
  const tInstalled = Date.now();
  say(`install ${seconds(tInstalled - t0)}`);

  const compiled = path.join(ROOT, 'out', 'test', 'real');
  if (!fs.existsSync(compiled)) {
    process.stderr.write(`[${TAG}] ${path.relative(ROOT, compiled)} is missing: run \`npm run compile-tests\` (npm run test:real does)\n`);
    return 1;
  }
  const mocha = spawnSync(process.execPath, [
    require.resolve('mocha/bin/mocha.js'), '--no-config', '--forbid-only', '--reporter', 'spec', '--timeout', '300000',
    path.join('out', 'test', 'real', '**', '*.test.js'),
  ], { cwd: ROOT, stdio: 'inherit' });
  const tTests = Date.now();
  say(`tests ${seconds(tTests - tInstalled)} (exit ${mocha.status})`);
  if (mocha.status !== 0) return 1;

  if (argv.includes('--no-eval')) return 0;
  const ok = await runLiveEvals({ sample: 2 });
  say(`live evals ${seconds(Date.now() - tTests)}; stage total ${seconds(Date.now() - t0)}`);
  return ok ? 0 : 1;
}

main().then((code) => process.exit(code), (err) => {
  process.stderr.write(`[${TAG}] ${err.stack || err}\n`);
  process.exit(1);
});
