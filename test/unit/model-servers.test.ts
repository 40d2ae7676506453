/**
 * The model client against what real servers do (issue 9 "Timeouts and servers", issue 11): each
 * fault scripted on the fake server, each test failing without its fix.
 */
import * as assert from 'node:assert/strict';
import { APIError } from 'openai';
import type { Logger } from '../../src/core/log';
import { createModelClient, infillURL, LOADING_POLL_MAX_MS, type ModelClientOptions } from '../../src/core/model/client';
import { contextExceeded, formatDuration, timeoutError, toModelError } from '../../src/core/model/errors';
import { type EndpointConfig, type ModelClient, type ModelStream } from '../../src/core/model/types';
import { DEFAULT_COMPLETION } from '../fixtures/fakeModelServer';
import { ManualTimers } from '../fixtures/manualTimers';
import { rejection, useScriptedServer } from '../fixtures/scripted';

const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };


async function drain(stream: ModelStream): Promise<string[]> {
  const deltas: string[] = [];
  try {
    for await (const d of stream) deltas.push(d);
  } catch {
    // the result carries the error
  }
  return deltas;
}

describe('model client against real-server behaviour', () => {
  const server = useScriptedServer({ perTest: true });

  function client(config: Partial<EndpointConfig> = {}, options: Partial<ModelClientOptions> = {}): { client: ModelClient; sleeps: number[] } {
    const sleeps: number[] = [];
    const c = createModelClient(
      { baseURL: server.baseURL, headers: {}, timeoutMs: 5000, maxRetries: 2, ...config },
      {
        logger: quiet,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        ...options,
      },
    );
    return { client: c, sleeps };
  }

  const chat = (extra = {}) => ({ feature: 'edit', model: 'm', messages: [{ role: 'user' as const, content: 'hi' }], ...extra });

  describe('timeouts', () => {
    // These run on a clock the test drives (ManualTimers): what they check cannot flip with the load.
    it('empty deltas do not reset the first-token timer; text does', async () => {
      const timers = new ManualTimers();
      const { client: c } = client({ timeoutMs: 250 }, { timers });
      server.enqueue({ chunks: ['late ', 'text'], emptyDeltas: 20 });
      const result = await c.streamChat(chat()).result;
      assert.equal(result.text, 'late text');
      // Armed when the request was sent, then once for each piece of text: never for an empty delta.
      assert.deepEqual(timers.history, [250, 250, 250]);
    });

    it('a total deadline ends a reply that trickles in one piece at a time', async () => {
      const timers = new ManualTimers();
      const { client: c } = client({ timeoutMs: 1000, deadlineMs: 1500 }, { timers });
      server.enqueue({ chunks: Array.from({ length: 40 }, () => 'x'), delayBetweenMs: 100 });
      const stream = c.streamChat(chat());
      const deltas: string[] = [];
      try {
        for await (const d of stream) {
          deltas.push(d);
          // Three pieces in, the deadline passes (the idle timer was reset by each piece: it never fired).
          if (deltas.length === 3) assert.equal(timers.fire(1500), 1);
        }
      } catch {
        // the result carries the error
      }
      const error = await rejection(stream.result);
      assert.equal(error.kind, 'timeout');
      assert.equal(error.detail?.reason, 'deadline');
      assert.match(error.userMessage, /did not finish within 1.5 seconds, the deadline for one request\./);
      assert.ok(deltas.length >= 3 && deltas.length < 40, `the text before the deadline, not all of it (${deltas.length})`);
      await server.waitUntil(() => server.requests[0]?.aborted === true, 60_000, 'the request to be closed');
    });

    it('a deadline also bounds empty deltas that keep coming', async () => {
      const timers = new ManualTimers();
      const { client: c } = client({ timeoutMs: 60_000, deadlineMs: 300 }, { timers });
      server.enqueue({ reply: 'never', emptyDeltas: 100, delayBetweenMs: 20 });
      const result = c.streamChat(chat()).result;
      await server.waitUntil(() => server.requests[0]?.streaming === true, 60_000, 'the stream to start');
      assert.equal(timers.fire(300), 1);
      const error = await rejection(result);
      assert.equal(error.detail?.reason, 'deadline');
    });

    it('the idle timer pauses while the client sleeps for a retry', async () => {
      // A retry-after sleep must not count as silence: no idle timer is armed while the client sleeps.
      const timers = new ManualTimers();
      const armedWhileSleeping: number[][] = [];
      const { client: c } = client(
        { timeoutMs: 1000, maxRetries: 1 },
        {
          timers,
          sleep: async () => {
            armedWhileSleeping.push(timers.armed());
          },
        },
      );
      server.enqueue({ fault: 'http429', retryAfterSeconds: 1 }, { reply: 'after the wait' });
      const result = await c.streamChat(chat()).result;
      assert.equal(result.text, 'after the wait');
      assert.equal(server.requests.length, 2);
      assert.deepEqual(armedWhileSleeping, [[]]);
    });

    it('states the real figure of a short timeout', async () => {
      const { client: c } = client({ timeoutMs: 200, maxRetries: 0 });
      server.enqueue({ fault: 'hang' });
      const error = await rejection(c.streamChat(chat()).result);
      assert.equal(error.kind, 'timeout');
      assert.match(error.userMessage, /within 200 ms\./);
      assert.doesNotMatch(error.userMessage, /1 second/);
    });

    it('formats durations exactly', () => {
      assert.equal(formatDuration(200), '200 ms');
      assert.equal(formatDuration(999), '999 ms');
      assert.equal(formatDuration(1000), '1 second');
      assert.equal(formatDuration(1500), '1.5 seconds');
      assert.equal(formatDuration(1250), '1.25 seconds');
      assert.equal(formatDuration(60_000), '60 seconds');
      assert.equal(formatDuration(90_500), '90.5 seconds');
      assert.equal(formatDuration(180_000), '3 minutes');
      assert.equal(timeoutError({ baseURL: 'http://h/v1', timeoutMs: 2000 }).userMessage, 'The model server at http://h/v1 did not answer within 2 seconds.');
    });
  });

  describe('retries', () => {
    it('caps retry-after on a 503 as on a 429, without sleeping', async () => {
      const { client: c, sleeps } = client();
      server.enqueue({ fault: 'http503', retryAfterSeconds: 3600 });
      const error = await rejection(c.streamChat(chat()).result);
      assert.deepEqual(sleeps, []);
      assert.equal(error.kind, 'server');
      assert.equal(error.detail?.status, 503);
      assert.match(error.userMessage, /unavailable \(HTTP 503\) and asks to wait 60 minutes/);
      assert.equal(server.requests.length, 1);
    });

    it('sleeps a short retry-after of a 503 and retries', async () => {
      const { client: c, sleeps } = client();
      server.enqueue({ fault: 'http503', retryAfterSeconds: 2 }, { reply: 'ok' });
      assert.equal((await c.streamChat(chat()).result).text, 'ok');
      assert.deepEqual(sleeps, [2000]);
    });

    it('waits out a server that is loading its model, beyond maxRetries', async () => {
      const { client: c, sleeps } = client({ maxRetries: 1, deadlineMs: 60_000 });
      server.enqueue({ fault: 'loading' }, { fault: 'loading' }, { fault: 'loading' }, { fault: 'loading' }, { reply: 'loaded' });
      const result = await c.streamChat(chat()).result;
      assert.equal(result.text, 'loaded');
      assert.equal(server.requests.length, 5);
      assert.equal(sleeps.length, 4);
      assert.ok(sleeps.every((ms) => ms > 0 && ms <= LOADING_POLL_MAX_MS), `polls every ≤ ${LOADING_POLL_MAX_MS} ms: ${sleeps.join(', ')}`);
    });

    it('says the server is still loading when the next poll would pass the deadline', async () => {
      // The clock stands still (ManualTimers): the polls back off 250, 500, 1000 ms (jitter pinned to
      // 0) and the third would end after the 700 ms deadline, so the client stops there.
      const { client: c, sleeps } = client({ maxRetries: 2, deadlineMs: 700 }, { timers: new ManualTimers(), random: () => 0 });
      server.setResponder(() => ({ fault: 'loading' }));
      const error = await rejection(c.streamChat(chat()).result);
      assert.equal(error.detail?.reason, 'loading');
      assert.match(error.userMessage, /is still loading its model/);
      assert.deepEqual(sleeps, [250, 500]);
      assert.equal(server.requests.length, 3);
    });

    it('says the server is still loading when the deadline passes during a request', async () => {
      const timers = new ManualTimers();
      const { client: c } = client({ maxRetries: 2, deadlineMs: 700 }, { timers, random: () => 0 });
      server.enqueue({ fault: 'loading' }, { fault: 'hang' });
      const result = c.streamChat(chat()).result;
      await server.waitForRequests(2, 60_000);
      timers.time = 700;
      assert.equal(timers.fire(700), 1);
      const error = await rejection(result);
      assert.equal(error.detail?.reason, 'loading');
    });

    it('names a loading server even when it is not retried (inline suggestions)', async () => {
      const { client: c, sleeps } = client({ maxRetries: 0 });
      server.enqueue({ fault: 'loading' });
      const error = await rejection(c.streamCompletion({ feature: 'completion', model: 'm', prompt: 'a' }).result);
      assert.deepEqual(sleeps, []);
      assert.equal(error.userMessage, `The model server at ${server.baseURL} is still loading its model.`);
    });
  });

  describe('replies that are not an OpenAI stream', () => {
    it('a 200 with an HTML page says the URL does not look like an OpenAI-compatible endpoint', async () => {
      const { client: c } = client();
      server.enqueue({ fault: 'html200' });
      const error = await rejection(c.streamChat(chat()).result);
      assert.equal(error.kind, 'badResponse');
      assert.equal(error.detail?.reason, 'notOpenAI');
      assert.match(error.userMessage, /does not look like an OpenAI-compatible endpoint: it answered with an HTML page/);
      assert.equal(server.requests.length, 1, 'not retried');
    });

    it('JSON where a stream was asked for says so too', async () => {
      const { client: c } = client();
      server.enqueue({ fault: 'json200', reply: 'whole' });
      const error = await rejection(c.streamChat(chat()).result);
      assert.equal(error.detail?.reason, 'notOpenAI');
      assert.match(error.userMessage, /JSON rather than the stream it was asked for/);
    });

    it('an error inside an HTTP 200 stream fails the request with the server message', async () => {
      const { client: c } = client();
      server.enqueue({ chunks: ['one ', 'two ', 'three ', 'four'], fault: 'errorInStream' });
      const stream = c.streamChat(chat());
      const deltas = await drain(stream);
      const error = await rejection(stream.result);
      assert.deepEqual(deltas, ['one ', 'two ']);
      assert.equal(error.kind, 'server');
      assert.match(error.userMessage, /reported an error: Compute error: the model failed mid-reply/);
    });

    it('takes a first chunk with content null and a last chunk with no choices (llama.cpp)', async () => {
      const { client: c } = client();
      server.enqueue({ chunks: ['a', 'b'], nullFirstContent: true, usage: { prompt_tokens: 3, completion_tokens: 2 } });
      const stream = c.streamChat(chat());
      assert.deepEqual(await drain(stream), ['a', 'b']);
      const result = await stream.result;
      assert.deepEqual(result.usage, { promptTokens: 3, completionTokens: 2, estimated: false });
      assert.equal(result.finishReason, 'stop');
    });

    it('a prompt over the context gives the numbers', async () => {
      const { client: c } = client();
      server.enqueue({ fault: 'contextExceeded' });
      const error = await rejection(c.streamChat(chat()).result);
      assert.equal(error.detail?.reason, 'contextExceeded');
      assert.equal(error.userMessage, "The prompt (9000 tokens) does not fit the model's context on the server (4096 tokens): select less code, or give the server a larger context.");
      assert.equal(server.requests.length, 1, 'not retried');
    });

    it('reads the sizes from OpenAI-style context messages', () => {
      const err = new APIError(400, { message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9100 tokens.", code: 'context_length_exceeded' }, undefined, new Headers());
      assert.deepEqual(contextExceeded(err), { promptTokens: 9100, contextTokens: 8192 });
      const mapped = toModelError(err, { baseURL: server.baseURL, timeoutMs: 1000, phase: 'connect' });
      assert.match(mapped.userMessage, /^The prompt \(9100 tokens\) does not fit the model's context on the server \(8192 tokens\)/);
      assert.equal(contextExceeded(new APIError(400, { message: 'temperature must be below 2' }, undefined, new Headers())), undefined);
    });
  });

  describe('llama.cpp /infill', () => {
    it('posts prefix, suffix and extra files to /infill at the server root and streams the reply', async () => {
      const { client: c } = client();
      server.enqueue({ endpoint: 'infill', chunks: ['a + ', 'b'], usage: { prompt_tokens: 21, completion_tokens: 2 } });
      const stream = c.streamInfill({
        feature: 'completion',
        model: 'm',
        prefix: 'function add(a, b) {\n  return ',
        suffix: ';\n}\n',
        extra: [{ filename: 'src/util.ts', text: 'export const x = 1;\n' }],
        maxTokens: 16,
        temperature: 0,
        stop: ['\n\n'],
      });
      assert.deepEqual(await drain(stream), ['a + ', 'b']);
      const result = await stream.result;
      assert.equal(result.text, 'a + b');
      assert.deepEqual(result.usage, { promptTokens: 21, completionTokens: 2, estimated: false });
      assert.equal(result.finishReason, 'stop');
      const request = server.requests[0];
      assert.equal(request.path, '/infill');
      assert.equal(request.body.input_prefix, 'function add(a, b) {\n  return ');
      assert.equal(request.body.input_suffix, ';\n}\n');
      assert.deepEqual(request.body.input_extra, [{ filename: 'src/util.ts', text: 'export const x = 1;\n' }]);
      assert.equal(request.body.n_predict, 16);
      assert.equal(request.body.temperature, 0);
      assert.deepEqual(request.body.stop, ['\n\n']);
      assert.equal(request.body.stream, true);
    });

    it('reports a reply cut at n_predict as length, and answers the default completion', async () => {
      const { client: c } = client();
      server.enqueue({ endpoint: 'infill', finishReason: 'length' });
      const result = await c.streamInfill({ feature: 'completion', model: 'm', prefix: 'x', suffix: '' }).result;
      assert.equal(result.text, DEFAULT_COMPLETION);
      assert.equal(result.finishReason, 'length');
      assert.equal('input_extra' in server.requests[0].body, false);
    });

    it('maps /infill failures like the other endpoints', async () => {
      const { client: c } = client({ maxRetries: 0 });
      server.enqueue({ endpoint: 'infill', fault: 'loading' });
      const error = await rejection(c.streamInfill({ feature: 'completion', model: 'm', prefix: 'x', suffix: '' }).result);
      assert.equal(error.detail?.reason, 'loading');
    });

    it('finds /infill beside /v1', () => {
      assert.equal(infillURL('http://127.0.0.1:8080/v1'), 'http://127.0.0.1:8080/infill');
      assert.equal(infillURL('http://127.0.0.1:8080/v1/'), 'http://127.0.0.1:8080/infill');
      assert.equal(infillURL('http://127.0.0.1:8080'), 'http://127.0.0.1:8080/infill');
      assert.equal(infillURL('https://gw.example/llama/v1'), 'https://gw.example/llama/infill');
    });
  });
});
