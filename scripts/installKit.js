// What the project's own installers share: scripts/llama/install.js (llama-server and the model's
// weights) and test/e2e/install.js (code-server and Chromium). Each installs into the user's cache
// folder, keyed on versions, builds in a private `.partial-*-<pid>` folder and writes a marker last, so
// a half-done install is redone and a warm run costs a stat; Debian packages are installed with
// apt-get when running as root, else the exact command is printed.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

/** An install that cannot go on; `instructions` tells the person what to run. */
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

function readJson(p) {
  try {
    return JSON.parse(fs.readFileSync(p, 'utf8'));
  } catch {
    return undefined;
  }
}

/** `${XDG_CACHE_HOME:-~/.cache}/<name>`. */
function cacheRoot(name) {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, name);
}

/** { log(msg), timed(label, fn) } writing `[tag] …` lines to stderr. */
function logger(tag) {
  const log = (msg) => process.stderr.write(`[${tag}] ${msg}\n`);
  const timed = (label, fn) => {
    const t0 = Date.now();
    const out = fn();
    log(`${label}: ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    return out;
  };
  return { log, timed };
}

/**
 * Environment for child npm processes: drop the variables npm exports to the scripts of the project
 * that started us (prefix, globalconfig, package fields), keep the user's registry, cache and proxy
 * settings, and build native modules against Node's own installed headers when they are there
 * (node-gyp would otherwise try to download them).
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

/**
 * Runs a command to completion. `quiet` captures its output (the tail goes into the error);
 * `allowFailure` returns a failed run instead of throwing.
 */
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    stdio: opts.quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    env: opts.env || childEnv(),
    cwd: opts.cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  if (r.status !== 0 && !opts.allowFailure) {
    const tail = opts.quiet ? `\n${(r.stdout || '').slice(-4000)}${(r.stderr || '').slice(-4000)}` : '';
    throw new Error(`${cmd} ${args.join(' ')} (in ${opts.cwd || process.cwd()}) exited ${r.status}${tail}`);
  }
  return r;
}

/**
 * Makes sure `packages` ([{ pkg, why, check() }]) are there: as root with apt-get, installs the missing
 * ones; otherwise throws an InstallError whose instructions give the apt-get line. `intro` heads the
 * instructions, `note` (optional) ends them; `log` and `timed` come from logger().
 */
function ensureDebianPackages(packages, { intro, note, log, timed }) {
  const missing = packages.filter((p) => !p.check());
  if (missing.length === 0) return;
  const names = missing.map((p) => p.pkg);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = which('apt-get');
  const instructions = [
    intro,
    ...missing.map((p) => `  ${p.pkg.padEnd(16)} ${p.why}`),
    'Install them with:',
    `  sudo apt-get update && sudo apt-get install -y ${names.join(' ')}`,
    ...(note ? [note] : []),
  ].join('\n');
  if (!isRoot || !hasApt) {
    throw new InstallError(`missing Debian packages: ${names.join(', ')} (${!hasApt ? 'no apt-get' : 'not root'})`, instructions);
  }
  log(`installing Debian packages: ${names.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  timed('apt-get update', () => run('apt-get', ['update', '-q'], { env }));
  timed('apt-get install', () => run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...names], { env }));
  const still = missing.filter((p) => !p.check());
  if (still.length) throw new InstallError(`apt-get install did not provide: ${still.map((p) => p.pkg).join(', ')}`, instructions);
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** The `.partial-<name>-<pid>` folders under `root` (any name when none is given), with their pid. */
function partials(root, name) {
  let entries = [];
  try {
    entries = fs.readdirSync(root);
  } catch {
    return [];
  }
  const out = [];
  for (const e of entries) {
    const m = /^\.partial-(.*)-(\d+)$/.exec(e);
    if (m && (name === undefined || m[1] === name)) out.push({ dir: path.join(root, e), pid: Number(m[2]) });
  }
  return out;
}

/** Removes `.partial-…-<pid>` folders under `root` whose process is gone (a killed install). */
function cleanStalePartials(root) {
  for (const p of partials(root)) if (!isAlive(p.pid)) fs.rmSync(p.dir, { recursive: true, force: true });
}

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * When another process is installing `name` into `root` right now (its `.partial-<name>-<pid>` folder
 * is there and it is alive), waits until it is gone, rather than building the same thing twice at
 * once. Returns whether it waited; the caller then checks the marker again.
 */
function waitForOtherInstall(root, name, log) {
  const others = () => partials(root, name).filter((p) => p.pid !== process.pid && isAlive(p.pid));
  let busy = others();
  if (busy.length === 0) return false;
  const t0 = Date.now();
  log(`process ${busy.map((p) => p.pid).join(', ')} is installing ${name} right now: waiting for it (${busy[0].dir})`);
  let last = t0;
  while (busy.length > 0) {
    sleepSync(2000);
    if (Date.now() - last > 60_000) {
      last = Date.now();
      log(`still waiting for process ${busy.map((p) => p.pid).join(', ')} (${Math.round((last - t0) / 1000)}s)`);
    }
    busy = others();
  }
  log(`the other install of ${name} ended after ${Math.round((Date.now() - t0) / 1000)}s`);
  return true;
}

/**
 * A fresh private work folder `root/.partial-<name>-<pid>`: the caller builds there and moves the
 * result into place when every step has succeeded.
 */
function partialDir(root, name) {
  fs.mkdirSync(root, { recursive: true });
  const work = path.join(root, `.partial-${name}-${process.pid}`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  return work;
}

function isCI() {
  return /^(1|true|yes)$/i.test(process.env.CI || '');
}

/**
 * Prints why a stage cannot run and what to install, and returns the exit code to use: under CI=true
 * a failure (1), elsewhere a loud skip (0). `stage` ("the real-VS-Code tests") and `skipped` ("E2E
 * TESTS") name it in the message.
 */
function reportInstallError(err, { tag, stage, skipped }) {
  process.stderr.write(`\n[${tag}] cannot set up ${stage}: ${err.message}\n`);
  if (err.instructions) process.stderr.write(`${err.instructions}\n`);
  if (isCI()) {
    process.stderr.write(`[${tag}] CI=true: this is a failure, not a skip.\n`);
    return 1;
  }
  process.stderr.write(`[${tag}] ${skipped} SKIPPED on this machine (under CI=true this fails).\n`);
  return 0;
}

module.exports = {
  InstallError,
  exists,
  which,
  readJson,
  cacheRoot,
  logger,
  childEnv,
  run,
  ensureDebianPackages,
  cleanStalePartials,
  waitForOtherInstall,
  partialDir,
  isCI,
  reportInstallError,
};
