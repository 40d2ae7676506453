import * as assert from 'assert';
import { CompletionEngine, type EngineSettings, type ProvideInput } from '../../src/core/completion/engine';
import { buildCompletionPrompt } from '../../src/core/completion/prompt';
import { DEFAULT_COMPLETION_SETTINGS, readCompletionSettings } from '../../src/core/completion/settings';
import { silentLogger } from '../../src/core/log';
import { scriptedClient, useScriptedServer } from '../fixtures/scripted';

/** `redline.completion.mode: infill`: llama.cpp's /infill, through the engine and the real client. */
describe('completion: infill mode', () => {
  const server = useScriptedServer();
  let engine: CompletionEngine;
  let settings: EngineSettings;

  beforeEach(() => {
    const client = scriptedClient(server);
    settings = { ...DEFAULT_COMPLETION_SETTINGS, mode: 'infill', debounceMs: 0, chatModel: 'test-model', exclude: [] };
    engine = new CompletionEngine({ client: () => client, log: silentLogger, abandonGraceMs: 20 });
  });
  afterEach(() => engine.dispose());

  const doc = (prefix: string, suffix: string, over: Partial<ProvideInput> = {}): ProvideInput => ({
    docKey: 'file:///w/src/a.ts',
    path: 'src/a.ts',
    languageId: 'typescript',
    prefix,
    suffix,
    ...over,
  });

  it('is a setting value', () => {
    assert.strictEqual(readCompletionSettings((k) => (k === 'completion.mode' ? 'infill' : undefined)).mode, 'infill');
  });

  it('sends prefix, suffix and context files to /infill and shows the cleaned reply', async () => {
    server.enqueue({ endpoint: 'infill', reply: 'a + b;\n}\n\nfunction other() {' });
    const source = { name: 'defs', timeLimitMs: 50, priority: 5, order: 1, fetch: () => [{ path: 'src/math.ts', text: 'export const two = 2;' }] };
    const out = await engine.provide(doc('function add(a, b) {\n  return ', '\n}\n', { sources: [source] }), settings, new AbortController().signal);
    assert.deepStrictEqual([out.text, out.via], ['a + b;', 'model']);
    const infill = server.requests.filter((r) => r.endpoint === 'infill');
    assert.strictEqual(infill.length, 1);
    assert.strictEqual(server.requestCounts().completions, 0);
    const body = infill[0].body;
    assert.strictEqual(body.input_prefix, 'function add(a, b) {\n  return ');
    assert.strictEqual(body.input_suffix, '\n}\n');
    assert.deepStrictEqual(body.input_extra, [{ filename: 'src/math.ts', text: 'export const two = 2;' }]);
    assert.strictEqual(body.n_predict, DEFAULT_COMPLETION_SETTINGS.maxTokens);
  });

  it('builds an infill prompt with no template text of its own', () => {
    const built = buildCompletionPrompt(
      { path: 'a.py', languageId: 'python', prefix: 'def f():\n    return ', suffix: '\n', snippets: [], lineMode: 'single' },
      { mode: 'infill', fimTemplate: 'qwen2.5-coder', customFimTemplate: '' },
    );
    assert.deepStrictEqual(built, { endpoint: 'infill', prefix: 'def f():\n    return ', suffix: '\n', extra: [], stop: [], style: 'fim' });
  });
});
