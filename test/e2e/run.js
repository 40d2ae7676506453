#!/usr/bin/env node
// The real-VS-Code end-to-end run: code-server (VS Code 1.100) + Debian Chromium via playwright-core.
//
//   npm run test:e2e                       packages dist/redline.vsix, compiles the test fixtures, runs all
//   REDLINE_E2E_FILTER=smoke node test/e2e/run.js      only scenarios whose "file: name" contains the text
//   REDLINE_E2E_KEEP=1                     keep the temporary folders (workspaces, user data) for a look
//
// Each scenario gets a fresh code-server (fresh user data, a fresh copy of its sample workspace) and a
// fresh browser context; one Chromium and one scripted model server serve the whole run. Scenario files
// are test/e2e/scenarios/*.js, each exporting an array of
//   { name, run: async (ctx) => {},
//     settings?: {...} | ({ modelUrl }) => ({...})   user settings on top of the test defaults
//                                 (quiet UI, redline.endpoint.baseUrl = the scripted model server)
//     workspace?: 'sample'        a folder of test/fixtures/workspaces, copied fresh
//     timeout?: ms                default 120 s
//     extensions?: 'vsix'|'none'  the packaged extension installed (default) or no extension at all
//     serverEnv?: (dir) => ({})   extra environment for code-server and its extension host
//     payload?: (remote) => [[k, v]]  the workbench's `payload` URL parameter (remote(path) gives a
//                                 vscode-remote:// URI), e.g. extensionDevelopmentPath/extensionTestsPath
//     beforeOpen?: async (ctx)    runs before the page loads (page.exposeFunction …)
//     waitForWorkbench?: false    do not wait for the Explorer before run()
//     liveModel?: true            needs the real model server: llama-server with the small real model
//                                 (scripts/llama/liveModel.js), started once for the run when a
//                                 scenario asks for it; `settings({ live })` and ctx.live get it }
// where ctx = { page, driver, model, modelUrl, live, workspace, file(rel), dir, codeServer, resultsDir, root, log }
// and live = { baseURL, origin, model, ctx, log() } (llama-server's base URL, model alias, context size, log text).
// On failure: test-results/e2e/<scenario>/ holds failure.png, error.txt, code-server.log, the server's
// logs folder (extension host, the Redline output channel as redline-output.log) and the browser console.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { ensureInstalled, reportInstallError, InstallError } = require('./install');
const { writeUserData, installVsix, startCodeServer } = require('./codeServer');
const { Driver } = require('./driver');
const kit = require('../../scripts/installKit');

const ROOT = path.resolve(__dirname, '..', '..');
const RESULTS = path.join(ROOT, 'test-results', 'e2e');
const VSIX = path.join(ROOT, 'dist', 'redline.vsix');
const FAKE_SERVER_MODULE = path.join(ROOT, 'out', 'test', 'fixtures', 'fakeModelServer.js');
const WORKSPACES = path.join(ROOT, 'test', 'fixtures', 'workspaces');
const SCENARIOS = path.join(__dirname, 'scenarios');
const DEFAULT_TIMEOUT = 120000;
/** The real model server's reply limit for requests that set none (see liveModelStarter). */
const LIVE_MODEL_N_PREDICT = 160;

const cleanups = new Set();
let interrupted = false;

function log(msg) {
  process.stdout.write(`${msg}\n`);
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}

function slug(s) {
  return s.replace(/[^\w.-]+/g, '_').replace(/_+/g, '_').slice(0, 100);
}

function onSignal(signal) {
  if (interrupted) return;
  interrupted = true;
  log(`\n${signal}: stopping code-server and the browser`);
  for (const fn of cleanups) {
    try {
      fn();
    } catch {}
  }
  process.exit(130);
}

/** Loads the scenario files, in name order; each exports an array of scenarios. */
function discoverScenarios() {
  const files = fs.readdirSync(SCENARIOS).filter((f) => f.endsWith('.js')).sort();
  const all = [];
  for (const f of files) {
    const list = require(path.join(SCENARIOS, f));
    if (!Array.isArray(list)) throw new Error(`${f} must export an array of { name, run }`);
    for (const s of list) {
      if (!s || typeof s.name !== 'string' || typeof s.run !== 'function') throw new Error(`${f}: every scenario needs a name and a run function`);
      all.push({ ...s, file: f, id: `${f.replace(/\.js$/, '')}: ${s.name}` });
    }
  }
  return all;
}

