import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, AuthenticationError, RateLimitError } from 'openai';
import type { Logger } from '../../src/core/log';
import { abortSignalFrom, type CancellationLike } from '../../src/core/model/cancel';
import { BACKOFF_CAP_MS, backoffDelayMs, createModelClient, FINISH_STOPPED_BY_CLIENT, type ModelClientOptions } from '../../src/core/model/client';
import { displayURL, isRetryable, retryAfterMs, toModelError } from '../../src/core/model/errors';
import {
  type ChatRequest,
  type EndpointConfig,
  type ModelClient,
  ModelError,
  type ModelStream,
  type RequestEvent,
} from '../../src/core/model/types';
import { DEFAULT_COMPLETION, DEMO_COMMENT } from '../fixtures/fakeModelServer';
import { ManualTimers } from '../fixtures/manualTimers';
import { rejection, useScriptedServer } from '../fixtures/scripted';

/** A Logger that keeps every line, arguments included, as text. */
class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  private add(level: string, message: unknown, args: unknown[]) {
    const parts = [message, ...args].map((part) =>
      part instanceof Error ? `${part.name}: ${part.message} ${String(part.stack)}` : typeof part === 'string' ? part : JSON.stringify(part),
    );
    this.lines.push(`${level} ${parts.join(' ')}`);
  }
  trace(message: string, ...args: unknown[]) {
    this.add('trace', message, args);
  }
  debug(message: string, ...args: unknown[]) {
    this.add('debug', message, args);
  }
  info(message: string, ...args: unknown[]) {
    this.add('info', message, args);
  }
  warn(message: string, ...args: unknown[]) {
    this.add('warn', message, args);
  }
  error(message: string | Error, ...args: unknown[]) {
    this.add('error', message, args);
  }
}

interface Harness {
  client: ModelClient;
  logger: RecordingLogger;
  events: RequestEvent[];
  sleeps: number[];
}

function chat(content: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { feature: 'edit', model: 'test-model', messages: [{ role: 'user', content }], ...extra };
}

async function collect(stream: ModelStream): Promise<{ deltas: string[]; error?: unknown }> {
  const deltas: string[] = [];
  try {
    for await (const delta of stream) deltas.push(delta);
    return { deltas };
  } catch (error) {
    return { deltas, error };
  }
}


