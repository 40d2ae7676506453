#!/usr/bin/env node
// Starts the real model server: llama.cpp's llama-server with the small real model that
// scripts/llama/install.js installs (building/downloading them once), on a free local port.
//
//   npm run live-model [-- --ctx 4096 --port 8080]
//
// prints the OpenAI base URL (http://127.0.0.1:PORT/v1) once /health answers 200, and stops the
// server when it is interrupted (Ctrl-C) or its parent exits. Tests and the live evals use
// `startLiveModel()` from this module.
'use strict';

const http = require('http');
const net = require('net');
const path = require('path');
const fs = require('fs');
const os = require('os');
const { spawn } = require('child_process');
const install = require('./install');

/** Context size: small keeps memory and the prompt-over-the-context test cheap; enough for Edit Selection's prompts. */
const DEFAULT_CTX = 4096;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function getStatus(url, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
  });
}

/**
 * Starts llama-server and resolves once it serves (unless `waitReady` is false: then at once, for
 * tests of the 503 it answers while loading). Resolves with { baseURL, origin, port, model, logFile,
 * log(), ready, stop() }.
 */
async function startLiveModel(options = {}) {
  const { server, model, modelAlias } = install.ensureInstalled();
  const port = options.port || (await freePort());
  const ctx = options.ctx || DEFAULT_CTX;
  const threads = options.threads || Math.max(1, Math.min(4, os.cpus().length));
  const logFile = options.logFile || path.join(os.tmpdir(), `redline-llama-${port}.log`);
  const args = [
    '-m', model,
    '--host', '127.0.0.1',
    '--port', String(port),
    '--jinja',
    '--alias', modelAlias,
    '-c', String(ctx),
    '-np', String(options.parallel || 1),
    '-t', String(threads),
    '--no-webui',
    '--slots',
    '--metrics',
    '--no-warmup',
    ...(options.extraArgs || []),
  ];
  const out = fs.openSync(logFile, 'w');
  const child = spawn(server, args, { stdio: ['ignore', out, out], detached: false });
  fs.closeSync(out);
  // However this process ends, the server ends with it.
  const killOnExit = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const origin = `http://127.0.0.1:${port}`;
  let exited = null;
  const exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => {
    exited = { code, signal };
    resolve(exited);
  }));

  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => { if (!exited) child.kill('SIGKILL'); }, 5000);
    await exitPromise;
    clearTimeout(timer);
  };
  const log = () => {
    try {
      return fs.readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };

  const readyTimeoutMs = options.readyTimeoutMs || 300_000;
  const ready = (async () => {
    const t0 = Date.now();
    for (;;) {
      if (exited) throw new Error(`llama-server exited (${JSON.stringify(exited)}) before it was ready; log ${logFile}:\n${log().slice(-3000)}`);
      const { status } = await getStatus(`${origin}/health`);
      if (status === 200) return Date.now() - t0;
      if (Date.now() - t0 > readyTimeoutMs) {
        await stop();
        throw new Error(`llama-server was not ready within ${readyTimeoutMs / 1000} s; log ${logFile}:\n${log().slice(-3000)}`);
      }
      // Waiting for a state of another process: poll its health endpoint.
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  ready.catch(() => undefined);
  const result = { baseURL: `${origin}/v1`, origin, port, model: modelAlias, modelPath: model, ctx, logFile, log, ready, stop, child };
  if (options.waitReady !== false) await ready;
  return result;
}

module.exports = { startLiveModel, DEFAULT_CTX, getStatus };

if (require.main === module) {
  const argv = process.argv.slice(2);
  const opt = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  (async () => {
    const t0 = Date.now();
    const live = await startLiveModel({ ctx: Number(opt('--ctx')) || undefined, port: Number(opt('--port')) || undefined });
    process.stderr.write(`[live-model] llama-server ready in ${((Date.now() - t0) / 1000).toFixed(1)}s, model "${live.model}", log ${live.logFile}\n`);
    process.stdout.write(`${live.baseURL}\n`);
    const shutdown = async () => {
      await live.stop();
      process.exit(0);
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
    process.on('SIGHUP', shutdown);
    live.child.once('exit', (code) => {
      process.stderr.write(`[live-model] llama-server exited (${code})\n`);
      process.exit(code === 0 ? 0 : 1);
    });
  })().catch((err) => {
    process.stderr.write(`[live-model] ${err.message}\n`);
    if (err.instructions) process.stderr.write(`${err.instructions}\n`);
    process.exit(1);
  });
}
