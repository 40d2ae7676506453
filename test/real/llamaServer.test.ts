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
  getStatus: (url: string, timeoutMs?: number) => Promise<{ status: number; body: string }>;
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
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, intervalMs = 100): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

interface Slot {
  id: number;
  id_task?: number;
  is_processing: boolean;
  next_token?: NextToken | NextToken[];
}
interface NextToken {
  has_next_token?: boolean;
  n_decoded?: number;
}

async function slots(origin: string): Promise<Slot[]> {
  const { status, body } = await getStatus(`${origin}/slots`);
  assert.equal(status, 200, `/slots answered ${status}`);
  return JSON.parse(body) as Slot[];
}

function nextToken(slot: Slot): NextToken {
  return (Array.isArray(slot.next_token) ? slot.next_token[0] : slot.next_token) ?? {};
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
    const stream = client.streamChat({
      feature: 'test',
      model: live.model,
      messages: [{ role: 'user', content: 'Count from 1 to 1000, one number per line.' }],
      maxTokens: 2000,
      temperature: 0,
      signal: controller.signal,
    });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    assert.equal(first.done, false, 'some text arrived');
    const [busy] = await slots(live.origin);
    assert.ok(busy.is_processing, 'the slot is generating');
    controller.abort();
    const error = await rejection(stream.result);
    assert.equal(error.kind, 'cancelled');
    const [freed] = await until('the slot to be released', 60_000, async () => {
      const now = await slots(live.origin);
      return now.every((s) => !s.is_processing) ? now : undefined;
    });
    // llama-server keeps has_next_token true on a slot released mid-generation (a cancelled task) and
    // sets it false on every natural stop (end of text, stop word, the token limit).
    assert.equal(freed.id_task, busy.id_task, 'the freed slot ran our task last');
    assert.equal(nextToken(freed).has_next_token, true, `the task was cut short: ${JSON.stringify(freed.next_token)}`);
    // The freed slot serves the next request (one slot: a busy one would queue it), which ends naturally.
    const next = await client.streamChat({ feature: 'test', model: live.model, messages: [{ role: 'user', content: 'Hi' }], maxTokens: 4 }).result;
    assert.equal(next.usage.estimated, false);
    const [after] = await slots(live.origin);
    assert.notEqual(after.id_task, busy.id_task);
    assert.equal(nextToken(after).has_next_token, false, 'a finished task is not marked cut short');
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
      assert.equal(short.usage.estimated, false);
      assert.equal(long.usage.promptTokens, short.usage.promptTokens, 'llama.cpp ignores `suffix` on /v1/completions');
    });
  });
});

describe('real llama.cpp server while it loads its model', function () {
  this.timeout(600_000);
  let live: LiveModel | undefined;
  afterEach(async () => {
    await live?.stop();
    live = undefined;
  });

  it('answers 503 "Loading model", and the client waits it out', async () => {
    // llama-server listens before its model is loaded and answers 503 until then. The request is sent
    // the moment /health says 503; loading takes about a second (no mmap, a warm-up run), so a fast
    // load can win the race: then the server is started again, a few times at most.
    const attempts: string[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      live = await startLiveModel({ waitReady: false, extraArgs: ['--warmup', '--no-mmap'] });
      const server = live;
      const seen = await until('the server to answer /health', 60_000, async () => {
        const { status } = await getStatus(`${server.origin}/health`, 1000);
        return status === 503 || status === 200 ? status : undefined;
      }, 20);
      if (seen !== 503) {
        attempts.push(`attempt ${attempt}: ready before the first answer`);
        await server.stop();
        continue;
      }
      const logger = new Lines();
      const client = createModelClient({ baseURL: server.baseURL, headers: {}, timeoutMs: 120_000, deadlineMs: 240_000, maxRetries: 1 }, { logger });
      const result = await client.streamChat({ feature: 'test', model: server.model, messages: [{ role: 'user', content: 'Hi' }], maxTokens: 4 }).result;
      assert.equal(result.usage.estimated, false, 'answered by the loaded model');
      if (logger.lines.some((l) => /HTTP 503, loading the model/.test(l))) return;
      attempts.push(`attempt ${attempt}: loaded before the request arrived:\n${logger.lines.join('\n')}`);
      await server.stop();
    }
    assert.fail(`the loading state was never caught:\n${attempts.join('\n')}`);
  });
});