async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('model client against the fake OpenAI server', () => {
  const server = useScriptedServer({ perTest: true });

  function harness(config: Partial<EndpointConfig> = {}, options: Partial<ModelClientOptions> = {}): Harness {
    const logger = new RecordingLogger();
    const events: RequestEvent[] = [];
    const sleeps: number[] = [];
    const client = createModelClient(
      { baseURL: server.baseURL, headers: {}, timeoutMs: 5000, maxRetries: 2, ...config },
      {
        logger,
        observer: (event) => events.push(event),
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        ...options,
      },
    );
    return { client, logger, events, sleeps };
  }

  describe('replies that are not what they seem', () => {
    for (const field of ['reasoning_content', 'reasoning'] as const) {
      it(`keeps ${field} deltas out of the text and hands them to onReasoning`, async () => {
        const h = harness();
        server.enqueue({ reasoning: ['The loop ', 'adds prices.'], reasoningField: field, chunks: ['```ts\n', 'x();\n', '```'], omitUsage: true });
        const thoughts: string[] = [];
        const stream = h.client.streamChat(chat('x', { onReasoning: (d) => thoughts.push(d) }));
        const { deltas, error } = await collect(stream);
        assert.equal(error, undefined);
        assert.deepEqual(deltas, ['```ts\n', 'x();\n', '```']);
        assert.deepEqual(thoughts, ['The loop ', 'adds prices.']);
        const result = await stream.result;
        assert.equal(result.text, '```ts\nx();\n```');
        assert.equal(result.reasoning, 'The loop adds prices.');
        // The estimate counts the reasoning: it took tokens too.
        assert.equal(result.usage.completionTokens, Math.ceil(('The loop adds prices.'.length + result.text.length) / 4));
      });
    }

    it('a reply with reasoning and no content is no "empty reply" error: the text is empty, the reasoning kept', async () => {
      const h = harness();
      server.enqueue({ reasoning: ['Thinking ', 'and thinking'], chunks: [], finishReason: 'length' });
      const stream = h.client.streamChat(chat('x'));
      const { deltas, error } = await collect(stream);
      assert.equal(error, undefined);
      assert.deepEqual(deltas, []);
      const result = await stream.result;
      assert.deepEqual([result.text, result.reasoning, result.finishReason], ['', 'Thinking and thinking', 'length']);
    });

    it('reports finish_reason "length" from the server', async () => {
      const h = harness();
      server.enqueue({ chunks: ['```ts\n', 'function f('], finishReason: 'length' });
      const result = await h.client.streamChat(chat('x')).result;
      assert.equal(result.finishReason, 'length');
    });

    it('reports a stream that ends without finish_reason or [DONE] as finishReason null', async () => {
      const h = harness();
      server.enqueue({ chunks: ['```ts\n', 'function f('], fault: 'endWithoutFinish' });
      const stream = h.client.streamChat(chat('x'));
      const { deltas, error } = await collect(stream);
      assert.equal(error, undefined);
      assert.deepEqual(deltas, ['```ts\n', 'function f(']);
      assert.equal((await stream.result).finishReason, null);
    });
  });

  describe('streaming', () => {
    it('yields the chat reply in order and reports server usage', async () => {
      const h = harness();
      server.enqueue({ chunks: ['const ', 'a = ', '1;', '\n'], usage: { prompt_tokens: 7, completion_tokens: 11 } });
      const stream = h.client.streamChat(chat('hello'));
      const { deltas, error } = await collect(stream);
      assert.equal(error, undefined);
      assert.deepEqual(deltas, ['const ', 'a = ', '1;', '\n']);
      const result = await stream.result;
      assert.equal(result.text, 'const a = 1;\n');
      assert.equal(result.requestId, stream.requestId);
      assert.deepEqual(result.usage, { promptTokens: 7, completionTokens: 11, estimated: false });
      assert.equal(result.finishReason, 'stop');
      assert.equal(typeof result.timeToFirstTokenMs, 'number');
      assert.equal(typeof result.totalMs, 'number');

      const body = server.requests[0].body;
      assert.equal(body.stream, true);
      assert.deepEqual(body.stream_options, { include_usage: true });
      assert.deepEqual(body.messages, [{ role: 'user', content: 'hello' }]);
      assert.equal(h.events.length, 1);
      assert.deepEqual(
        { outcome: h.events[0].outcome, feature: h.events[0].feature, model: h.events[0].model, p: h.events[0].promptTokens },
        { outcome: 'ok', feature: 'edit', model: 'test-model', p: 7 },
      );
    });

    it('sends temperature, max_tokens and stop when given', async () => {
      const h = harness();
      await h.client.streamChat(chat('x', { temperature: 0.2, maxTokens: 64, stop: ['```'] })).result;
      const body = server.requests[0].body;
      assert.equal(body.temperature, 0.2);
      assert.equal(body.max_tokens, 64);
      assert.deepEqual(body.stop, ['```']);
    });

    it('estimates usage at about four characters a token when the server reports none', async () => {
      const h = harness();
      const reply = 'x'.repeat(40);
      server.enqueue({ reply, omitUsage: true });
      const result = await h.client.streamChat(chat('y'.repeat(80))).result;
      assert.equal(result.text, reply);
      assert.deepEqual(result.usage, { promptTokens: 20, completionTokens: 10, estimated: true });
      assert.equal(h.events[0].usageEstimated, true);
    });

    it('resolves the result even when nobody iterates the stream', async () => {
      const h = harness();
      server.enqueue({ reply: 'only the result is read' });
      const result = await h.client.streamChat(chat('hi')).result;
      assert.equal(result.text, 'only the result is read');
    });

    it('answers with the demo echo of the last code block by default', async () => {
      const h = harness();
      const result = await h.client.streamChat(chat('Rename it.\n```ts\nlet a = 1;\n```')).result;
      assert.equal(result.text, `\`\`\`ts\n// ${DEMO_COMMENT}\nlet a = 1;\n\`\`\`\n`);
    });

    it('sends prompt and suffix to /completions for fill-in-the-middle', async () => {
      const h = harness();
      const stream = h.client.streamCompletion({ feature: 'completion', model: 'fim-model', prompt: 'function add(a, b) {\n  return ', suffix: '\n}\n', maxTokens: 16 });
      const { deltas } = await collect(stream);
      const result = await stream.result;
      assert.equal(deltas.join(''), DEFAULT_COMPLETION);
      assert.equal(result.text, DEFAULT_COMPLETION);
      assert.equal(result.usage.estimated, false);
      assert.equal(server.requests.length, 1);
      const request = server.requests[0];
      assert.equal(request.path, '/v1/completions');
      assert.equal(request.body.prompt, 'function add(a, b) {\n  return ');
      assert.equal(request.body.suffix, '\n}\n');
      assert.equal(request.body.max_tokens, 16);
      assert.equal(request.body.stream, true);
      assert.deepEqual(server.requestCounts(), { chat: 0, completions: 1, infill: 0, models: 0, other: 0 });
    });

    it('omits suffix when the request has none', async () => {
      const h = harness();
      await h.client.streamCompletion({ feature: 'completion', model: 'm', prompt: 'abc' }).result;
      assert.equal('suffix' in server.requests[0].body, false);
    });
  });

  describe('failures and retries', () => {
    it('maps 401 to unauthorised with a Set API Key step and does not retry', async () => {
      const h = harness({ maxRetries: 3 });
      server.enqueue({ fault: 'http401' });
      const stream = h.client.streamChat(chat('x'));
      const { error } = await collect(stream);
      const resultError = await rejection(stream.result);
      assert.equal(error, resultError);
      assert.equal(resultError.kind, 'unauthorised');
      assert.deepEqual(resultError.nextSteps, ['setApiKey', 'openSettings']);
      assert.equal(resultError.detail?.status, 401);
      assert.equal(server.requests.length, 1);
      assert.deepEqual(h.sleeps, []);
      assert.equal(h.events[0].outcome, 'unauthorised');
    });

    it('maps 404 to notFound naming the model', async () => {
      const h = harness();
      server.enqueue({ fault: 'http404' });
      const error = await rejection(h.client.streamChat(chat('x', { model: 'no-such-model' })).result);
      assert.equal(error.kind, 'notFound');
      assert.match(error.userMessage, /no-such-model/);
      assert.deepEqual(error.nextSteps, ['openSettings']);
    });

    it('retries a 429 after the retry-after wait, then succeeds', async () => {
      const h = harness({ maxRetries: 2 });
      server.enqueue({ fault: 'http429', retryAfterSeconds: 1 }, { reply: 'after the wait' });
      const result = await h.client.streamChat(chat('x')).result;
      assert.equal(result.text, 'after the wait');
      assert.deepEqual(h.sleeps, [1000]);
      assert.equal(server.requests.length, 2);
      assert.equal(h.events.length, 1);
      assert.equal(h.events[0].outcome, 'ok');
      assert.ok(h.logger.lines.some((line) => /retrying in 1000ms/.test(line)), 'the retry is logged');
    });

    it('fails a 429 at once, naming the wait, when the server asks for more than 20 seconds', async () => {
      const h = harness({ maxRetries: 2 });
      server.enqueue({ fault: 'http429', retryAfterSeconds: 60 }, { reply: 'never fetched' });
      const error = await rejection(h.client.streamChat(chat('x')).result);
      assert.equal(error.kind, 'rateLimited');
      assert.deepEqual(error.nextSteps, ['retry']);
      assert.match(error.userMessage, /60 seconds/);
      assert.equal(error.detail?.retryAfterMs, 60_000);
      assert.deepEqual(h.sleeps, []);
      assert.equal(server.requests.length, 1);
    });

    it('retries a 500 maxRetries times with growing backoff, then fails with server', async () => {
      const h = harness({ maxRetries: 2 });
      server.setResponder(() => ({ fault: 'http500' }));
      const error = await rejection(h.client.streamChat(chat('x')).result);
      assert.equal(error.kind, 'server');
      assert.deepEqual(error.nextSteps, ['retry', 'openOutput']);
      assert.equal(server.requests.length, 3);
      assert.equal(h.sleeps.length, 2);
      // Equal jitter: attempt n waits between half and all of 500 ms * 2^n.
      assert.ok(h.sleeps[0] >= 250 && h.sleeps[0] <= 500, `first backoff ${h.sleeps[0]}`);
      assert.ok(h.sleeps[1] >= 500 && h.sleeps[1] <= 1000, `second backoff ${h.sleeps[1]}`);
      assert.equal(h.events.length, 1);
      assert.equal(h.events[0].outcome, 'server');
    });

    it('does not retry at all when maxRetries is 0', async () => {
      const h = harness({ maxRetries: 0 });
      server.enqueue({ fault: 'http500' }, { reply: 'not reached' });
      const error = await rejection(h.client.streamChat(chat('x')).result);
      assert.equal(error.kind, 'server');
      assert.equal(server.requests.length, 1);
      assert.deepEqual(h.sleeps, []);
    });

    it('maps a refused connection to unreachable, naming the base URL, after retrying', async () => {
      const port = await closedPort();
      const url = `http://127.0.0.1:${port}/v1`;
      const h = harness({ baseURL: url, maxRetries: 1 });
      const stream = h.client.streamChat(chat('x'));
      const { error } = await collect(stream);
      assert.ok(error instanceof ModelError);
      assert.equal(error.kind, 'unreachable');
      assert.equal(error.userMessage, `Cannot reach the model server at ${url}.`);
      assert.deepEqual(error.nextSteps, ['openSettings', 'retry']);
      assert.equal(h.sleeps.length, 1);
    });

    // The idle timer runs on a clock the test fires once the server holds the request: the outcome
    // is the same however loaded the machine is.
    it('times out a server that never answers, and does not retry', async () => {
      const timers = new ManualTimers();
      const h = harness({ timeoutMs: 150, maxRetries: 2 }, { timers });
      server.enqueue({ fault: 'hang' });
      const result = h.client.streamChat(chat('x')).result;
      await server.waitForRequests(1, 60_000);
      assert.deepEqual(timers.armed(), [150], 'the idle timer is armed while the request waits');
      assert.equal(timers.fire(150), 1);
      const error = await rejection(result);
      assert.equal(error.kind, 'timeout');
      assert.match(error.userMessage, /did not answer within 150 ms\./);
      assert.deepEqual(error.nextSteps, ['retry', 'openSettings']);
      await server.waitUntil(() => server.requests[0].aborted, 60_000, 'the hanging request to be closed');
      assert.equal(server.requests.length, 1);
      assert.deepEqual(timers.armed(), [], 'no timer left behind');
    });

    it('times out a stream whose first token never comes after the headers', async () => {
      const timers = new ManualTimers();
      const h = harness({ timeoutMs: 150 }, { timers });
      server.enqueue({ reply: 'too late', delayFirstMs: 60_000 });
      const result = h.client.streamChat(chat('x')).result;
      await server.waitUntil(() => server.requests[0]?.streaming === true, 60_000, 'the headers to go out');
      assert.equal(timers.fire(150), 1, 'the headers did not disarm the first-token timer');
      const error = await rejection(result);
      assert.equal(error.kind, 'timeout');
      await server.waitUntil(() => server.requests[0].aborted, 60_000, 'the stalled request to be closed');
    });

    it('maps a cut stream to badResponse and never retries once text has arrived', async () => {
      const h = harness({ maxRetries: 3 });
      server.enqueue({ chunks: ['one ', 'two ', 'three ', 'four '], fault: 'cutStream' }, { reply: 'a retry would duplicate text' });
      const stream = h.client.streamChat(chat('x'));
      const { deltas, error } = await collect(stream);
      assert.deepEqual(deltas, ['one ', 'two ']);
      assert.ok(error instanceof ModelError);
      assert.equal(error.kind, 'badResponse');
      assert.deepEqual(error.nextSteps, ['retry', 'openOutput']);
      assert.equal(server.requests.length, 1);
      assert.deepEqual(h.sleeps, []);
      assert.equal(server.pendingScripts(), 1);
    });

    it('maps a malformed chunk to badResponse', async () => {
      const h = harness();
      server.enqueue({ chunks: ['fine ', 'then garbage'], fault: 'malformedChunk' });
      const stream = h.client.streamChat(chat('x'));
      const { deltas, error } = await collect(stream);
      assert.deepEqual(deltas, ['fine ']);
      assert.ok(error instanceof ModelError);
      assert.equal(error.kind, 'badResponse');
      assert.equal(server.requests.length, 1);
    });

    it('maps an empty stream to badResponse', async () => {
      const h = harness();
      server.enqueue({ fault: 'empty' });
      const error = await rejection(h.client.streamChat(chat('x')).result);
      assert.equal(error.kind, 'badResponse');
      assert.match(error.userMessage, /empty/);
    });
  });

  describe('cancellation', () => {
    it('aborting mid-stream ends with cancelled and closes the connection', async () => {
      const h = harness();
      server.enqueue({ chunks: ['first ', 'second ', 'third '], delayBetweenMs: 60_000 });
      const controller = new AbortController();
      const stream = h.client.streamChat(chat('x', { signal: controller.signal }));
      const deltas: string[] = [];
      let caught: unknown;
      try {
        for await (const delta of stream) {
          deltas.push(delta);
          controller.abort();
        }
      } catch (error) {
        caught = error;
      }
      assert.deepEqual(deltas, ['first ']);
      assert.ok(caught instanceof ModelError);
      assert.equal(caught.kind, 'cancelled');
      assert.deepEqual(caught.nextSteps, []);
      assert.equal((await rejection(stream.result)).kind, 'cancelled');
      await server.waitUntil(() => server.requests[0].aborted, 5000, 'the server to see the connection closed');
      assert.equal(h.events[0].outcome, 'cancelled');
    });

    it('breaking out of the loop closes the connection and keeps the text so far', async () => {
      const h = harness();
      server.enqueue({ chunks: ['first ', 'second ', 'third '], delayBetweenMs: 60_000 });
      const stream = h.client.streamChat(chat('x'));
      for await (const delta of stream) {
        assert.equal(delta, 'first ');
        break;
      }
      const result = await stream.result;
      assert.equal(result.text, 'first ');
      assert.equal(result.finishReason, FINISH_STOPPED_BY_CLIENT);
      await server.waitUntil(() => server.requests[0].aborted, 5000, 'the server to see the connection closed');
    });

    it('breaking out after the server has sent its whole reply settles the result', async () => {
      const h = harness();
      server.enqueue({ chunks: ['\n  }'], delayFirstMs: 150, delayBetweenMs: 10 });
      const stream = h.client.streamChat(chat('x'));
      for await (const delta of stream) {
        assert.equal(delta, '\n  }');
        break;
      }
      const result = await stream.result;
      assert.equal(result.text, '\n  }');
    });

    it('a signal aborted before the call sends nothing', async () => {
      const h = harness();
      const controller = new AbortController();
      controller.abort();
      const error = await rejection(h.client.streamChat(chat('x', { signal: controller.signal })).result);
      assert.equal(error.kind, 'cancelled');
      assert.equal(server.requests.length, 0);
    });

    it('aborting while waiting to retry cancels instead of retrying', async () => {
      const controller = new AbortController();
      const h = harness({ maxRetries: 3 }, {
        sleep: async () => {
          controller.abort();
        },
      });
      server.setResponder(() => ({ fault: 'http500' }));
      const error = await rejection(h.client.streamChat(chat('x', { signal: controller.signal })).result);
      assert.equal(error.kind, 'cancelled');
      assert.equal(server.requests.length, 1);
    });

    it('a cancelled CancellationLike token aborts the request through abortSignalFrom', async () => {
      const h = harness();
      server.enqueue({ chunks: ['a', 'b'], delayBetweenMs: 60_000 });
      const token = new FakeToken();
      const linked = abortSignalFrom(token);
      const stream = h.client.streamChat(chat('x', { signal: linked.signal }));
      const deltas: string[] = [];
      await assert.rejects(async () => {
        for await (const delta of stream) {
          deltas.push(delta);
          token.cancel();
        }
      }, ModelError);
      linked.dispose();
      assert.deepEqual(deltas, ['a']);
      assert.equal((await rejection(stream.result)).kind, 'cancelled');
      await server.waitUntil(() => server.requests[0].aborted, 5000, 'the request to be closed');
    });
  });

  describe('logging', () => {
    it('logs one line per request with id, feature, model, tokens, timings and outcome', async () => {
      const h = harness();
      server.enqueue({ reply: 'done', usage: { prompt_tokens: 3, completion_tokens: 4 } });
      const stream = h.client.streamChat(chat('x', { feature: 'explain', model: 'm-1' }));
      await stream.result;
      const line = h.logger.lines.find((l) => l.startsWith('info') && l.includes(stream.requestId));
      assert.ok(line, h.logger.lines.join('\n'));
      for (const part of ['feature=explain', 'model=m-1', 'outcome=ok', 'promptTokens=3', 'completionTokens=4', 'ttft=', 'total=']) {
        assert.ok(line.includes(part), `${part} missing from: ${line}`);
      }
    });

    it('never logs the API key or header values, even when the server echoes them', async () => {
      const key = 'sk-test-SECRET-0123456789';
      const headerSecret = 'hdr-SECRET-9876543210';
      server.requireApiKey('the-right-key');
      const h = harness({ apiKey: key, headers: { 'X-Gateway-Token': headerSecret }, maxRetries: 1 });

      const rejected = await rejection(h.client.streamChat(chat('x')).result);
      assert.equal(rejected.kind, 'unauthorised');
      const modelsError = await rejection(h.client.listModels());
      assert.equal(modelsError.kind, 'unauthorised');
      // The key did travel, and the server's error message quoted it back.
      assert.equal(server.requests[0].headers.authorization, `Bearer ${key}`);
      assert.equal(server.requests[0].headers['x-gateway-token'], headerSecret);

      const ok = harness({ apiKey: 'the-right-key', headers: { 'X-Gateway-Token': headerSecret } });
      await ok.client.streamChat(chat('x')).result;

      const all = [...h.logger.lines, ...ok.logger.lines];
      assert.ok(all.length >= 3, 'requests were logged');
      for (const line of all) {
        assert.ok(!line.includes(key), `key leaked: ${line}`);
        assert.ok(!line.includes(headerSecret), `header value leaked: ${line}`);
        assert.ok(!line.includes('the-right-key'), `key leaked: ${line}`);
      }
      assert.ok(!rejected.userMessage.includes(key));
    });
  });

  describe('listModels', () => {
    it('returns the ids from GET /models', async () => {
      const h = harness();
      const ids = await h.client.listModels();
      assert.deepEqual(ids, ['redline-demo', 'redline-demo-fim']);
      assert.equal(server.requests[0].path, '/v1/models');
      assert.equal(server.requests[0].method, 'GET');
    });

    it('maps a refused connection to unreachable', async () => {
      const port = await closedPort();
      const h = harness({ baseURL: `http://127.0.0.1:${port}/v1` });
      const error = await rejection(h.client.listModels());
      assert.equal(error.kind, 'unreachable');
    });
  });
});

