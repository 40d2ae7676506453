import * as assert from 'node:assert/strict';
import { advise, detectKind, errorNextStep, renderReport, type AdviceInput } from '../../src/core/connection/advice';
import { FIM_PROBE, networkCode, probeServer, serverRoot, type FetchLike, type ProbeResult } from '../../src/core/connection/probe';
import { DEFAULT_MODELS, FakeModelServer } from '../fixtures/fakeModelServer';

const realFetch: FetchLike = (url, init) => fetch(url, init);

const INPUT: AdviceInput = {
  chatModel: 'redline-demo',
  completionModel: 'redline-demo',
  completionMode: 'chat',
  infillModeAvailable: false,
  hasApiKey: false,
  timeoutMs: 5000,
};

/** A probe result as a healthy server of no particular kind gives it; override per case. */
function result(over: Partial<ProbeResult> = {}): ProbeResult {
  return {
    baseURL: 'http://127.0.0.1:9999/v1',
    models: { status: 200, ms: 3, ids: ['redline-demo', 'coder:1.5b'], ownedBy: ['redline'] },
    chat: { status: 200, ms: 12, text: 'OK' },
    completions: { status: 200, ms: 8, text: 'a' },
    infill: { status: 404, ms: 1, message: 'No route' },
    hints: {},
    ...over,
  };
}

describe('Test Connection probes (against the scripted server)', () => {
  let server: FakeModelServer;
  let baseURL: string;
  beforeEach(async () => {
    server = new FakeModelServer();
    baseURL = await server.start();
  });
  afterEach(() => server.stop());

  it('lists the models, sends a one-token chat and a FIM completion with suffix, and looks for /infill', async () => {
    const r = await probeServer({ baseURL, headers: { 'x-team': 't1' }, apiKey: 'sk-test', chatModel: 'redline-demo', completionModel: 'redline-demo-fim', timeoutMs: 5000 }, realFetch);
    assert.deepEqual(r.models.ids, DEFAULT_MODELS);
    assert.equal(r.chat?.status, 200);
    assert.equal(r.completions?.status, 200);
    assert.equal(r.infill?.status, 200, 'the scripted server has llama.cpp\'s /infill');
    const chat = server.requests.find((q) => q.endpoint === 'chat')!;
    assert.equal(chat.body.max_tokens, 1);
    assert.equal(chat.body.model, 'redline-demo');
    assert.equal(chat.headers.authorization, 'Bearer sk-test');
    assert.equal(chat.headers['x-team'], 't1');
    const fim = server.requests.find((q) => q.endpoint === 'completions')!;
    assert.equal(fim.body.suffix, FIM_PROBE.suffix);
    assert.equal(fim.body.model, 'redline-demo-fim');
    assert.ok(server.requests.some((q) => q.path === '/infill'), 'llama.cpp /infill at the root');
    const report = advise(r, { ...INPUT, completionModel: 'redline-demo-fim' });
    assert.equal(report.kind, 'unknown');
    assert.equal(report.fim, 'suffix');
    assert.equal(report.infill, 'available');
    assert.equal(report.summary, `Connected to ${baseURL}: 2 models, chat OK, FIM with suffix, /infill available.`);
  });

  it('reports a refused connection without sending anything else', async () => {
    await server.stop();
    const r = await probeServer({ baseURL, headers: {}, chatModel: 'm', completionModel: 'm', timeoutMs: 5000 }, realFetch);
    assert.equal(r.models.status, 0);
    assert.equal(r.models.network, 'ECONNREFUSED');
    assert.equal(r.chat, undefined);
    const report = advise(r, INPUT);
    assert.equal(report.reachable, false);
    assert.match(report.findings[0].text, /No server answers at `http:\/\/127\.0\.0\.1:\d+\/v1` \(ECONNREFUSED\)/);
  });

  it('names a timeout as such', async () => {
    const hanging: FetchLike = (_url, init) =>
      new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
    const r = await probeServer({ baseURL: 'http://10.0.0.1:11434/v1', headers: {}, chatModel: 'm', completionModel: 'm', timeoutMs: 20 }, hanging);
    assert.equal(r.models.network, 'timeout');
    const report = advise(r, { ...INPUT, timeoutMs: 20_000 });
    assert.match(report.findings[0].text, /within 20 seconds/);
    assert.equal(report.kind, 'ollama');
    assert.equal(report.kindCertain, false);
  });
});

