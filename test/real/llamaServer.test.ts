/**
 * The model client against a real llama.cpp `llama-server` running a small real model (Qwen2.5-Coder
 * 0.5B Instruct, installed by scripts/llama/install.js). These tests assert on mechanisms, never on
 * what the model says: streaming with usage, listing models, cancelling frees the server's slot, a
 * prompt over the context is refused with the numbers, the 503 while loading is waited out, and
 * fill-in-the-middle really sends the suffix (the server's prompt token count grows with it).
 *
 * Run with `npm run test:real` (part of `npm test`).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildCompletionPrompt } from '../../src/core/completion/prompt';
import type { Logger } from '../../src/core/log';
import { createModelClient } from '../../src/core/model/client';
import type { EndpointConfig, ModelClient } from '../../src/core/model/types';
import { rejection } from '../fixtures/scripted';

interface LiveModel {
  baseURL: string;
  origin: string;
  model: string;
  ctx: number;
  logFile: string;
  log(): string;
  ready: Promise<number>;
  stop(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const liveModule = require(path.resolve('scripts/llama/liveModel.js')) as {
  startLiveModel: (options?: { ctx?: number; waitReady?: boolean; extraArgs?: string[] }) => Promise<LiveModel>;
  getStatus: (url: string) => Promise<{ status: number; body: string }>;
};
const { startLiveModel, getStatus } = liveModule;

class Lines implements Logger {
  readonly lines: string[] = [];
  trace(m: string) {
    this.lines.push(`trace ${m}`);
  }
  debug(m: string) {
    this.lines.push(`debug ${m}`);
  }
  info(m: string) {
    this.lines.push(`info ${m}`);
  }
  warn(m: string) {
    this.lines.push(`warn ${m}`);
  }
  error(m: string | Error) {
    this.lines.push(`error ${String(m)}`);
  }
}

/** Waits for a state of the server, polling its HTTP API (another process: nothing to subscribe to). */
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Slot {
  id: number;
  is_processing: boolean;
  next_token?: { n_decoded?: number } | Array<{ n_decoded?: number }>;
}

async function slots(origin: string): Promise<Slot[]> {
  const { status, body } = await getStatus(`${origin}/slots`);
  assert.equal(status, 200, `/slots answered ${status}`);
  return JSON.parse(body) as Slot[];
}

function decoded(slot: Slot): number {
  const next = Array.isArray(slot.next_token) ? slot.next_token[0] : slot.next_token;
  return next?.n_decoded ?? 0;
}

