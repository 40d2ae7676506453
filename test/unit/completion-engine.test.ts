import * as assert from 'assert';
import { CompletionEngine, type EngineSettings, type ProvideInput } from '../../src/core/completion/engine';
import { DEFAULT_COMPLETION_SETTINGS } from '../../src/core/completion/settings';
import { silentLogger } from '../../src/core/log';
import type { ModelClient } from '../../src/core/model/types';
import { scriptedClient, useScriptedServer } from '../fixtures/scripted';

/** The engine over the real client against the scripted OpenAI-compatible server. */
describe('completion/engine against the scripted server', () => {
  const server = useScriptedServer();
  let client: ModelClient;
  let engine: CompletionEngine;
  let settings: EngineSettings;

  before(() => {
    client = scriptedClient(server);
  });
  beforeEach(() => {
    settings = { ...DEFAULT_COMPLETION_SETTINGS, mode: 'completions', debounceMs: 0, chatModel: 'test-model', exclude: [] };
    engine = new CompletionEngine({ client: () => client, log: silentLogger, abandonGraceMs: 20 });
  });
  afterEach(() => engine.dispose());

  const doc = (prefix: string, suffix = '\n', over: Partial<ProvideInput> = {}): ProvideInput => ({
    docKey: 'file:///w/src/a.ts',
    path: 'src/a.ts',
    languageId: 'typescript',
    prefix,
    suffix,
    ...over,
  });
  const live = () => new AbortController().signal;
  const completions = () => server.requests.filter((r) => r.endpoint === 'completions' || r.endpoint === 'chat');

  it('shows the cleaned suggestion for a scripted reply, sending prompt and suffix', async () => {
    server.enqueue({ reply: 'a + b;\n}\n\nfunction other() {' });
    const out = await engine.provide(doc('function add(a, b) {\n  return ', '\n}\n'), settings, live());
    assert.deepStrictEqual([out.text, out.via, out.lineMode], ['a + b;', 'model', 'single']);
    const sent = completions()[0].body;
    assert.strictEqual(sent.prompt, 'function add(a, b) {\n  return ');
    assert.strictEqual(sent.suffix, '\n}\n');
    assert.strictEqual(sent.model, 'test-model');
    assert.strictEqual(sent.max_tokens, DEFAULT_COMPLETION_SETTINGS.maxTokens);
  });

  it('chat mode: asks for the middle and cleans fences and prose', async () => {
    settings.mode = 'chat';
    settings.model = 'completion-model';
    server.enqueue({ reply: 'Here is the code:\n```ts\na + b;\n```' });
    const out = await engine.provide(doc('function add(a, b) {\n  return ', '\n}\n'), settings, live());
    assert.strictEqual(out.text, 'a + b;');
    const body = completions()[0].body;
    assert.strictEqual(completions()[0].endpoint, 'chat');
    assert.strictEqual(body.model, 'completion-model');
    assert.ok(body.messages[1].content.includes('return {{FILL_HERE}}'));
  });

  it('typing the characters of the suggestion keeps it without a new request', async () => {
    server.enqueue({ reply: 'computeTotal(items);' });
    const first = await engine.provide(doc('const total = '), settings, live());
    assert.strictEqual(first.text, 'computeTotal(items);');
    const typed = await engine.provide(doc('const total = comp'), settings, live());
    assert.deepStrictEqual([typed.text, typed.via], ['uteTotal(items);', 'reuse']);
    assert.strictEqual(completions().length, 1);
  });

  it('typing through the suggestion still streaming follows it instead of sending another', async () => {
    // The server holds the reply after its first piece until the user has typed: no race with the clock.
    let release = () => {};
    const hold = new Promise<void>((resolve) => (release = resolve));
    server.enqueue({ chunks: ['compute', 'Total', '(items);'], hold });
    const a = new AbortController();
    const first = engine.provide(doc('const total = '), settings, a.signal);
    await server.waitForRequests(1, 60_000);
    // the editor cancels the first call when the user types, then calls again
    a.abort();
    const typing = engine.provide(doc('const total = co'), settings, live());
    release();
    const second = await typing;
    assert.strictEqual((await first).text, '');
    assert.deepStrictEqual([second.text, second.via], ['mputeTotal(items);', 'follow']);
    assert.strictEqual(completions().length, 1);
    assert.strictEqual(completions()[0].aborted, false);
  });

  it('a superseded request is aborted at once: the server sees the stream closed', async () => {
    server.enqueue({ reply: 'slow();', delayFirstMs: 60_000 }, { reply: 'fast();' });
    const a = new AbortController();
    const first = engine.provide(doc('one('), settings, a.signal);
    await server.waitForRequests(1);
    a.abort();
    const second = await engine.provide(doc('two = '), settings, live());
    assert.strictEqual(second.text, 'fast();');
    assert.strictEqual((await first).via, 'none');
    await server.waitUntil(() => server.requests[0].aborted, 60_000, 'first request aborted');
    assert.strictEqual(engine.stats.requestsAborted, 1);
  });

  it('coming back to a position answers from the cache', async () => {
    server.enqueue({ reply: 'alpha();' }, { reply: 'beta();' });
    assert.strictEqual((await engine.provide(doc('x = '), settings, live())).text, 'alpha();');
    assert.strictEqual((await engine.provide(doc('y = '), settings, live())).text, 'beta();');
    const back = await engine.provide(doc('x = '), settings, live());
    assert.deepStrictEqual([back.text, back.via], ['alpha();', 'cache']);
    assert.strictEqual(completions().length, 2);
  });

  it('closes the stream once a single-line suggestion has its line', async () => {
    const many = Array.from({ length: 60 }, (_, i) => `line${i}();\n`);
    // 60 more lines at 500 ms each: only a client that never closes would see the end.
    server.enqueue({ chunks: ['first();', '\n', ...many], delayBetweenMs: 500 });
    const out = await engine.provide(doc('x = '), settings, live());
    assert.strictEqual(out.text, 'first();');
    assert.strictEqual(engine.stats.earlyStops, 1);
    await server.waitUntil(() => server.requests[0].aborted, 60_000, 'stream closed by the client');
  });

  it('stops at once when the whole reply arrived in one piece (the HTTP client may never notice the close)', async () => {
    server.enqueue({ chunks: ['first();\nsecond();'], delayFirstMs: 20, delayBetweenMs: 10 }, { reply: 'next();' });
    const out = await engine.provide(doc('x = '), settings, live());
    assert.strictEqual(out.text, 'first();');
    // and the engine is free for the next request
    assert.strictEqual((await engine.provide(doc('y = '), settings, live())).text, 'next();');
  });

  it('debounce: calls in quick succession send one request, for the last position', async () => {
    settings.debounceMs = 40;
    server.enqueue({ reply: 'ok();' });
    const calls = [engine.provide(doc('a'), settings, live()), engine.provide(doc('ab'), settings, live()), engine.provide(doc('abc = '), settings, live())];
    const outs = await Promise.all(calls);
    assert.deepStrictEqual(outs.map((o) => o.reason ?? o.via), ['superseded', 'superseded', 'model']);
    assert.strictEqual(completions().length, 1);
    assert.strictEqual(completions()[0].body.prompt, 'abc = ');
  });

  it('a server error shows nothing and is not retried', async () => {
    server.enqueue({ fault: 'http500' });
    const out = await engine.provide(doc('x = '), settings, live());
    assert.deepStrictEqual([out.text, out.reason], ['', 'error']);
    assert.strictEqual(completions().length, 1);
  });

  it('times out with the completion timeout', async () => {
    settings.timeoutMs = 500;
    server.enqueue({ fault: 'hang' });
    const out = await engine.provide(doc('x = '), settings, live());
    assert.strictEqual(out.text, '');
    assert.strictEqual(engine.stats.timeouts, 1);
  });

  it('an empty or whitespace reply shows nothing', async () => {
    server.enqueue({ reply: '  \n  ' });
    const out = await engine.provide(doc('x = '), settings, live());
    assert.deepStrictEqual([out.text, out.reason], ['', 'empty']);
  });

  it('a request nobody waits for any more is aborted after a short grace', async () => {
    server.enqueue({ reply: 'late();', delayFirstMs: 60_000 });
    const a = new AbortController();
    const out = engine.provide(doc('x = '), settings, a.signal);
    await server.waitForRequests(1);
    a.abort();
    assert.strictEqual((await out).reason, 'cancelled');
    await server.waitUntil(() => server.requests[0].aborted, 60_000, 'abandoned request aborted');
  });

  it('fim-template mode sends the preset format with its stop tokens and cleans them away', async () => {
    settings.mode = 'fim-template';
    settings.fimTemplate = 'qwen2.5-coder';
    server.enqueue({ reply: 'items.length;<|endoftext|>' });
    const out = await engine.provide(doc('const n = ', '\nexport {}'), settings, live());
    assert.strictEqual(out.text, 'items.length;');
    const body = completions()[0].body;
    assert.strictEqual(body.prompt, '<|fim_prefix|>const n = <|fim_suffix|>\nexport {}<|fim_middle|>');
    assert.strictEqual(body.suffix, undefined);
    assert.ok(body.stop.length <= 4 && body.stop.includes('<|endoftext|>'));
  });

  it('context from sources reaches the prompt; secrets in it are redacted', async () => {
    const token = ['sk-', 'proj-', 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zT3BlbkFJQa7Zb0Yc'].join('');
    server.enqueue({ reply: 'formatPrice(total);' });
    const source = { name: 'defs', timeLimitMs: 50, priority: 5, order: 1, fetch: () => [{ path: 'src/price.ts', text: `export function formatPrice(n: number) {}\nconst k = "${token}";` }] };
    await engine.provide(doc('const label = ', '\n', { sources: [source] }), settings, live());
    const prompt: string = completions()[0].body.prompt;
    assert.ok(prompt.includes('// Path: src/price.ts'));
    assert.ok(prompt.includes('formatPrice'));
    assert.ok(!prompt.includes(token));
  });
  describe('redacted secrets in the reply', () => {
    const j = (...parts: string[]) => parts.join('');
    const TOKEN = j('ghp_', 'R2d2C3poLuke7Leia9Han5Solo0Chewie1aBcD');
    const OTHER = j('ghp_', 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2');

    it('a placeholder for a token the document holds becomes the token: the placeholder never reaches the ghost text', async () => {
      server.enqueue({ reply: '"<redacted:github-token>";' });
      const out = await engine.provide(doc(`const primary = "${TOKEN}";\nconst copy = `), settings, live());
      const prompt: string = completions()[0].body.prompt;
      assert.ok(prompt.includes('<redacted:github-token>') && !prompt.includes(TOKEN));
      assert.strictEqual(out.text, `"${TOKEN}";`);
    });

    it('a placeholder for a secret from another file, or one never handed out, is not shown (nor is the secret)', async () => {
      const source = { name: 'defs', timeLimitMs: 50, priority: 5, order: 1, fetch: () => [{ path: 'src/keys.ts', text: `export const key = "${OTHER}";` }] };
      server.enqueue({ reply: '"<redacted:github-token>";' }, { reply: 'login(user);\nconst k = "<redacted:secret-3>";\nmore();' });
      const other = await engine.provide(doc('const copy = ', '\n', { sources: [source] }), settings, live());
      assert.ok(completions()[0].body.prompt.includes('"<redacted:github-token>"'));
      assert.strictEqual(other.text, '');
      const invented = await engine.provide(doc('function f() {\n  ', '\n}\n'), settings, live());
      assert.ok(!invented.text.includes('<redacted:'), invented.text);
      assert.strictEqual(invented.text, 'login(user);');
    });

    it('a cached reply is mapped back with the document as it is now', async () => {
      server.enqueue({ reply: '"<redacted:github-token>";' });
      const first = await engine.provide(doc(`const primary = "${TOKEN}";\nconst copy = `), settings, live());
      assert.strictEqual(first.text, `"${TOKEN}";`);
      // The token changed: the prompt is the same (the model saw a placeholder both times).
      const again = await engine.provide(doc(`const primary = "${OTHER}";\nconst copy = `), settings, live());
      assert.deepStrictEqual([again.text, again.via], [`"${OTHER}";`, 'cache']);
      assert.strictEqual(completions().length, 1);
    });
  });

  describe('replies cut off or thinking', () => {
    it('a reply cut off by the token limit keeps its last line only when that line is complete', async () => {
      server.enqueue({ reply: 'computeTotal(it', finishReason: 'length' });
      assert.strictEqual((await engine.provide(doc('const total = '), settings, live())).text, '');
      server.enqueue({ reply: 'computeTotal(items);', finishReason: 'length' });
      assert.strictEqual((await engine.provide(doc('const sum = '), settings, live())).text, 'computeTotal(items);');
    });

    it('a multi-line reply whose stream closed without a finish reason loses its unfinished last line', async () => {
      server.enqueue({ chunks: ['const s = a + b;\n', '  return s *'], fault: 'endWithoutFinish' });
      const out = await engine.provide(doc('function add(a, b) {\n  ', '\n}\n'), settings, live());
      assert.strictEqual(out.text, 'const s = a + b;');
    });

    it('the same reply, finished, is kept whole', async () => {
      server.enqueue({ chunks: ['const s = a + b;\n', '  return s *'] });
      const out = await engine.provide(doc('function add(a, b) {\n  ', '\n}\n'), settings, live());
      assert.strictEqual(out.text, 'const s = a + b;\n  return s *');
    });

    it('chat mode: reasoning_content never reaches the suggestion', async () => {
      settings.mode = 'chat';
      server.enqueue({ reasoning: ['a + b ', 'is the sum'], reply: 'a + b;' });
      const out = await engine.provide(doc('function add(a, b) {\n  return ', '\n}\n'), settings, live());
      assert.strictEqual(out.text, 'a + b;');
    });
  });
});
