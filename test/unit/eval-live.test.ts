import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseLiveArgs, percentile, runLive } from '../../eval/live';
import { main } from '../../eval/run';
import { FakeModelServer } from '../fixtures/fakeModelServer';

/** `npm run eval -- --live` against the scripted server: prompts built by the product, replies scored and recorded. */
describe('eval --live', () => {
  const server = new FakeModelServer();
  let dir: string;
  before(async () => {
    await server.start();
  });
  after(() => server.stop());
  beforeEach(() => {
    server.reset();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redline-live-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const suite = (name: string, lines: object[]) => {
    const file = path.join(dir, `${name}.jsonl`);
    fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    return file;
  };
  const editCase = {
    kind: 'edit',
    id: 'rename',
    language: 'typescript',
    before: '',
    selection: 'let a = 1;\n',
    after: '',
    instruction: 'Rename a to b',
    reply: 'recorded',
    expected: 'let b = 1;\n',
  };
  const completionCase = { kind: 'completion', id: 'ret', language: 'typescript', prefix: 'function f() {\n  return ', suffix: ';\n}\n', reply: 'recorded', expected: '42' };

  it('asks with the product prompt, scores the live reply and records it', async () => {
    server.enqueue(
      { endpoint: 'chat', reply: '```ts\nlet b = 1;\n```\n', usage: { prompt_tokens: 120, completion_tokens: 9 } },
      { endpoint: 'infill', reply: '42;\n}\n', usage: { prompt_tokens: 30, completion_tokens: 3 } },
    );
    const record = path.join(dir, 'out', 'live.jsonl');
    const lines: string[] = [];
    const summaries = await runLive(
      { ...parseLiveArgs(['--live', '--base-url', server.baseURL, '--model', 'm', '--mode', 'infill', '--price-in', '1', '--price-out', '2', '--record', record]), suites: [suite('edit', [editCase]), suite('completion', [completionCase])] },
      (l) => lines.push(l),
    );
    const [edit, completion] = summaries;
    assert.deepEqual([edit.suite, edit.cases, edit.passed, edit.meanSimilarity, edit.promptTokens, edit.completionTokens], ['edit', 1, 1, 1, 120, 9]);
    assert.equal(edit.costUsd, (120 * 1 + 9 * 2) / 1e6);
    assert.equal(typeof edit.ttftMsP50, 'number');
    assert.deepEqual([completion.suite, completion.mode, completion.passed, completion.promptTokens], ['completion', 'infill', 1, 30]);
    // The edit prompt is the product's: system prompt plus the instruction and the selection.
    const chat = server.requests.find((r) => r.endpoint === 'chat')!.body;
    assert.match(chat.messages[0].content, /You are Redline/);
    assert.match(chat.messages[1].content, /Rename a to b/);
    assert.equal(server.requests.find((r) => r.endpoint === 'infill')!.body.input_suffix, ';\n}\n');
    const recorded = fs.readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(recorded[0].reply, '```ts\nlet b = 1;\n```\n');
    assert.equal(recorded[1].reply, '42;\n}\n');
    assert.equal(recorded[1].mode, 'infill');
    // A recorded live run is an offline suite that passes the same way.
    const offline: string[] = [];
    assert.equal(await main(['--suite', record], (l) => offline.push(l)), 0);
    assert.deepEqual(JSON.parse(offline[offline.length - 1]), { suite: 'live', cases: 2, passed: 2, rate: 1, means: { exact: 1, similarity: 1 } });
    assert.ok(lines.some((l) => l.startsWith('{"suite":"edit"')));
  });

  it('counts failures and errors, and exits 1 when no case got an answer', async () => {
    server.setResponder(() => ({ fault: 'http404' }));
    const lines: string[] = [];
    const code = await main(['--live', '--base-url', server.baseURL, '--model', 'missing', '--suite', suite('edit', [editCase])], (l) => lines.push(l), (l) => lines.push(l));
    assert.equal(code, 1);
    assert.ok(lines.some((l) => /^ERROR edit rename: Model "missing" was not found/.test(l)), lines.join('\n'));
  });

  it('rejects bad arguments', () => {
    assert.throws(() => parseLiveArgs(['--live', '--model', 'm']), /--base-url/);
    assert.throws(() => parseLiveArgs(['--live', '--base-url', 'u', '--model', 'm', '--mode', 'fast']), /--mode must be one of/);
  });

  it('takes nearest-rank percentiles', () => {
    assert.equal(percentile([], 50), null);
    assert.equal(percentile([5], 95), 5);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50), 5);
    assert.equal(percentile([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 95), 10);
  });
});