class FakeToken implements CancellationLike {
  isCancellationRequested = false;
  readonly listeners = new Set<() => void>();
  onCancellationRequested(listener: () => void) {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  cancel() {
    this.isCancellationRequested = true;
    for (const listener of [...this.listeners]) listener();
  }
}

describe('abortSignalFrom', () => {
  it('aborts when the token is cancelled', () => {
    const token = new FakeToken();
    const { signal } = abortSignalFrom(token);
    assert.equal(signal.aborted, false);
    token.cancel();
    assert.equal(signal.aborted, true);
  });

  it('aborts when any other signal aborts, with its reason', () => {
    const token = new FakeToken();
    const a = new AbortController();
    const b = new AbortController();
    const { signal } = abortSignalFrom(token, a.signal, b.signal);
    b.abort('stale');
    assert.equal(signal.aborted, true);
    assert.equal(signal.reason, 'stale');
  });

  it('starts aborted when the token or a signal already is', () => {
    const cancelled = new FakeToken();
    cancelled.cancel();
    assert.equal(abortSignalFrom(cancelled).signal.aborted, true);
    assert.equal(abortSignalFrom(new FakeToken(), AbortSignal.abort()).signal.aborted, true);
  });

  it('dispose detaches from the token and the signals', () => {
    const token = new FakeToken();
    const other = new AbortController();
    const linked = abortSignalFrom(token, other.signal);
    assert.equal(token.listeners.size, 1);
    linked.dispose();
    linked.dispose();
    assert.equal(token.listeners.size, 0);
    token.cancel();
    other.abort();
    assert.equal(linked.signal.aborted, false);
  });
});

describe('model errors', () => {
  const ctx = { baseURL: 'http://user:pw@models.example:8000/v1/', model: 'coder', timeoutMs: 30_000, phase: 'connect' as const };
  const headers = (entries: Record<string, string>) => new Headers(entries);

  const table: Array<{ name: string; error: unknown; kind: ModelError['kind']; steps: string[]; retryable: boolean }> = [
    { name: '401', error: new AuthenticationError(401, { message: 'bad key' }, undefined, headers({})), kind: 'unauthorised', steps: ['setApiKey', 'openSettings'], retryable: false },
    { name: '403', error: APIError.generate(403, { message: 'no' }, undefined, headers({})), kind: 'unauthorised', steps: ['setApiKey', 'openSettings'], retryable: false },
    { name: '404', error: APIError.generate(404, { message: 'missing' }, undefined, headers({})), kind: 'notFound', steps: ['openSettings'], retryable: false },
    { name: '429', error: new RateLimitError(429, { message: 'slow' }, undefined, headers({})), kind: 'rateLimited', steps: ['retry'], retryable: true },
    { name: '503', error: APIError.generate(503, { message: 'busy' }, undefined, headers({})), kind: 'server', steps: ['retry', 'openOutput'], retryable: true },
    { name: '400', error: APIError.generate(400, { message: 'context too long' }, undefined, headers({})), kind: 'server', steps: ['retry', 'openOutput'], retryable: false },
    {
      name: "llama.cpp's 500 for suffix",
      error: APIError.generate(500, { error: { code: 500, message: 'Unsupported param: suffix', type: 'server_error' } }, undefined, headers({})),
      kind: 'server',
      steps: ['openSettings'],
      retryable: false,
    },
    { name: 'connection', error: new APIConnectionError({ cause: new Error('fetch failed') }), kind: 'unreachable', steps: ['openSettings', 'retry'], retryable: true },
    { name: 'SDK timeout', error: new APIConnectionTimeoutError(), kind: 'timeout', steps: ['retry', 'openSettings'], retryable: false },
    { name: 'user abort', error: new APIUserAbortError(), kind: 'cancelled', steps: [], retryable: false },
    { name: 'bad JSON', error: new SyntaxError('Unexpected token'), kind: 'badResponse', steps: ['retry', 'openOutput'], retryable: false },
  ];
  for (const row of table) {
    it(`maps ${row.name} to ${row.kind}`, () => {
      const error = toModelError(row.error, ctx);
      assert.equal(error.kind, row.kind);
      assert.deepEqual(error.nextSteps, row.steps);
      assert.equal(isRetryable(error), row.retryable);
      assert.ok(!error.userMessage.includes('pw'), 'credentials in the URL are never shown');
      assert.ok(!/\n/.test(error.userMessage), 'one line');
    });
  }

  it('a network failure once the reply has started is a cut stream, not unreachable', () => {
    assert.equal(toModelError(new TypeError('terminated'), { ...ctx, phase: 'stream' }).kind, 'badResponse');
  });

  it('our own abort reasons win over what the SDK threw', () => {
    assert.equal(toModelError(new APIUserAbortError(), { ...ctx, abortReason: 'timeout' }).kind, 'timeout');
    assert.equal(toModelError(new APIUserAbortError(), { ...ctx, abortReason: 'caller' }).kind, 'cancelled');
  });

  it('reads retry-after-ms, retry-after seconds and retry-after dates', () => {
    assert.equal(retryAfterMs(headers({ 'retry-after-ms': '250' })), 250);
    assert.equal(retryAfterMs(headers({ 'retry-after': '2' })), 2000);
    assert.equal(retryAfterMs(headers({ 'retry-after-ms': '100', 'retry-after': '9' })), 100);
    const now = Date.parse('2030-01-01T00:00:00Z');
    assert.equal(retryAfterMs(headers({ 'retry-after': 'Tue, 01 Jan 2030 00:00:05 GMT' }), now), 5000);
    assert.equal(retryAfterMs(headers({})), undefined);
    assert.equal(retryAfterMs(headers({ 'retry-after': 'soon' })), undefined);
  });

  it('shows the base URL without credentials', () => {
    assert.equal(displayURL('http://user:pw@models.example:8000/v1/'), 'http://models.example:8000/v1');
  });

  it('backoff grows exponentially, stays within its jitter band and is capped', () => {
    for (const random of [0, 0.5, 0.999]) {
      for (let attempt = 0; attempt < 8; attempt++) {
        const ceiling = Math.min(BACKOFF_CAP_MS, 500 * 2 ** attempt);
        const delay = backoffDelayMs(attempt, () => random);
        assert.ok(delay >= ceiling / 2 && delay <= ceiling, `attempt ${attempt}: ${delay}`);
      }
    }
  });
});