describe('Test Connection advice', () => {
  it('tells servers apart by their own routes and model owners', () => {
    const kind = (over: Partial<ProbeResult>) => detectKind(result(over));
    assert.deepEqual(kind({ hints: { ollamaVersion: '0.5.7' } }), { kind: 'ollama', certain: true });
    assert.deepEqual(kind({ models: { status: 200, ms: 1, ids: ['x'], ownedBy: ['library'] } }), { kind: 'ollama', certain: true });
    assert.deepEqual(kind({ hints: { vllmVersion: '0.8.1' } }), { kind: 'vllm', certain: true });
    assert.deepEqual(kind({ models: { status: 200, ms: 1, ids: ['x'], ownedBy: ['vllm'] } }), { kind: 'vllm', certain: true });
    assert.deepEqual(kind({ hints: { llamaCppProps: true } }), { kind: 'llama.cpp', certain: true });
    assert.deepEqual(kind({ models: { status: 200, ms: 1, ids: ['x'], ownedBy: ['llamacpp'] } }), { kind: 'llama.cpp', certain: true });
    assert.deepEqual(kind({ hints: { lmStudio: true } }), { kind: 'lmstudio', certain: true });
    assert.deepEqual(kind({ baseURL: 'https://api.openai.com/v1' }), { kind: 'openai', certain: true });
    assert.deepEqual(kind({}), { kind: 'unknown', certain: false });
    assert.deepEqual(kind({ baseURL: 'http://localhost:1234/v1', models: { status: 0, ms: 1, network: 'ECONNREFUSED' } }), { kind: 'lmstudio', certain: false });
    assert.deepEqual(kind({ baseURL: 'http://localhost:1234/v1' }), { kind: 'unknown', certain: false }, 'a port is only a guess when nothing answers');
  });

  it('Ollama not running: how to start it', () => {
    const r = advise(result({ baseURL: 'http://localhost:11434/v1', models: { status: 0, ms: 1, network: 'ECONNREFUSED' }, chat: undefined, completions: undefined, infill: undefined }), INPUT);
    assert.equal(r.summary, "No server answers at http://localhost:11434/v1 (Ollama's usual address).");
    assert.match(r.findings[1].text, /Ollama is not running\. Start it with `ollama serve`/);
    assert.deepEqual(r.suggestions, [{ type: 'command', command: 'openSettings', label: 'Open Settings' }]);
    const vllm = advise(result({ baseURL: 'http://localhost:8000/v1', models: { status: 0, ms: 1, network: 'ECONNREFUSED' } }), INPUT);
    assert.match(vllm.findings[1].text, /vllm serve redline-demo/);
    const dns = advise(result({ models: { status: 0, ms: 1, network: 'ENOTFOUND' } }), INPUT);
    assert.match(dns.findings[0].text, /cannot be found \(ENOTFOUND\)/);
  });

  it('model not pulled on Ollama: `ollama pull <model>`; elsewhere: Select Model', () => {
    const ollama = advise(
      result({ hints: { ollamaVersion: '0.5.7' }, models: { status: 200, ms: 1, ids: ['llama3:latest'], ownedBy: ['library'] }, chat: { status: 404, ms: 2, message: 'model "qwen" not found, try pulling it first' } }),
      { ...INPUT, chatModel: 'qwen' },
    );
    assert.ok(ollama.findings.some((f) => f.level === 'error' && f.text.includes('Run `ollama pull qwen`')), JSON.stringify(ollama.findings));
    assert.deepEqual(ollama.suggestions[0], { type: 'copy', text: 'ollama pull qwen', label: 'Copy "ollama pull qwen"' });
    assert.equal(ollama.findings.filter((f) => f.text.includes('qwen')).length, 1, 'said once, not again for the chat 404');
    assert.match(ollama.summary, /^Problems with Ollama 0\.5\.7 at /);
    const tagged = advise(result({ models: { status: 200, ms: 1, ids: ['llama3:latest'], ownedBy: ['library'] } }), { ...INPUT, chatModel: 'llama3', completionModel: 'llama3' });
    assert.ok(!tagged.findings.some((f) => f.text.includes('not pulled')), '`llama3` is `llama3:latest`');
    const other = advise(result({ chat: { status: 404, ms: 2 } }), { ...INPUT, chatModel: 'gpt-x' });
    assert.ok(other.findings.some((f) => f.text.includes('is not on this server')));
    assert.ok(other.suggestions.some((s) => s.type === 'command' && s.command === 'selectModel'));
    const completionModel = advise(result({ hints: { ollamaVersion: '1' } }), { ...INPUT, completionModel: 'tiny-coder' });
    assert.ok(completionModel.findings.some((f) => f.text.includes('inline-suggestion model `tiny-coder` is not pulled')));
  });

  it('completions 404 while chat works: suggestions must use chat mode', () => {
    const r = advise(result({ completions: { status: 404, ms: 1, message: 'Not Found' } }), { ...INPUT, completionMode: 'completions' });
    assert.equal(r.fim, 'no-completions');
    assert.equal(r.recommendedMode, 'chat');
    assert.ok(r.findings.some((f) => f.level === 'warn' && f.text.includes('while chat works')));
    assert.deepEqual(r.suggestions, [{ type: 'setting', key: 'completion.mode', value: 'chat', label: 'Use "chat" for suggestions' }]);
    const already = advise(result({ completions: { status: 404, ms: 1 } }), INPUT);
    assert.deepEqual(already.suggestions, [], 'already on chat: nothing to change');
    assert.ok(already.findings.some((f) => f.level === 'ok' && f.text.includes('suits this server')));
  });

  it('suffix refused: fim-template; suffix honoured: completions; llama.cpp: /infill when the build offers it', () => {
    const refused = advise(result({ completions: { status: 400, ms: 1, message: 'registry.ollama.ai/library/llama3 does not support insert' } }), INPUT);
    assert.equal(refused.fim, 'no-suffix');
    assert.equal(refused.recommendedMode, 'fim-template');
    const honoured = advise(result(), INPUT);
    assert.equal(honoured.recommendedMode, 'completions');
    assert.ok(honoured.findings.some((f) => f.level === 'ok' && f.text.includes('honours `suffix`')));
    const llama = result({ hints: { llamaCppProps: true }, infill: { status: 200, ms: 3 } });
    assert.equal(advise(llama, INPUT).fim, 'suffix-ignored');
    assert.equal(advise(llama, INPUT).recommendedMode, 'fim-template');
    assert.equal(advise(llama, { ...INPUT, infillModeAvailable: true }).recommendedMode, 'infill');
    assert.equal(advise(result({ infill: { status: 501, ms: 1, message: 'infill not supported' } }), INPUT).infill, 'refused');
  });

  it('a key problem offers Set API Key; a base URL without /v1 says so', () => {
    const key = advise(result({ models: { status: 401, ms: 1 }, chat: { status: 401, ms: 1 } }), INPUT);
    assert.ok(key.findings.some((f) => f.text.includes('it needs an API key')));
    assert.deepEqual(key.suggestions.filter((s) => s.type === 'command' && s.command === 'setApiKey').length, 1);
    const noV1 = advise(result({ baseURL: 'http://h:1', models: { status: 404, ms: 1 }, chat: { status: 404, ms: 1 } }), { ...INPUT, chatModel: 'x' });
    assert.ok(noV1.findings.some((f) => f.text.includes('ending in `/v1`')));
  });

  it('renders the report as Markdown with its next steps', () => {
    const text = renderReport(advise(result({ completions: { status: 404, ms: 1 } }), { ...INPUT, completionMode: 'completions' }), new Date(Date.UTC(2026, 10, 21, 9, 5, 0)));
    assert.ok(text.startsWith('# Redline: Test Connection\n\nConnected to http://127.0.0.1:9999/v1: 2 models, chat OK, no /v1/completions, no /infill.'), text);
    assert.ok(text.includes('Tested 2026-11-21 09:05:00 UTC.'));
    assert.ok(text.includes('- ✔ Chat works'));
    assert.ok(text.includes('## Next steps\n\n- Set `redline.completion.mode` to `chat`.'));
  });

  it('finds the network code however the fetch nests it', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    assert.equal(networkCode(new TypeError('fetch failed', { cause: refused })), 'ECONNREFUSED');
    assert.equal(networkCode(new TypeError('fetch failed', { cause: new AggregateError([new Error('x'), refused]) })), 'ECONNREFUSED');
    assert.equal(networkCode(new Error('getaddrinfo ENOTFOUND example.invalid')), 'ENOTFOUND');
    assert.equal(networkCode(Object.assign(new Error('aborted'), { name: 'AbortError' })), 'timeout');
    assert.equal(networkCode(new Error('something else')), 'network');
    assert.equal(advise(result({ models: { status: 0, ms: 1, network: 'network' } }), INPUT).findings[0].text, 'No server answers at `http://127.0.0.1:9999/v1`.');
  });

  it('finds the server root for native routes', () => {
    assert.equal(serverRoot('http://localhost:11434/v1'), 'http://localhost:11434');
    assert.equal(serverRoot('http://localhost:11434/v1/'), 'http://localhost:11434');
    assert.equal(serverRoot('https://gw.example/openai'), 'https://gw.example/openai');
  });
});

describe('next steps for failed requests', () => {
  it('says how to start the likely server, or how to get the model', () => {
    assert.equal(errorNextStep('unreachable', 'http://localhost:11434/v1'), 'Is Ollama running? Start it with `ollama serve`, or run Test Connection.');
    assert.equal(errorNextStep('unreachable', 'http://localhost:1234/v1'), 'Is LM Studio running? Start it, or run Test Connection.');
    assert.equal(errorNextStep('unreachable', 'https://gw.example/v1'), 'Is the server running at that address? Test Connection shows what to fix.');
    assert.equal(errorNextStep('notFound', 'http://localhost:11434/v1', 'qwen2.5-coder:7b'), 'If it is not pulled yet, run `ollama pull qwen2.5-coder:7b`; Test Connection lists the models you have.');
    assert.equal(errorNextStep('notFound', 'https://api.openai.com/v1', 'gpt-x'), "Test Connection lists the server's models and what it supports.");
  });
});
