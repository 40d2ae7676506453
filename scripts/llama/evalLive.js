#!/usr/bin/env node
// The live evals on the real small model, as CI runs them: starts llama-server (scripts/llama/
// liveModel.js), runs `npm run eval -- --live` on a small sample of the edit suite (chat) and of the
// completion suite (infill, then fim-template), prints each suite's figures, and stops the server.
//
//   npm run eval:live-ci [-- --sample N] [-- --record-dir DIR]
//
// Needs `npm run compile-tests` first (npm test has run it). With --record-dir, each run's cases and
// live replies are written there (one JSONL per mode), ready to be an offline suite.
'use strict';

const path = require('path');
const { spawnSync } = require('child_process');
const { startLiveModel } = require('./liveModel');

async function main() {
  const argv = process.argv.slice(2);
  const opt = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const sample = opt('--sample') || '6';
  const recordDir = opt('--record-dir');
  const root = path.resolve(__dirname, '..', '..');
  const live = await startLiveModel();
  let failed = false;
  try {
    const runs = [
      { suite: 'eval/suites/edit.jsonl', mode: 'chat' },
      { suite: 'eval/suites/completion.jsonl', mode: 'infill' },
      { suite: 'eval/suites/completion.jsonl', mode: 'fim-template' },
    ];
    for (const run of runs) {
      const args = [path.join(root, 'out', 'eval', 'run.js'), '--live', '--base-url', live.baseURL, '--model', live.model,
        '--mode', run.mode, '--suite', path.join(root, run.suite), '--sample', sample, '--context-window', String(live.ctx)];
      if (recordDir) args.push('--record', path.join(recordDir, `${path.basename(run.suite, '.jsonl')}-${run.mode}.jsonl`));
      process.stdout.write(`$ npm run eval -- ${args.slice(1).join(' ')}\n`);
      const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
      if (r.status !== 0) failed = true;
    }
  } finally {
    await live.stop();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  process.stderr.write(`[eval:live-ci] ${err.stack || err}\n`);
  process.exit(1);
});
