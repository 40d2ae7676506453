#!/usr/bin/env node
// `npm start`: builds Redline, installs it into real VS Code (code-server 4.100.3, VS Code 1.100) and
// opens it on a copy of the sample workspace; prints the URL to open in a browser. Runs until Ctrl+C.
//
//   npm start                         the model from the environment: OPENAI_BASE_URL, OPENAI_API_KEY,
//                                     REDLINE_MODEL, or Redline's defaults (a local Ollama at
//                                     http://localhost:11434/v1)
//   npm start -- --scripted           the scripted model server instead: a demonstration of the
//                                     interface without a model
//   npm start -- --port 8080 --host 127.0.0.1 [folder]   where to listen; a folder of your own to open
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const { ensureInstalled, reportInstallError, InstallError, VSCODE_VERSION } = require('../test/e2e/install');
const { writeUserData, installVsix, startCodeServer, freePort } = require('../test/e2e/codeServer');

function parseArgs(argv) {
  const args = { scripted: false, port: undefined, host: '127.0.0.1', folder: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--scripted') args.scripted = true;
    else if (a === '--port') args.port = Number(argv[++i]);
    else if (a === '--host') args.host = argv[++i];
    else if (a === '--help' || a === '-h') {
      process.stdout.write(fs.readFileSync(__filename, 'utf8').split('\n').slice(1, 10).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
      process.exit(0);
    } else if (!a.startsWith('-') && !args.folder) args.folder = path.resolve(a);
    else throw new Error(`unknown argument ${a} (see npm start -- --help)`);
  }
  return args;
}

function npm(script) {
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', '--silent', script], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm run ${script} failed`);
  return (Date.now() - t0) / 1000;
}

async function portFree(port, host) {
  const net = require('net');
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  let install;
  try {
    install = ensureInstalled();
  } catch (err) {
    if (err instanceof InstallError) {
      reportInstallError(err);
      return 1;
    }
    throw err;
  }

  console.log(`Building and packaging Redline… (${npm('package').toFixed(1)}s)`);

  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'redline-start-'));
  const cleanups = [() => fs.rmSync(state, { recursive: true, force: true })];
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch {}
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    // The same code-server cache as the tests; this run's extensions and user data are its own.
    const extensionsDir = path.join(state, 'extensions');
    installVsix({ entry: install.entry, vsix: path.join(ROOT, 'dist', 'redline.vsix'), extensionsDir, userDataDir: path.join(state, 'install-user'), configFile: path.join(state, 'install.yaml') });

    const workspace = args.folder || path.join(state, 'sample');
    if (!args.folder) fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspaces', 'sample'), workspace, { recursive: true });

    const settings = {};
    const env = {};
    let banner;
    if (args.scripted) {
      const mod = path.join(ROOT, 'out', 'test', 'fixtures', 'fakeModelServer.js');
      console.log(`Compiling the scripted model server… (${npm('compile-tests').toFixed(1)}s)`);
      const { FakeModelServer } = require(mod);
      const fake = new FakeModelServer();
      const url = await fake.start(0);
      cleanups.push(() => fake.stop());
      settings['redline.endpoint.baseUrl'] = url;
      settings['redline.chat.model'] = 'redline-demo';
      env.OPENAI_API_KEY = '';
      banner = `Model: the scripted model server at ${url} — a demonstration of the interface without a model\n       (replies are canned: they echo the selection with a demo comment).`;
    } else {
      const baseUrl = process.env.OPENAI_BASE_URL;
      const model = process.env.REDLINE_MODEL;
      if (baseUrl) settings['redline.endpoint.baseUrl'] = baseUrl;
      if (model) settings['redline.chat.model'] = model;
      banner = `Model: ${baseUrl || 'http://localhost:11434/v1 (Redline\'s default: a local Ollama)'}, model ${model || 'Redline\'s default'}` +
        `, API key ${process.env.OPENAI_API_KEY && baseUrl ? 'from OPENAI_API_KEY' : `none (${baseUrl ? 'set OPENAI_API_KEY' : 'OPENAI_API_KEY is used only with OPENAI_BASE_URL'}, or run "Redline: Set API Key")`}`;
    }
    const userDataDir = path.join(state, 'user');
    writeUserData(userDataDir, settings);

    let port = args.port;
    if (!port) port = (await portFree(8080, args.host)) ? 8080 : await freePort();
    const logFile = path.join(state, 'code-server.log');
    const server = await startCodeServer({
      entry: install.entry, workspace, userDataDir, extensionsDir, configFile: path.join(state, 'config.yaml'), logFile, env, host: args.host, port,
    });
    cleanups.push(() => server.stop());

    console.log('');
    console.log(`Redline is running in VS Code ${VSCODE_VERSION} (code-server ${install.version}).`);
    console.log(`  Open:      ${server.workspaceUrl}`);
    console.log(`  Workspace: ${workspace}${args.folder ? '' : ' (a copy of the sample; removed on exit)'}`);
    console.log(`  ${banner}`);
    console.log(`  Log:       ${logFile}`);
    console.log('Press Ctrl+C to stop.');
    await new Promise(() => {});
  } catch (err) {
    console.error(err.stack || String(err));
    await stop(1);
  }
  return 0;
}

main().then((code) => {
  if (code) process.exit(code);
}, (err) => {
  console.error(err.stack || String(err));
  process.exit(1);
});
