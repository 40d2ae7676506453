#!/usr/bin/env node
// Installs what the real-VS-Code tests need, without any download but the npm registry and
// Debian's packages (see shared VSCODE-E2E.md):
//   - Debian packages: chromium (the browser Playwright drives), ripgrep (VS Code's search),
//     and the toolchain + headers code-server's native modules build with;
//   - code-server (a full VS Code 1.100 build) into the user's cache folder, keyed on its
//     version and on Node's ABI, with its install scripts off and their work done by hand.
// A marker file is written only when every step succeeded, so a half-done install is redone;
// a warm run only checks the marker.
//
// Use: `node test/e2e/install.js` (prints the code-server entry point), or
//      `require('./install').ensureInstalled()` → { entry, dir, chromium }.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const CODE_SERVER_VERSION = '4.100.3';
const VSCODE_VERSION = '1.100.3';
const CHROMIUM = '/usr/bin/chromium';
const RG = '/usr/bin/rg';

/**
 * Debian packages and how to tell they are there. `runtime` ones are needed by every run; the others
 * only while code-server is being installed (a warm cache needs no compiler).
 */
const DEBIAN_PACKAGES = [
  { pkg: 'chromium', runtime: true, why: 'the browser the tests drive', check: () => exists(CHROMIUM) },
  { pkg: 'ripgrep', why: "VS Code's search (@vscode/ripgrep would download it)", check: () => exists(RG) },
  { pkg: 'libkrb5-dev', why: 'headers for the kerberos native module', check: () => exists('/usr/include/gssapi/gssapi.h') && exists('/usr/include/krb5.h') },
  { pkg: 'build-essential', why: 'g++ and make for native modules (node-pty, argon2, spdlog, …)', check: () => which('g++') && which('make') },
  { pkg: 'python3', why: 'node-gyp', check: () => which('python3') },
  { pkg: 'pkg-config', why: 'native module build configuration', check: () => which('pkg-config') },
];

class InstallError extends Error {
  constructor(message, instructions) {
    super(message);
    this.instructions = instructions;
  }
}

function exists(p) {
  try {
    fs.accessSync(p);
    return true;
  } catch {
    return false;
  }
}

function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'redline-e2e');
}

function installDir() {
  return path.join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
}

function codeServerPackageDir(dir = installDir()) {
  return path.join(dir, 'node_modules', 'code-server');
}

function markerPath(dir = installDir()) {
  return path.join(dir, '.redline-install-complete.json');
}

/** What the marker must say for the install to be reused. */
function expectedMarker() {
  return {
    codeServer: CODE_SERVER_VERSION,
    nodeAbi: process.versions.modules,
    platform: `${process.platform}-${process.arch}`,
  };
}

function log(msg) {
  process.stderr.write(`[e2e-install] ${msg}\n`);
}

function timed(label, fn) {
  const t0 = Date.now();
  const out = fn();
  log(`${label}: ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return out;
}

/**
 * Environment for child npm processes: drop the variables npm exports to the scripts of the
 * project that started us (prefix, globalconfig, package fields), keep the user's registry,
 * cache and proxy settings, and build native modules against Node's own installed headers when
 * they are there (node-gyp would otherwise try to download them).
 */
function childEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    const lk = k.toLowerCase();
    if (lk.startsWith('npm_package_') || lk.startsWith('npm_lifecycle_')) continue;
    if (['npm_config_prefix', 'npm_config_local_prefix', 'npm_config_global_prefix', 'npm_config_globalconfig',
      'npm_config_ignore_scripts', 'npm_config_omit', 'npm_config_include', 'npm_config_production',
      'npm_config_allow_scripts', 'npm_command', 'npm_execpath', 'npm_node_execpath', 'init_cwd'].includes(lk)) continue;
    env[k] = v;
  }
  env.npm_config_unsafe_perm = 'true';
  env.npm_config_fund = 'false';
  env.npm_config_audit = 'false';
  env.npm_config_update_notifier = 'false';
  const headers = '/usr/include/node/node_version.h';
  if (!env.npm_config_nodedir && exists(headers)) {
    const h = fs.readFileSync(headers, 'utf8');
    const v = ['NODE_MAJOR_VERSION', 'NODE_MINOR_VERSION', 'NODE_PATCH_VERSION']
      .map((n) => (h.match(new RegExp(`#define ${n} (\\d+)`)) || [])[1]).join('.');
    if (`v${v}` === process.version) env.npm_config_nodedir = '/usr';
  }
  return env;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    stdio: opts.quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    env: opts.env || childEnv(),
    cwd: opts.cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  if (r.status !== 0 && !opts.allowFailure) {
    const tail = opts.quiet ? `\n${(r.stdout || '').slice(-4000)}${(r.stderr || '').slice(-4000)}` : '';
    throw new Error(`${cmd} ${args.join(' ')} (in ${opts.cwd || process.cwd()}) exited ${r.status}${tail}`);
  }
  return r;
}

