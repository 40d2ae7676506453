import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import OpenAI from 'openai';
import { DEFAULT_COMPLETION, DEMO_COMMENT, defaultReply, splitReply } from '../fixtures/fakeModelServer';
import { useScriptedServer } from '../fixtures/scripted';

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** The `data:` payloads of an SSE body, in order. */
function sseData(text: string): string[] {
  assert.ok(text.endsWith('\n\n'), 'every event ends with a blank line');
  return text
    .split('\n\n')
    .filter((event) => event.length > 0)
    .map((event) => {
      assert.ok(event.startsWith('data: '), `not an SSE data event: ${event}`);
      return event.slice('data: '.length);
    });
}

describe('FakeModelServer', () => {
  const server = useScriptedServer({ perTest: true });

  it('starts on a free port with a base URL ending in /v1', () => {
    assert.match(server.baseURL, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it('lists models at GET /v1/models', async () => {
    const res = await fetch(`${server.baseURL}/models`);
    assert.equal(res.status, 200);
    const json = (await res.json()) as { object: string; data: Array<{ id: string }> };
    assert.equal(json.object, 'list');
    assert.ok(json.data.length > 0);
    assert.deepEqual(server.requestCounts().models, 1);
  });

  it('streams chat as SSE chunks with a usage chunk and [DONE]', async () => {
    server.enqueue({ chunks: ['a', 'b', 'c'], usage: { prompt_tokens: 5, completion_tokens: 3 } });
    const res = await post(`${server.baseURL}/chat/completions`, {
      model: 'm',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    });
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const events = sseData(await res.text());
    assert.equal(events[events.length - 1], '[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    assert.deepEqual(
      chunks.filter((c) => c.choices.length > 0 && c.choices[0].delta.content !== undefined).map((c) => c.choices[0].delta.content),
      ['a', 'b', 'c'],
    );
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'm'));
    const finish = chunks.find((c) => c.choices[0]?.finish_reason);
    assert.equal(finish.choices[0].finish_reason, 'stop');
    const last = chunks[chunks.length - 1];
    assert.deepEqual(last.choices, []);
    assert.deepEqual(last.usage, { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
  });

  it('streams scripted reasoning first, in reasoning_content or reasoning, apart from the content', async () => {
    for (const field of ['reasoning_content', 'reasoning'] as const) {
      server.enqueue({ reasoning: ['x', 'y'], reasoningField: field, chunks: ['a'] });
      const res = await post(`${server.baseURL}/chat/completions`, { model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] });
      const deltas = sseData(await res.text()).slice(0, -1).map((e) => JSON.parse(e).choices[0].delta);
      assert.deepEqual(deltas, [{ role: 'assistant', content: null, [field]: 'x' }, { content: null, [field]: 'y' }, { content: 'a' }, {}]);
    }
  });

  it('ends a stream with neither finish_reason nor [DONE] when scripted', async () => {
    server.enqueue({ chunks: ['a', 'b'], fault: 'endWithoutFinish' });
    const res = await post(`${server.baseURL}/chat/completions`, { model: 'm', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] });
    const events = sseData(await res.text());
    assert.deepEqual(events.map((e) => JSON.parse(e).choices[0].finish_reason), [null, null]);
  });

  it('sends no usage chunk unless include_usage is asked for', async () => {
    const res = await post(`${server.baseURL}/chat/completions`, { model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const chunks = sseData(await res.text()).slice(0, -1).map((e) => JSON.parse(e));
    assert.ok(chunks.every((c) => c.usage === undefined));
  });

  it('answers non-streamed chat and completions as JSON', async () => {
    server.enqueue({ reply: 'whole reply', endpoint: 'chat' });
    const chatRes = await post(`${server.baseURL}/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    const chat = await chatRes.json();
    assert.equal(chat.object, 'chat.completion');
    assert.equal(chat.choices[0].message.content, 'whole reply');
    assert.equal(typeof chat.usage.prompt_tokens, 'number');

    const completionRes = await post(`${server.baseURL}/completions`, { model: 'm', prompt: 'let x = ', suffix: ';\n' });
    const completion = await completionRes.json();
    assert.equal(completion.object, 'text_completion');
    assert.equal(completion.choices[0].text, DEFAULT_COMPLETION);
    assert.equal(server.requests[1].body.suffix, ';\n');
  });

  it('works with the real openai client, streamed and not', async () => {
    const openai = new OpenAI({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
    server.enqueue({ reply: 'one two three' }, { reply: 'plain' });
    const stream = await openai.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(text, 'one two three');
    const plain = await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(plain.choices[0].message.content, 'plain');
  });

  it('takes queued scripts in order, skipping those for another endpoint', async () => {
    server.enqueue({ reply: 'for completions', endpoint: 'completions' }, { reply: 'first chat' }, { reply: 'second chat' });
    const texts: string[] = [];
    for (const url of ['chat/completions', 'chat/completions', 'completions']) {
      const body = url === 'completions' ? { model: 'm', prompt: 'p' } : { model: 'm', messages: [{ role: 'user', content: 'x' }] };
      const json = (await (await post(`${server.baseURL}/${url}`, body)).json());
      texts.push(json.choices[0].message?.content ?? json.choices[0].text);
    }
    assert.deepEqual(texts, ['first chat', 'second chat', 'for completions']);
    assert.deepEqual(server.requestCounts(), { chat: 2, completions: 1, infill: 0, models: 0, other: 0 });
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ['/v1/chat/completions', '/v1/chat/completions', '/v1/completions'],
    );
  });

  it('asks the responder when the queue is empty, and falls back to the default', async () => {
    server.setResponder((req) => (req.body.messages[0].content === 'ping' ? { reply: 'pong' } : undefined));
    const pong = (await (await post(`${server.baseURL}/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'ping' }] })).json());
    assert.equal(pong.choices[0].message.content, 'pong');
    const other = (await (await post(`${server.baseURL}/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'no code' }] })).json());
    assert.match(other.choices[0].message.content, new RegExp(DEMO_COMMENT));
  });

  it('default chat reply echoes the last code block of the last user message with a comment in its language', () => {
    const body = {
      messages: [
        { role: 'user', content: '```js\nold()\n```' },
        { role: 'assistant', content: '```js\nnot this\n```' },
        { role: 'user', content: 'Fix:\n```py\nfirst()\n```\nand\n```python\ndef f():\n    return 1\n```\nthanks' },
      ],
    };
    assert.equal(defaultReply('chat', body), `\`\`\`python\n# ${DEMO_COMMENT}\ndef f():\n    return 1\n\`\`\`\n`);
    assert.equal(defaultReply('completions', { prompt: 'x' }), DEFAULT_COMPLETION);
  });

  it('splits replies into pieces that join back exactly', () => {
    for (const text of ['', 'one', '  lead and trail  ', 'a\n\tb  c\n\n', 'x'.repeat(50)]) {
      assert.equal(splitReply(text).join(''), text);
    }
    assert.ok(splitReply('one two three').length === 3);
  });

  it('returns OpenAI-shaped HTTP errors, with retry-after when scripted', async () => {
    server.enqueue({ fault: 'http429', retryAfterSeconds: 3 }, { fault: 'http404' }, { fault: 'http500' }, { fault: 'http401' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await post(`${server.baseURL}/chat/completions`, { model: 'gone', messages: [] });
      statuses.push(res.status);
      const json = await res.json();
      assert.equal(typeof json.error.message, 'string');
      if (i === 0) assert.equal(res.headers.get('retry-after'), '3');
      if (i === 1) assert.match(json.error.message, /gone/);
    }
    assert.deepEqual(statuses, [429, 404, 500, 401]);
  });

  it('requires the API key when asked to', async () => {
    server.requireApiKey('right');
    assert.equal((await fetch(`${server.baseURL}/models`)).status, 401);
    assert.equal((await fetch(`${server.baseURL}/models`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
    assert.equal((await fetch(`${server.baseURL}/models`, { headers: { authorization: 'Bearer right' } })).status, 200);
  });

  it('sends a malformed chunk when scripted', async () => {
    server.enqueue({ chunks: ['ok', 'more'], fault: 'malformedChunk' });
    const res = await post(`${server.baseURL}/chat/completions`, { model: 'm', stream: true, messages: [] });
    const events = sseData(await res.text());
    assert.equal(events[1], '{not json');
  });

  it('cuts the stream mid-reply when scripted', async () => {
    server.enqueue({ chunks: ['a', 'b', 'c', 'd'], fault: 'cutStream' });
    const res = await post(`${server.baseURL}/chat/completions`, { model: 'm', stream: true, messages: [] });
    await assert.rejects(res.text());
    assert.equal(server.requests[0].aborted, false, 'a cut by the server is not a client abort');
  });

  it('sends an empty stream when scripted', async () => {
    server.enqueue({ fault: 'empty' });
    const res = await post(`${server.baseURL}/chat/completions`, { model: 'm', stream: true, messages: [] });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
  });

  it('records a client that leaves before the end as aborted', async () => {
    server.enqueue({ chunks: ['a', 'b'], delayBetweenMs: 60_000 });
    const controller = new AbortController();
    const res = await fetch(`${server.baseURL}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', stream: true, messages: [] }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    assert.equal(server.requests[0].aborted, false);
    controller.abort();
    await server.waitUntil(() => server.requests[0].aborted, 5000, 'the abort to be seen');
  });

  it('a hanging request keeps its connection open until stop() closes it', async () => {
    server.enqueue({ fault: 'hang' });
    const pending = post(`${server.baseURL}/chat/completions`, { model: 'm', messages: [] });
    const outcome = pending.then(
      () => 'answered',
      () => 'closed',
    );
    await server.waitForRequests(1);
    assert.ok(server.openConnections() >= 1);
    await server.stop();
    assert.equal(server.openConnections(), 0);
    assert.equal(await outcome, 'closed');
  });

  it('waitForRequests rejects when the requests never come', async () => {
    await assert.rejects(server.waitForRequests(1, 20), /timed out waiting for 1 request/);
  });

  it('can be scripted and inspected over the control API', async () => {
    const origin = server.baseURL.replace(/\/v1$/, '');
    const queued = await post(`${origin}/__control/enqueue`, [{ reply: 'from control' }, { fault: 'http500' }]);
    assert.equal(queued.status, 200);
    assert.equal(server.pendingScripts(), 2);
    const first = (await (await post(`${server.baseURL}/chat/completions`, { model: 'm', messages: [] })).json());
    assert.equal(first.choices[0].message.content, 'from control');
    assert.equal((await post(`${server.baseURL}/chat/completions`, { model: 'm', messages: [] })).status, 500);

    const log = (await (await fetch(`${origin}/__control/requests`)).json());
    assert.equal(log.requests.length, 2);
    assert.equal(log.requests[0].body.model, 'm');
    assert.equal(log.counts.chat, 2);

    assert.equal((await post(`${origin}/__control/reset`, {})).status, 200);
    assert.equal(server.requests.length, 0);
    assert.equal(server.pendingScripts(), 0);
    assert.equal((await post(`${origin}/__control/enqueue`, 'not a script')).status, 400);
    const bad = await fetch(`${origin}/__control/enqueue`, { method: 'POST', body: '{oops' });
    assert.equal(bad.status, 400);
  });
});

describe('fake-model CLI', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGINT');
    child = undefined;
  });

  it('prints the base URL and the setting to use, and serves requests', async () => {
    const cli = path.join(__dirname, '..', 'fixtures', 'cli.js');
    child = spawn(process.execPath, [cli, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on('data', (data: Buffer) => {
        output += data.toString();
        const match = /listening at (http:\/\/\S+\/v1)/.exec(output);
        if (match && output.includes('Ctrl+C')) resolve(match[1]);
      });
      child!.once('exit', (code) => reject(new Error(`cli exited with ${code}: ${output}`)));
    });
    assert.ok(output.includes(`"redline.endpoint.baseUrl": "${url}"`), output);
    assert.ok(output.includes('/__control/enqueue'), output);
    const models = await fetch(`${url}/models`);
    assert.equal(models.status, 200);
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
  });
});