describe('real llama.cpp server', function () {
  // Generous: CPU inference on a shared machine.
  this.timeout(300_000);
  let live: LiveModel;
  let logger: Lines;
  let client: ModelClient;

  const config = (over: Partial<EndpointConfig> = {}): EndpointConfig => ({
    baseURL: live.baseURL,
    headers: {},
    timeoutMs: 120_000,
    deadlineMs: 240_000,
    maxRetries: 2,
    ...over,
  });

  before(async () => {
    live = await startLiveModel();
    logger = new Lines();
    client = createModelClient(config(), { logger });
  });
  after(async () => {
    await live?.stop();
  });

  it('lists its model', async () => {
    const ids = await client.listModels();
    assert.ok(ids.includes(live.model), `models: ${ids.join(', ')}`);
  });

  it('streams a chat reply in pieces and reports the usage from its last chunk', async () => {
    const stream = client.streamChat({
      feature: 'test',
      model: live.model,
      messages: [{ role: 'user', content: 'Write a JavaScript function that adds two numbers.' }],
      maxTokens: 24,
      temperature: 0,
    });
    const deltas: string[] = [];
    for await (const d of stream) deltas.push(d);
    const result = await stream.result;
    assert.ok(deltas.length >= 2, `streamed in ${deltas.length} piece(s)`);
    assert.equal(result.text, deltas.join(''));
    assert.equal(result.usage.estimated, false, 'usage comes from the server');
    assert.ok(result.usage.promptTokens > 10, `prompt tokens ${result.usage.promptTokens}`);
    assert.ok(result.usage.completionTokens >= 1 && result.usage.completionTokens <= 24, `completion tokens ${result.usage.completionTokens}`);
    assert.ok(result.finishReason === 'stop' || result.finishReason === 'length', `finish ${result.finishReason}`);
    assert.equal(typeof result.timeToFirstTokenMs, 'number');
  });

  it('cancelling mid-generation frees the server slot', async () => {
    const controller = new AbortController();
    const maxTokens = 2000;
    const stream = client.streamChat({
      feature: 'test',
      model: live.model,
      messages: [{ role: 'user', content: 'Count from 1 to 1000, one number per line.' }],
      maxTokens,
      temperature: 0,
      signal: controller.signal,
    });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    assert.equal(first.done, false, 'some text arrived');
    const busy = await slots(live.origin);
    assert.ok(busy.some((s) => s.is_processing), 'the slot is generating');
    controller.abort();
    const error = await rejection(stream.result);
    assert.equal(error.kind, 'cancelled');
    const freed = await until('the slot to be released', 60_000, async () => {
      const now = await slots(live.origin);
      return now.every((s) => !s.is_processing) ? now : undefined;
    });
    const n = Math.max(...freed.map(decoded));
    assert.ok(n < maxTokens, `the slot stopped after ${n} of ${maxTokens} tokens`);
    // The freed slot serves the next request at once (one slot: a busy one would queue it).
    const next = await client.streamChat({ feature: 'test', model: live.model, messages: [{ role: 'user', content: 'Hi' }], maxTokens: 4 }).result;
    assert.equal(next.usage.estimated, false);
  });

  it('a prompt over the context is refused with the numbers, at once', async () => {
    const big = Array.from({ length: 1200 }, (_, i) => `const value${i} = compute(${i});`).join('\n');
    const error = await rejection(
      client.streamChat({ feature: 'test', model: live.model, messages: [{ role: 'user', content: `Explain:\n${big}` }], maxTokens: 8 }).result,
    );
    assert.equal(error.detail?.reason, 'contextExceeded', error.userMessage);
    assert.equal(error.detail?.contextTokens, live.ctx);
    assert.ok((error.detail?.promptTokens ?? 0) > live.ctx, `prompt tokens ${error.detail?.promptTokens}`);
    assert.match(error.userMessage, new RegExp(`^The prompt \\(${error.detail?.promptTokens} tokens\\) does not fit the model's context on the server \\(${live.ctx} tokens\\)`));
  });

  describe('fill-in-the-middle: the suffix reaches the model', () => {
    const prefix = 'def total(items):\n    result = 0\n    for item in items:\n        result += ';
    const shortSuffix = '\n    return result\n';
    const longSuffix = `${shortSuffix}\n\n${Array.from({ length: 40 }, (_, i) => `def helper_${i}(x):\n    return x * ${i}\n`).join('\n')}`;

    it('through /infill (redline.completion.mode = infill)', async () => {
      const ask = (suffix: string) => client.streamInfill({ feature: 'test', model: live.model, prefix, suffix, maxTokens: 4, temperature: 0 }).result;
      const short = await ask(shortSuffix);
      const long = await ask(longSuffix);
      assert.equal(short.usage.estimated, false);
      assert.ok(long.usage.promptTokens > short.usage.promptTokens + 200, `prompt tokens ${short.usage.promptTokens} → ${long.usage.promptTokens}`);
    });

    it('through a client-side template (redline.completion.mode = fim-template)', async () => {
      const ask = (suffix: string) => {
        const built = buildCompletionPrompt(
          { path: 'a.py', languageId: 'python', prefix, suffix, snippets: [], lineMode: 'multi' },
          { mode: 'fim-template', fimTemplate: 'qwen2.5-coder', customFimTemplate: '' },
        );
        assert.equal(built.endpoint, 'completions');
        if (built.endpoint !== 'completions') throw new Error('unreachable');
        return client.streamCompletion({ feature: 'test', model: live.model, prompt: built.prompt, stop: built.stop, maxTokens: 4, temperature: 0 }).result;
      };
      const short = await ask(shortSuffix);
      const long = await ask(longSuffix);
      assert.equal(short.usage.estimated, false);
      assert.ok(long.usage.promptTokens > short.usage.promptTokens + 200, `prompt tokens ${short.usage.promptTokens} → ${long.usage.promptTokens}`);
    });

    it("is lost through /v1/completions' suffix (why the infill mode exists)", async () => {
      const ask = (suffix: string) => client.streamCompletion({ feature: 'test', model: live.model, prompt: prefix, suffix, maxTokens: 4, temperature: 0 }).result;
      const short = await ask(shortSuffix);
      const long = await ask(longSuffix);
      assert.equal(long.usage.promptTokens, short.usage.promptTokens, 'llama.cpp ignores `suffix` on /v1/completions');
    });
  });
});

describe('real llama.cpp server while it loads its model', function () {
  this.timeout(300_000);
  let live: LiveModel | undefined;
  after(async () => {
    await live?.stop();
  });

  it('answers 503 "Loading model", and the client waits it out', async () => {
    // Warm-up on and no mmap make loading take long enough to be seen.
    live = await startLiveModel({ waitReady: false, extraArgs: ['--warmup', '--no-mmap'] });
    const server = live;
    const seen = await until('the server to answer /health', 60_000, async () => {
      const { status } = await getStatus(`${server.origin}/health`);
      return status === 503 || status === 200 ? status : undefined;
    });
    const logger = new Lines();
    const client = createModelClient({ baseURL: server.baseURL, headers: {}, timeoutMs: 120_000, deadlineMs: 240_000, maxRetries: 1 }, { logger });
    const result = await client.streamChat({ feature: 'test', model: server.model, messages: [{ role: 'user', content: 'Hi' }], maxTokens: 4 }).result;
    assert.equal(result.usage.estimated, false);
    if (seen === 503) {
      // The request was sent while the server was loading: it was retried, not failed.
      assert.ok(
        logger.lines.some((l) => /HTTP 503, loading the model/.test(l)),
        `the client waited for the model to load:\n${logger.lines.join('\n')}`,
      );
    } else {
      assert.fail('the server was ready before it was first asked: the loading state was not observed');
    }
  });
});