function copyDir(from, to) {
  fs.cpSync(from, to, { recursive: true });
}

/** Copies the server logs and the extension's output into the scenario's results folder. */
function collectLogs(userDataDir, codeServerLog, dest) {
  fs.mkdirSync(dest, { recursive: true });
  try {
    fs.copyFileSync(codeServerLog, path.join(dest, 'code-server.log'));
  } catch {}
  const logs = path.join(userDataDir, 'logs');
  if (!fs.existsSync(logs)) return;
  copyDir(logs, path.join(dest, 'logs'));
  const found = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/redline/i.test(path.relative(logs, p)) && e.name.endsWith('.log')) found.push(p);
    }
  };
  walk(logs);
  if (found.length) fs.writeFileSync(path.join(dest, 'redline-output.log'), found.map((f) => `== ${path.relative(logs, f)}\n${fs.readFileSync(f, 'utf8')}`).join('\n'));
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${seconds(ms)}`)), ms);
    }),
  ]);
}

/** REDLINE_E2E_TRACE=1: logs every driver call with its duration. */
function traced(driver) {
  return new Proxy(driver, {
    get(target, prop) {
      const v = target[prop];
      if (typeof v !== 'function' || prop.startsWith('_') || prop === 'constructor') return v;
      return (...args) => {
        const t = Date.now();
        const r = v.apply(target, args);
        if (!(r instanceof Promise)) return r;
        return r.finally(() => log(`      ${String(prop)}(${args.map((a) => JSON.stringify(a)).join(', ').slice(0, 80)}) ${Date.now() - t} ms`));
      };
    },
  });
}

async function loadFakeModelServer() {
  if (!fs.existsSync(FAKE_SERVER_MODULE)) {
    return { error: `the scripted model server is not built (${path.relative(ROOT, FAKE_SERVER_MODULE)}): run \`npm run compile-tests\`` };
  }
  const mod = require(FAKE_SERVER_MODULE);
  const Ctor = mod.FakeModelServer || mod.default;
  if (typeof Ctor !== 'function') return { error: `${FAKE_SERVER_MODULE} does not export FakeModelServer` };
  const server = new Ctor();
  const url = await server.start(0);
  return { server, url };
}

/**
 * The real model server, started on first use and shared by the run's liveModel scenarios. When it
 * cannot be installed here (InstallError) and CI is not set, those scenarios are skipped loudly.
 */
function liveModelStarter() {
  let started;
  return {
    get() {
      if (!started) {
        started = (async () => {
          const t0 = Date.now();
          try {
            const { startLiveModel } = require('../../scripts/llama/liveModel');
            // -n: the reply limit of a request that sets none (Explain), to keep CPU inference short.
            const live = await startLiveModel({ extraArgs: ['-n', String(LIVE_MODEL_N_PREDICT)] });
            cleanups.add(() => live.child.kill('SIGKILL'));
            log(`real model server: llama-server "${live.model}" at ${live.baseURL} (${seconds(Date.now() - t0)}, log ${live.logFile})`);
            return { live };
          } catch (err) {
            if (err instanceof kit.InstallError && kit.reportInstallError(err, { tag: 'e2e', stage: 'the real-model scenarios', skipped: 'REAL-MODEL SCENARIOS' }) === 0) {
              return { skip: err.message };
            }
            return { error: err };
          }
        })();
      }
      return started;
    },
    async stop() {
      if (!started) return;
      const { live } = await started;
      if (live) await live.stop();
    },
  };
}

