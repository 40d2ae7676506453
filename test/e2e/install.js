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
const path = require('path');
const { spawnSync } = require('child_process');
const kit = require('../../scripts/installKit');

const { InstallError, exists, which, run } = kit;
const { log, timed } = kit.logger('e2e-install');

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

function cacheRoot() {
  return kit.cacheRoot('redline-e2e');
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

// --- Debian packages ------------------------------------------------------------------------

function missingDebianPackages(forInstall) {
  return DEBIAN_PACKAGES.filter((p) => (forInstall || p.runtime) && !p.check());
}

function ensureDebianPackages(forInstall) {
  kit.ensureDebianPackages(DEBIAN_PACKAGES.filter((p) => forInstall || p.runtime), {
    intro: 'The real-VS-Code tests need these Debian packages:',
    note: '(On another system: a Chromium at /usr/bin/chromium, ripgrep at /usr/bin/rg, Kerberos\n development headers, a C++ toolchain, make, python3 and pkg-config.)',
    log,
    timed,
  });
}

// --- code-server ----------------------------------------------------------------------------

function markerMatches(dir) {
  const m = kit.readJson(markerPath(dir));
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
  const work = kit.partialDir(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
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
  let needInstall = !isCodeServerInstalled();
  if (needInstall && kit.waitForOtherInstall(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`, log)) needInstall = !isCodeServerInstalled();
  ensureDebianPackages(needInstall);
  kit.cleanStalePartials(cacheRoot());
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
  return kit.reportInstallError(err, { tag: 'e2e-install', stage: 'the real-VS-Code tests', skipped: 'E2E TESTS' });
}

module.exports = { ensureInstalled, reportInstallError, InstallError, installDir, cacheRoot, CODE_SERVER_VERSION, VSCODE_VERSION, CHROMIUM };

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
