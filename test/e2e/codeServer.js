// Starts and stops code-server (VS Code 1.100 server + web workbench) for the tests and `npm start`.
// Everything it starts is killed by the process id it started (its own process group), never by name.
'use strict';

const fs = require('fs');
const net = require('net');
const http = require('http');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

/** Settings that keep first-run popups, tours and network lookups away. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'npm.autoDetect': 'off',
  'typescript.disableAutomaticTypeAcquisition': true,
  'typescript.tsserver.enableTracing': false,
  'editor.minimap.enabled': false,
  'editor.codeLens': true,
  'editor.accessibilitySupport': 'off',
  'editor.fontFamily': 'monospace',
  'files.autoSave': 'off',
  'files.simpleDialog.enable': true,
  'workbench.editor.enablePreview': false,
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
  'workbench.layoutControl.enabled': false,
};

/** A free loopback port (the OS picks; the tiny race before code-server binds is retried by the caller). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Writes <userDataDir>/User/settings.json (and an empty code-server config beside it). */
function writeUserData(userDataDir, settings = {}) {
  const all = { ...QUIET_SETTINGS, ...settings };
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(all, null, 2));
  // Machine-scoped settings come from the server's Machine settings in a remote window: user settings
  // do not reach them there (e.g. whether walkthroughs open on the first start).
  const machine = Object.fromEntries(MACHINE_SCOPED.filter((k) => k in all).map((k) => [k, all[k]]));
  fs.mkdirSync(path.join(userDataDir, 'Machine'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'Machine', 'settings.json'), JSON.stringify(machine, null, 2));
}

/** Settings of machine scope that the tests set. */
const MACHINE_SCOPED = ['workbench.welcomePage.walkthroughs.openOnInstall'];

/** Environment for code-server and so for the extension host: no real model key leaks into tests. */
function serverEnv(extra = {}) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^npm_|^VSCODE_|^ELECTRON_/i.test(k)) delete env[k];
  }
  return { ...env, ...extra };
}

/**
 * Installs a .vsix with code-server's own `--install-extension` (proves the package is complete).
 * Returns the installed folder name.
 */
function installVsix({ entry, vsix, extensionsDir, userDataDir, configFile }) {
  fs.mkdirSync(extensionsDir, { recursive: true });
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [entry, '--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--install-extension', vsix, '--force'], { encoding: 'utf8', env: serverEnv() });
  const out = `${r.stdout || ''}${r.stderr || ''}`;
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status}):\n${out}`);
  }
  const installed = fs.readdirSync(extensionsDir).filter((d) => !d.startsWith('.') && d !== 'extensions.json');
  return { installed, seconds: (Date.now() - t0) / 1000, output: out.trim() };
}

function writeConfig(configFile) {
  fs.mkdirSync(path.dirname(configFile), { recursive: true });
  // An explicit config file keeps code-server from writing ~/.config/code-server/config.yaml.
  fs.writeFileSync(configFile, 'auth: none\n');
}

function httpOk(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode >= 200 && res.statusCode < 400);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(1000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

/**
 * Starts code-server on a free loopback port. Resolves when it answers HTTP.
 * @returns {Promise<{ url: string, port: number, pid: number, workspaceUrl: string, stop: () => Promise<void>, killNow: () => void }>}
 */
async function startCodeServer({ entry, workspace, userDataDir, extensionsDir, configFile, logFile, env = {}, extraArgs = [], host = '127.0.0.1', port: wantedPort }) {
  writeConfig(configFile);
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = wantedPort || await freePort();
    const logFd = fs.openSync(logFile, 'a');
    const child = spawn(process.execPath, [entry,
      '--config', configFile,
      '--auth', 'none',
      '--bind-addr', `${host}:${port}`,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      ...extraArgs,
      workspace,
    ], { detached: true, stdio: ['ignore', logFd, logFd], env: serverEnv(env) });
    fs.closeSync(logFd);
    let exited = null;
    child.on('exit', (code, signal) => {
      exited = { code, signal };
    });
    const killNow = () => {
      if (exited) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    };
    const stop = async () => {
      if (exited) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      const deadline = Date.now() + 3000;
      while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      killNow();
      // The group may hold processes that outlive the parent (extension host, pty host).
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    };
    const url = `http://${host}:${port}`;
    const deadline = Date.now() + 30000;
    let up = false;
    while (Date.now() < deadline && !exited) {
      if (await httpOk(`${url}/healthz`)) {
        up = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (up) {
      return { url, port, pid: child.pid, workspaceUrl: `${url}/?folder=${encodeURIComponent(workspace)}`, stop, killNow };
    }
    await stop();
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-3000) : '';
    lastError = new Error(`code-server did not start on port ${port}${exited ? ` (exited ${JSON.stringify(exited)})` : ''}:\n${log}`);
    if (wantedPort || !/EADDRINUSE/.test(log)) break;
  }
  throw lastError;
}

module.exports = { QUIET_SETTINGS, freePort, writeUserData, writeConfig, installVsix, startCodeServer, serverEnv };