async function main() {
  const t0 = Date.now();
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  let install;
  try {
    install = ensureInstalled();
  } catch (err) {
    if (err instanceof InstallError) {
      const code = reportInstallError(err);
      if (code !== 0) log('0 passed, 1 failed');
      return code;
    }
    throw err;
  }
  const tInstalled = Date.now();

  const filter = process.env.REDLINE_E2E_FILTER || '';
  const scenarios = discoverScenarios().filter((s) => !filter || s.id.toLowerCase().includes(filter.toLowerCase()));
  if (scenarios.length === 0) {
    log(`no scenario matches REDLINE_E2E_FILTER=${JSON.stringify(filter)}`);
    log('0 passed, 1 failed');
    return 1;
  }
  if (!fs.existsSync(VSIX)) throw new Error(`${path.relative(ROOT, VSIX)} is missing: run \`npm run package\` (npm run test:e2e does)`);

  // Each scenario clears only its own results folder: runs of other scenarios (another engineer's
  // filtered run in the same clone) keep theirs.
  fs.mkdirSync(RESULTS, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redline-e2e-'));
  if (!process.env.REDLINE_E2E_KEEP) cleanups.add(() => fs.rmSync(tmp, { recursive: true, force: true }));

  // The packaged extension, installed once with code-server's own installer; every scenario's
  // server uses that extensions folder (one server at a time).
  const extensionsDir = path.join(tmp, 'extensions');
  const vsixInstall = installVsix({ entry: install.entry, vsix: VSIX, extensionsDir, userDataDir: path.join(tmp, 'install-user'), configFile: path.join(tmp, 'install-config.yaml') });
  log(`installed ${path.relative(ROOT, VSIX)} → ${vsixInstall.installed.join(', ')} (${seconds(vsixInstall.seconds * 1000)})`);

  const fake = await loadFakeModelServer();
  if (fake.server) cleanups.add(() => fake.server.stop());
  else log(`note: ${fake.error}; scenarios that use ctx.model will fail`);

  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: install.chromium,
    handleSIGINT: false,
    handleSIGTERM: false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  const browserProcess = browser.process && browser.process();
  const killBrowser = () => {
    try {
      // Playwright starts Chromium in a process group of its own: end the whole group.
      if (browserProcess && browserProcess.pid) process.kill(-browserProcess.pid, 'SIGKILL');
    } catch {}
  };
  cleanups.add(killBrowser);
  log(`setup ${seconds(Date.now() - t0)} (install check ${seconds(tInstalled - t0)}); running ${scenarios.length} scenario(s)`);

  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const failures = [];
  const liveModel = liveModelStarter();
  try {
    for (let i = 0; i < scenarios.length && !interrupted; i++) {
      const s = scenarios[i];
      let live;
      if (s.liveModel) {
        const got = await liveModel.get();
        if (got.skip) {
          log(`  - ${s.id} (skipped: ${got.skip})`);
          skipped++;
          continue;
        }
        if (got.error) {
          log(`  ✗ ${s.id}\n    the real model server did not start: ${String(got.error.message || got.error).split('\n').slice(0, 6).join('\n    ')}`);
          failed++;
          failures.push({ id: s.id, error: got.error });
          continue;
        }
        live = got.live;
      }
      const ok = await runScenario(s, i, { install, browser, tmp, extensionsDir, fake, live });
      if (ok.passed) passed++;
      else {
        failed++;
        failures.push({ id: s.id, error: ok.error });
      }
    }
  } finally {
    await browser.close().catch(() => {});
    killBrowser();
    cleanups.delete(killBrowser);
    if (fake.server) await fake.server.stop().catch(() => {});
    await liveModel.stop().catch(() => {});
    if (!process.env.REDLINE_E2E_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
    else log(`kept ${tmp}`);
  }
  if (failures.length) {
    log('\nFailures:');
    for (const f of failures) log(`  ✗ ${f.id}\n    ${String(f.error && f.error.message || f.error).split('\n').join('\n    ')}`);
    log(`evidence: ${path.relative(ROOT, RESULTS)}/`);
  }
  log(`\ne2e total ${seconds(Date.now() - t0)}`);
  log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped (no real model server on this machine)` : ''}`);
  return failed ? 1 : 0;
}

async function runScenario(s, index, { install, browser, tmp, extensionsDir, fake, live }) {
  const t0 = Date.now();
  const dir = path.join(tmp, `s${index}`);
  const workspace = path.join(dir, s.workspace || 'sample');
  copyDir(path.join(WORKSPACES, s.workspace || 'sample'), workspace);
  const userDataDir = path.join(dir, 'user');
  const settings = {
    'redline.chat.model': 'test-model',
    ...(fake.url ? { 'redline.endpoint.baseUrl': fake.url } : {}),
    ...(typeof s.settings === 'function' ? s.settings({ modelUrl: fake.url, live }) : s.settings || {}),
  };
  writeUserData(userDataDir, settings);
  if (fake.server) fake.server.reset();
  const resultsDir = path.join(RESULTS, slug(s.id));
  fs.rmSync(resultsDir, { recursive: true, force: true });
  const codeServerLog = path.join(dir, 'code-server.log');
  const consoleLines = [];
  const extensions = s.extensions === 'none' ? path.join(dir, 'no-extensions') : extensionsDir;
  let server;
  let context;
  let page;
  let driver;
  let error;
  let tReady;
  try {
    server = await startCodeServer({
      entry: install.entry, workspace, userDataDir, extensionsDir: extensions, configFile: path.join(dir, 'config.yaml'), logFile: codeServerLog,
      env: { OPENAI_API_KEY: '', OPENAI_BASE_URL: '', REDLINE_MODEL: '', ...(s.serverEnv ? s.serverEnv(dir) : {}) },
    });
    cleanups.add(server.killNow);
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
    driver = new Driver(page, { workspace, resultsDir });
    if (process.env.REDLINE_E2E_TRACE) driver = traced(driver);
    const ctx = {
      page,
      driver,
      get model() {
        if (!fake.server) throw new Error(fake.error);
        return fake.server;
      },
      modelUrl: fake.url,
      live,
      workspace,
      file: (rel) => path.join(workspace, rel),
      dir,
      root: ROOT,
      codeServer: server,
      resultsDir,
      log: (msg) => log(`    ${msg}`),
    };
    if (s.beforeOpen) await s.beforeOpen(ctx);
    let url = server.workspaceUrl;
    if (s.payload) {
      const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p.split(path.sep).map(encodeURIComponent).join('/')}`;
      url += `&payload=${encodeURIComponent(JSON.stringify(s.payload(remote)))}`;
    }
    await page.goto(url, { timeout: 60000 });
    if (s.waitForWorkbench !== false) await driver.waitForWorkbench();
    tReady = Date.now();
    await withTimeout(Promise.resolve().then(() => s.run(ctx)), s.timeout || DEFAULT_TIMEOUT, s.id);
  } catch (err) {
    error = err;
  }
  if (error) {
    fs.mkdirSync(resultsDir, { recursive: true });
    if (page) await page.screenshot({ path: path.join(resultsDir, 'failure.png') }).catch(() => {});
    fs.writeFileSync(path.join(resultsDir, 'error.txt'), `${error.stack || error}\n`);
    fs.writeFileSync(path.join(resultsDir, 'browser-console.log'), consoleLines.join('\n'));
    if (fake.server) {
      try {
        fs.writeFileSync(path.join(resultsDir, 'model-requests.json'), JSON.stringify(fake.server.requests, null, 2));
      } catch {}
    }
    if (live) fs.writeFileSync(path.join(resultsDir, 'llama-server.log'), live.log());
  }
  if (context) await context.close().catch(() => {});
  if (server) {
    await server.stop();
    cleanups.delete(server.killNow);
  }
  if (error) collectLogs(userDataDir, codeServerLog, resultsDir);
  const took = tReady ? `${seconds(Date.now() - t0)}: workbench ${seconds(tReady - t0)}` : seconds(Date.now() - t0);
  if (error) log(`  ✗ ${s.id} (${took})\n    ${String(error.message || error).split('\n').slice(0, 6).join('\n    ')}`);
  else log(`  ✓ ${s.id} (${took})`);
  return { passed: !error, error };
}

main().then((code) => {
  for (const fn of cleanups) {
    try {
      fn();
    } catch {}
  }
  process.exit(code);
}, (err) => {
  process.stderr.write(`${err.stack || err}\n`);
  for (const fn of cleanups) {
    try {
      fn();
    } catch {}
  }
  log('0 passed, 1 failed');
  process.exit(1);
});