// --- Debian packages ------------------------------------------------------------------------

function missingDebianPackages(forInstall) {
  return DEBIAN_PACKAGES.filter((p) => (forInstall || p.runtime) && !p.check());
}

function ensureDebianPackages(forInstall) {
  const missing = missingDebianPackages(forInstall);
  if (missing.length === 0) return;
  const names = missing.map((p) => p.pkg);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = which('apt-get');
  const instructions = [
    'The real-VS-Code tests need these Debian packages:',
    ...missing.map((p) => `  ${p.pkg.padEnd(16)} ${p.why}`),
    'Install them with:',
    `  sudo apt-get update && sudo apt-get install -y ${names.join(' ')}`,
    '(On another system: a Chromium at /usr/bin/chromium, ripgrep at /usr/bin/rg, Kerberos',
    ' development headers, a C++ toolchain, make, python3 and pkg-config.)',
  ].join('\n');
  if (!isRoot || !hasApt) {
    throw new InstallError(`missing Debian packages: ${names.join(', ')} (${!hasApt ? 'no apt-get' : 'not root'})`, instructions);
  }
  log(`installing Debian packages: ${names.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  timed('apt-get update', () => run('apt-get', ['update', '-q'], { env }));
  timed('apt-get install', () => run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...names], { env }));
  const still = missingDebianPackages(forInstall);
  if (still.length) {
    throw new InstallError(`apt-get install did not provide: ${still.map((p) => p.pkg).join(', ')}`, instructions);
  }
}

// --- code-server ----------------------------------------------------------------------------

function readMarker(dir) {
  try {
    return JSON.parse(fs.readFileSync(markerPath(dir), 'utf8'));
  } catch {
    return undefined;
  }
}

function markerMatches(dir) {
  const m = readMarker(dir);
  if (!m) return false;
  const want = expectedMarker();
  return Object.keys(want).every((k) => m[k] === want[k]) && exists(path.join(codeServerPackageDir(dir), 'out', 'node', 'entry.js'));
}

function isCodeServerInstalled() {
  return markerMatches(installDir());
}

/**
 * Installs code-server into a private folder beside the final one and renames it into place
 * when every step has succeeded, so a killed install never looks finished and two runs at once
 * do not build into the same folder.
 */
function installCodeServer() {
  const finalDir = installDir();
  fs.mkdirSync(cacheRoot(), { recursive: true });
  const work = path.join(cacheRoot(), `.partial-code-server-${CODE_SERVER_VERSION}-${process.pid}`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  fs.writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'redline-e2e-code-server', private: true }, null, 2));
  const t0 = Date.now();
  log(`installing code-server ${CODE_SERVER_VERSION} into ${finalDir} (a few minutes, once)`);
  try {
    const npm = 'npm';
    const common = ['--no-fund', '--no-audit', '--loglevel=error'];
    timed('npm install code-server --ignore-scripts', () =>
      run(npm, ['install', '--ignore-scripts', `code-server@${CODE_SERVER_VERSION}`, ...common], { cwd: work }));
    const cs = codeServerPackageDir(work);
    const vscode = path.join(cs, 'lib', 'vscode');
    // What code-server's postinstall.sh does, without its downloads.
    timed('lib/vscode: npm install --omit=dev --ignore-scripts', () =>
      run(npm, ['install', '--omit=dev', '--ignore-scripts', ...common], { cwd: vscode }));
    const rgDir = path.join(vscode, 'node_modules', '@vscode', 'ripgrep', 'bin');
    fs.mkdirSync(rgDir, { recursive: true });
    fs.copyFileSync(RG, path.join(rgDir, 'rg'));
    fs.chmodSync(path.join(rgDir, 'rg'), 0o755);
    timed('lib/vscode: npm rebuild (native modules)', () => {
      // node-pty's last post-install step (compile_commands.json, via npx node-gyp) fails offline
      // after the native build has finished; what matters is that every native module loads,
      // checked below.
      const r = run(npm, ['rebuild', '--foreground-scripts=false', ...common], { cwd: vscode, allowFailure: true, quiet: true });
      if (r.status !== 0) log(`npm rebuild exited ${r.status} (expected: node-pty's compile_commands.json step); checking the native modules one by one`);
    });
    // In case @vscode/ripgrep's own post-install step touched it.
    fs.copyFileSync(RG, path.join(rgDir, 'rg'));
    fs.chmodSync(path.join(rgDir, 'rg'), 0o755);
    const asar = path.join(vscode, 'node_modules.asar');
    fs.rmSync(asar, { force: true });
    fs.symlinkSync('node_modules', asar);
    // postinstall.sh's symlink_bin_script: the terminal's `code` CLI and the browser helper.
    for (const [dir, source, dest] of [['remote-cli', 'code-linux.sh', 'code-server'], ['helpers', 'browser-linux.sh', 'browser.sh']]) {
      const link = path.join(vscode, 'bin', dir, dest);
      fs.rmSync(link, { force: true });
      fs.symlinkSync(source, link);
    }
    timed('lib/vscode/extensions: npm install --omit=dev --ignore-scripts', () =>
      run(npm, ['install', '--omit=dev', '--ignore-scripts', ...common], { cwd: path.join(vscode, 'extensions') }));
    timed('npm rebuild argon2', () => run(npm, ['rebuild', 'argon2', ...common], { cwd: work }));
    timed('check native modules', () => checkNativeModules(work));
    fs.writeFileSync(markerPath(work), JSON.stringify({ ...expectedMarker(), installedAt: new Date().toISOString(), seconds: Math.round((Date.now() - t0) / 1000) }, null, 2));
    // Swap into place, unless another run finished first (then use its install: it may be in use).
    if (markerMatches(finalDir)) {
      fs.rmSync(work, { recursive: true, force: true });
    } else {
      if (exists(finalDir)) fs.rmSync(finalDir, { recursive: true, force: true });
      fs.renameSync(work, finalDir);
    }
    log(`code-server installed in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  } catch (err) {
    fs.rmSync(work, { recursive: true, force: true });
    throw err;
  }
}

/** Loads each native module code-server needs, in a child Node, to prove the build. */
function checkNativeModules(dir) {
  const vscode = path.join(codeServerPackageDir(dir), 'lib', 'vscode');
  const mods = [
    [vscode, 'node-pty'],
    [vscode, '@vscode/spdlog'],
    [vscode, '@parcel/watcher'],
    [vscode, 'kerberos'],
    [vscode, 'native-watchdog'],
    [codeServerPackageDir(dir), 'argon2'],
  ];
  const script = mods
    .map(([from, m]) => `require(require.resolve(${JSON.stringify(m)}, { paths: [${JSON.stringify(from)}] }));`)
    .join('\n');
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`a native module of code-server does not load:\n${r.stderr}`);
}

function cleanStalePartials() {
  let entries = [];
  try {
    entries = fs.readdirSync(cacheRoot());
  } catch {
    return;
  }
  for (const e of entries) {
    const m = /^\.partial-code-server-.*-(\d+)$/.exec(e);
    if (!m) continue;
    let alive = false;
    try {
      process.kill(Number(m[1]), 0);
      alive = true;
    } catch {}
    if (!alive) fs.rmSync(path.join(cacheRoot(), e), { recursive: true, force: true });
  }
}

function checkNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) {
    throw new InstallError(`code-server ${CODE_SERVER_VERSION} needs Node 20, this is ${process.version}`,
      `Run the real-VS-Code tests with Node 20 (code-server ${CODE_SERVER_VERSION} ships VS Code 1.100 built for Node 20).`);
  }
}

/** Makes sure everything is installed. Throws InstallError (with .instructions) when it cannot. */
function ensureInstalled() {
  const t0 = Date.now();
  checkNode();
  const needInstall = !isCodeServerInstalled();
  ensureDebianPackages(needInstall);
  cleanStalePartials();
  if (needInstall) installCodeServer();
  const dir = installDir();
  const out = {
    dir,
    packageDir: codeServerPackageDir(dir),
    entry: path.join(codeServerPackageDir(dir), 'out', 'node', 'entry.js'),
    chromium: CHROMIUM,
    version: CODE_SERVER_VERSION,
  };
  log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)}s (code-server ${CODE_SERVER_VERSION} at ${dir})`);
  return out;
}

/** Prints what to install and returns the exit code the caller should use (CI: failure). */
function reportInstallError(err) {
  const ci = /^(1|true|yes)$/i.test(process.env.CI || '');
  process.stderr.write(`\n[e2e-install] cannot set up the real-VS-Code tests: ${err.message}\n`);
  if (err.instructions) process.stderr.write(`${err.instructions}\n`);
  if (ci) {
    process.stderr.write('[e2e-install] CI=true: this is a failure, not a skip.\n');
    return 1;
  }
  process.stderr.write('[e2e-install] E2E TESTS SKIPPED on this machine (under CI=true this fails).\n');
  return 0;
}

module.exports = { ensureInstalled, reportInstallError, InstallError, installDir, cacheRoot, CODE_SERVER_VERSION, VSCODE_VERSION, CHROMIUM, childEnv };

if (require.main === module) {
  try {
    const r = ensureInstalled();
    process.stdout.write(`${r.entry}\n`);
  } catch (err) {
    if (err instanceof InstallError) process.exit(reportInstallError(err) || 2);
    process.stderr.write(`${err.stack || err}\n`);
    process.exit(1);
  }
}
