#!/usr/bin/env node
// The live evals on the real small model, as CI runs them: starts llama-server (scripts/llama/
// liveModel.js), runs `npm run eval -- --live` on a small sample of the edit suite (chat) and of the
// completion suite (infill, then fim-template), prints each suite's figures, and stops the server.
//
//   npm run eval:live-ci [-- --sample N] [-- --record-dir DIR]
//
// Needs `npm run compile-tests` first (npm test has run it). With --record-dir, each run's cases and
// live replies are written there (one JSONL per mode), ready to be an offline suite. `npm run
// test:real` runs it after its tests (runLiveEvals).
'use strict';

const path = require('path');
const { spawn } = require('child_process');
const { startLiveModel } = require('./liveModel');

const ROOT = path.resolve(__dirname, '..', '..');
const RUNS = [
  { suite: 'eval/suites/edit.jsonl', mode: 'chat' },
  { suite: 'eval/suites/completion.jsonl', mode: 'infill' },
  { suite: 'eval/suites/completion.jsonl', mode: 'fim-template' },
];

function runNode(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', cwd: ROOT });
    child.once('exit', (code) => resolve(code));
  });
}

/**
 * Starts the server, runs the sample of each suite, stops the server. Resolves true when every run
 * completed (an eval run fails only when no case got an answer: the scores are figures, not tests).
 */
async function runLiveEvals({ sample = 6, recordDir } = {}) {
  const live = await startLiveModel();
  let ok = true;
  try {
    for (const run of RUNS) {
      const args = [path.join(ROOT, 'out', 'eval', 'run.js'), '--live', '--base-url', live.baseURL, '--model', live.model,
        '--mode', run.mode, '--suite', path.join(ROOT, run.suite), '--sample', String(sample), '--context-window', String(live.ctx)];
      if (recordDir) args.push('--record', path.join(recordDir, `${path.basename(run.suite, '.jsonl')}-${run.mode}.jsonl`));
      process.stdout.write(`$ npm run eval -- ${args.slice(1).map((a) => path.isAbsolute(a) ? path.relative(ROOT, a) || '.' : a).join(' ')}\n`);
      const t0 = Date.now();
      const code = await runNode(args);
      process.stdout.write(`  (${((Date.now() - t0) / 1000).toFixed(1)}s)\n`);
      if (code !== 0) ok = false;
    }
  } finally {
    await live.stop();
  }
  return ok;
}

module.exports = { runLiveEvals, RUNS };

if (require.main === module) {
  const argv = process.argv.slice(2);
  const opt = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  runLiveEvals({ sample: Number(opt('--sample')) || 6, recordDir: opt('--record-dir') }).then(
    (ok) => process.exit(ok ? 0 : 1),
    (err) => {
      process.stderr.write(`[eval:live-ci] ${err.stack || err}\n`);
      process.exit(1);
    },
  );
}
