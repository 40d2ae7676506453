import * as assert from 'assert';
import fc from 'fast-check';
import { declarationBlock, outlineBlock } from '../../src/core/context/definitions';
import { importedPaths } from '../../src/core/context/imports';
import { symbolsSource } from '../../src/core/completion/sources';
import { type ContextSource, gatherContext } from '../../src/core/context/gather';
import { fitParts } from '../../src/core/context/parts';
import { Bm25Stats, bm25Document, jaccard, slidingWindows, terms } from '../../src/core/context/similarity';
import { OpenEditorSnippets, RecentEdits, queryText } from '../../src/core/context/snippets';
import { cursorWindows } from '../../src/core/context/windows';
import { WorkspaceIndex } from '../../src/core/context/workspaceIndex';
import { countTokens } from '../../src/core/prompt/tokens';
import { DEFAULT_EXCLUDE } from '../../src/core/config';

const set = (xs: string[]) => new Set(xs);

describe('context/similarity', () => {
  it('terms: identifiers and their sub-words, no keywords', () => {
    assert.deepStrictEqual(terms('const parseHTTPResponse = (x) => x.body_text;'), ['parsehttpresponse', 'parse', 'http', 'response', 'body_text', 'body', 'text']);
  });

  it('Jaccard is symmetric, in [0, 1], 1 on equal non-empty sets (property)', () => {
    const arb = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 6 }).map(set);
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        const j = jaccard(a, b);
        assert.strictEqual(j, jaccard(b, a));
        assert.ok(j >= 0 && j <= 1);
        if (a.size > 0) assert.strictEqual(jaccard(a, a), 1);
      }),
    );
  });

  it('BM25: the window with the rare query term ranks first; stats can be undone', () => {
    const docs = ['alpha beta gamma', 'alpha beta', 'alpha delta_rare'].map(bm25Document);
    const stats = new Bm25Stats();
    for (const d of docs) stats.add(d);
    const scores = docs.map((d) => stats.score(['alpha', 'delta_rare'], d));
    assert.ok(scores[2] > scores[0] && scores[2] > scores[1]);
    stats.remove(docs[2]);
    assert.strictEqual(stats.documentFrequency('delta_rare'), 0);
    assert.strictEqual(stats.size, 2);
  });

  it('sliding windows cover the whole text, the last one aligned to the end', () => {
    const text = Array.from({ length: 25 }, (_, i) => `line${i}`).join('\n');
    const ws = slidingWindows('a.ts', text, 10, 5);
    assert.deepStrictEqual(ws.map((w) => [w.startLine, w.endLine]), [[0, 10], [5, 15], [10, 20], [15, 25]]);
  });
});

describe('context/windows', () => {
  const big = Array.from({ length: 20000 }, (_, i) => `  const value${i} = compute(${i});`).join('\n');
  const cut = 10000 * 33;

  it('keeps whole lines around the cursor within the budget', () => {
    const prefix = big.slice(0, big.indexOf('\n', cut) + 1) + '  const next = ';
    const suffix = big.slice(big.indexOf('\n', cut));
    const w = cursorWindows(prefix, suffix, 300, 100);
    assert.ok(w.prefixTokens <= 300 && w.prefixTokens > 250, `${w.prefixTokens}`);
    assert.ok(w.suffixTokens <= 100 && w.suffixTokens > 60, `${w.suffixTokens}`);
    // counted line by line, the windows stay within the budget counted in one go (a few tokens of slack)
    assert.ok(countTokens(w.prefix) <= 300 * 1.02, `${countTokens(w.prefix)}`);
    assert.ok(countTokens(w.suffix) <= 100 * 1.02, `${countTokens(w.suffix)}`);
    assert.ok(prefix.endsWith(w.prefix) && suffix.startsWith(w.suffix));
    assert.ok(w.prefix.startsWith('  const value'), 'starts at a line start');
    assert.ok(w.suffix.endsWith('\n') || w.suffix.endsWith(';'), 'ends at a line end');
    assert.ok(w.prefixCut && w.suffixCut);
  });

  it('an over-long cursor line is cut, keeping the part next to the cursor', () => {
    const line = 'x = ' + 'alpha + '.repeat(200);
    const w = cursorWindows('first\n' + line, 'tail\nmore', 20, 20);
    assert.ok(line.endsWith(w.prefix) && w.prefix.length < line.length);
    assert.ok(w.prefixTokens <= 20);
  });

  it('a small file fits whole', () => {
    const w = cursorWindows('a\nb', 'c\nd', 100, 100);
    assert.deepStrictEqual([w.prefix, w.suffix, w.prefixCut, w.suffixCut], ['a\nb', 'c\nd', false, false]);
  });
});

describe('context/parts: priorities, budget, duplicates, order', () => {
  const part = (id: string, priority: number, order: number, text: string) => ({ id, priority, order, text });

  it('drops the lowest priorities first and returns the kept parts in prompt order', () => {
    const parts = [part('a', 1, 0, 'alpha '.repeat(20)), part('b', 3, 1, 'beta '.repeat(20)), part('c', 2, 2, 'gamma '.repeat(20))];
    const budget = countTokens(parts[1].text) + countTokens(parts[2].text);
    const fitted = fitParts(parts, budget);
    assert.deepStrictEqual(fitted.kept.map((p) => p.id), ['b', 'c']);
    assert.deepStrictEqual(fitted.dropped.map((d) => [d.part.id, d.reason]), [['a', 'budget']]);
  });

  it('drops duplicates and parts contained in a more important part', () => {
    const fitted = fitParts([part('win', 9, 0, 'function f() {\n  return 1;\n}'), part('dup', 1, 1, 'return   1;'), part('same', 2, 2, 'function f() {  return 1; }')], 1000);
    assert.deepStrictEqual(fitted.kept.map((p) => p.id), ['win']);
  });

  it('never exceeds the budget, is stable under input order, and keeps a priority-prefix (property)', () => {
    const arbPart = fc.record({ priority: fc.integer({ min: 0, max: 5 }), words: fc.integer({ min: 1, max: 30 }), word: fc.constantFrom('x', 'y', 'z', 'w') });
    fc.assert(
      fc.property(fc.array(arbPart, { maxLength: 10 }), fc.integer({ min: 0, max: 120 }), (specs, budget) => {
        const parts = specs.map((s, i) => part(`p${i}`, s.priority, i, `${s.word}${i} `.repeat(s.words)));
        const fitted = fitParts(parts, budget);
        assert.ok(fitted.tokens <= budget);
        const shuffled = fitParts([...parts].reverse(), budget);
        assert.deepStrictEqual(shuffled.kept.map((p) => p.id), fitted.kept.map((p) => p.id));
        // every kept part is at least as important as every part dropped for the budget
        const minKept = Math.min(...fitted.kept.map((p) => p.priority));
        for (const d of fitted.dropped) if (d.reason === 'budget') assert.ok(d.part.priority <= minKept);
        // prompt order
        const orders = fitted.kept.map((p) => p.order);
        assert.deepStrictEqual(orders, [...orders].sort((a, b) => a - b));
      }),
    );
  });
});

describe('context/snippets', () => {
  it('ranks open-editor windows by similarity and skips the current file', () => {
    const ranker = new OpenEditorSnippets(4, 2);
    const docs = [
      { path: 'src/cart.ts', languageId: 'typescript', version: 1, getText: () => 'class Cart {\n  addItem(item: Item) {\n    this.items.push(item);\n  }\n}\n// unrelated\nconst zz = 1;' },
      { path: 'src/log.ts', languageId: 'typescript', version: 1, getText: () => 'export function log(msg: string) {\n  console.log(msg);\n}' },
      { path: 'src/current.ts', languageId: 'typescript', version: 1, getText: () => 'cart.addItem(item)' },
    ];
    const hits = ranker.rank({ path: 'src/current.ts', languageId: 'typescript', text: 'cart.addItem(item); cart.items' }, docs, { k: 2 });
    assert.strictEqual(hits[0].path, 'src/cart.ts');
    assert.ok(hits.every((h) => h.path !== 'src/current.ts'));
  });

  it('re-windows a document only when its version changes', () => {
    const ranker = new OpenEditorSnippets();
    let reads = 0;
    const doc = { path: 'a.ts', languageId: 'typescript', version: 1, getText: () => (reads++, 'alpha beta') };
    const q = { path: 'b.ts', languageId: 'typescript', text: 'alpha' };
    ranker.rank(q, [doc]);
    ranker.rank(q, [doc]);
    assert.strictEqual(reads, 1);
    ranker.rank(q, [{ ...doc, version: 2 }]);
    assert.strictEqual(reads, 2);
  });

  it('recent edits: most recent first, nearby edits merged, the cursor neighbourhood skipped', () => {
    const edits = new RecentEdits(4, 3);
    edits.record('a.ts', 10, 1);
    edits.record('a.ts', 12, 2);
    edits.record('b.ts', 5, 3);
    edits.record('c.ts', 100, 4);
    assert.deepStrictEqual(edits.list().map((e) => `${e.path}:${e.line}`), ['c.ts:100', 'b.ts:5', 'a.ts:12']);
    const lines = (path: string, start: number, end: number) => ({ text: `${path} lines ${start}-${end} shared`, start, end });
    const snippets = edits.snippets({ path: 'c.ts', languageId: 'typescript', text: 'shared', line: 99 }, lines);
    assert.deepStrictEqual(snippets.map((s) => s.path), ['b.ts', 'a.ts']);
  });

  it('the query is the lines around the cursor', () => {
    const prefix = Array.from({ length: 30 }, (_, i) => `p${i}`).join('\n');
    assert.strictEqual(queryText(prefix + ' x', '\ns1\ns2\ns3\ns4', 2, 2), 'p27\np28\np29 x\ns1\ns2');
  });
});

describe('context/definitions', () => {
  const lines = ['/** Adds. */', 'export function add(a: number, b: number) {', '  return a + b;', '}', '', 'export const z = 1;'];
  it('takes the doc comment, the declaration and its body', () => {
    assert.deepStrictEqual(declarationBlock(lines, 1), { startLine: 0, endLine: 4, text: lines.slice(0, 4).join('\n') });
  });
  it('stops at the line limit', () => {
    const long = ['def f():', ...Array.from({ length: 30 }, (_, i) => `    x${i} = ${i}`)];
    assert.strictEqual(declarationBlock(long, 0, 5).endLine, 5);
  });
});

describe('context/workspaceIndex', () => {
  const files: Record<string, string> = {
    'src/billing/invoice.ts': 'export function computeInvoiceTotal(lines: InvoiceLine[]): number {\n  return lines.reduce((s, l) => s + l.amount, 0);\n}',
    'src/users/profile.ts': 'export interface UserProfile {\n  displayName: string;\n  avatarUrl: string;\n}',
    'config/.env': 'INVOICE_SECRET=abc\ncomputeInvoiceTotal=1',
    'src/big.ts': 'x'.repeat(500_000),
  };
  const make = () =>
    new WorkspaceIndex({
      listFiles: async () => Object.keys(files),
      readFile: async (p) => files[p],
      exclude: () => DEFAULT_EXCLUDE,
      yieldToLoop: () => Promise.resolve(),
    });

  it('does nothing until started, then finds the window that matches', async () => {
    const index = make();
    assert.strictEqual(index.status, 'idle');
    assert.deepStrictEqual(index.search('computeInvoiceTotal'), []);
    await index.start();
    assert.strictEqual(index.status, 'ready');
    const hits = index.search('const total = computeInvoiceTotal(invoice.lines)');
    assert.strictEqual(hits[0].path, 'src/billing/invoice.ts');
    assert.ok(hits[0].text.includes('reduce'));
  });

  it('never indexes excluded or oversized files', async () => {
    const index = make();
    await index.start();
    assert.strictEqual(index.has('config/.env'), false);
    assert.strictEqual(index.has('src/big.ts'), false);
    assert.ok(index.search('INVOICE_SECRET').every((h) => h.path !== 'config/.env'));
  });

  it('keeps current on change, rename and delete', async () => {
    const index = make();
    await index.start();
    index.upsert('src/users/profile.ts', 'export function renderAvatar(url: string) {}');
    assert.strictEqual(index.search('displayName').length, 0);
    assert.strictEqual(index.search('renderAvatar')[0].path, 'src/users/profile.ts');
    index.rename('src/users/profile.ts', 'src/ui/avatar.ts');
    assert.strictEqual(index.search('renderAvatar')[0].path, 'src/ui/avatar.ts');
    index.remove('src/ui/avatar.ts');
    assert.strictEqual(index.search('renderAvatar').length, 0);
    assert.strictEqual(index.stats().files, 1);
  });

  it('skips paths asked for and prefers the same language family', async () => {
    const index = new WorkspaceIndex({
      listFiles: async () => ['a.py', 'b.ts'],
      readFile: async () => 'def shared_helper(): pass',
      exclude: () => [],
      yieldToLoop: () => Promise.resolve(),
    });
    await index.start();
    assert.strictEqual(index.search('shared_helper', { family: 'js' })[0].path, 'b.ts');
    assert.deepStrictEqual(index.search('shared_helper', { skipPaths: new Set(['b.ts']) }).map((h) => h.path), ['a.py']);
  });
});

describe('context/gather', () => {
  const input = { path: 'src/main.ts', languageId: 'typescript', prefix: 'const key = "', suffix: '";\n', query: 'useHelper' };
  const source = (name: string, over: Partial<ContextSource>): ContextSource => ({ name, timeLimitMs: 50, priority: 1, order: 1, fetch: () => [], ...over });

  it('runs each source under its own time limit', async () => {
    const slow = source('slow', { timeLimitMs: 20, fetch: () => new Promise((resolve) => setTimeout(() => resolve([{ path: 'late.ts', text: 'late()' }]), 2000).unref()) });
    const fast = source('fast', { fetch: async () => [{ path: 'src/helper.ts', text: 'export function useHelper() {}' }] });
    const ctx = await gatherContext(input, [slow, fast], { exclude: [] });
    assert.strictEqual(ctx.sources.slow.outcome, 'timeout');
    assert.strictEqual(ctx.sources.fast.outcome, 'ok');
    assert.deepStrictEqual(ctx.snippets.map((s) => s.path), ['src/helper.ts']);
  });

  it('a failing source costs nothing but itself', async () => {
    const broken = source('broken', { fetch: () => { throw new Error('boom'); } });
    const ctx = await gatherContext(input, [broken], { exclude: [] });
    assert.strictEqual(ctx.sources.broken.outcome, 'error');
  });

  it('drops snippets from excluded files and redacts secrets everywhere', async () => {
    const token = ['ghp_', 'R2d2C3poLuke7Leia9Han5Solo0Chewie1aBcD'].join('');
    const src = source('s', {
      fetch: () => [
        { path: 'deploy/.env.production', text: 'useHelper=1' },
        { path: 'src/helper.ts', text: `const token = "${token}"; useHelper();` },
      ],
    });
    const ctx = await gatherContext({ ...input, prefix: `const key = "${token}";\nconst x = "` }, [src], { exclude: DEFAULT_EXCLUDE });
    assert.deepStrictEqual(ctx.snippets.map((s) => s.path), ['src/helper.ts']);
    const sent = ctx.prefix + ctx.suffix + ctx.snippets.map((s) => s.text).join('');
    assert.ok(!sent.includes(token));
    assert.strictEqual(ctx.redactions, 2);
  });

  it('never sends the lines of a private key whose BEGIN line lies above the window', async () => {
    const line = (i: number) => `${'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2y'}${String(i).padStart(2, '0')}`;
    const body = Array.from({ length: 42 }, (_, i) => line(i));
    const prefix = ['const key = `', ['-----BEGIN ', 'PRIVATE KEY-----'].join(''), ...body, ['-----END ', 'PRIVATE KEY-----'].join(''), '`;', 'export function sign(data) {', '  return '].join('\n');
    const budget = { totalTokens: 400, prefixShare: 0.6, suffixShare: 0.15 };
    const ctx = await gatherContext({ ...input, prefix, suffix: '\n}\n' }, [], { exclude: [], budget });
    assert.ok(!ctx.prefix.includes('-----BEGIN'), 'the window should start below the BEGIN line for this test to mean anything');
    for (const l of body) assert.ok(!ctx.prefix.includes(l), `key line sent: ${l}`);
    assert.ok(ctx.prefix.includes('<redacted:private-key>\n-----END PRIVATE KEY-----'));
    assert.ok(ctx.prefix.endsWith('export function sign(data) {\n  return '));
  });

  it('never sends key lines from a window cut inside the key on both sides', async () => {
    const body = Array.from({ length: 200 }, (_, i) => `q1w2e3r4t5y6u7i8o9p0AaSsDdFfGgHhJjKkLlZzXxCcVvBbNnMm1234567890${String(i).padStart(3, '0')}`);
    const prefix = ['const key = `', ['-----BEGIN ', 'RSA PRIVATE KEY-----'].join(''), ...body].join('\n');
    const budget = { totalTokens: 400, prefixShare: 0.6, suffixShare: 0.15 };
    const ctx = await gatherContext({ ...input, prefix, suffix: '' }, [], { exclude: [], budget });
    assert.ok(!ctx.prefix.includes('-----BEGIN'));
    for (const l of body) assert.ok(!ctx.prefix.includes(l), `key line sent: ${l}`);
  });

  it('gives the same context for the same inputs, within the budget', async () => {
    const src = source('s', { fetch: () => Array.from({ length: 8 }, (_, i) => ({ path: `f${i}.ts`, text: `function useHelper${i}() { return ${i}; }` })) });
    const budget = { totalTokens: 60, prefixShare: 0.5, suffixShare: 0.2 };
    const a = await gatherContext(input, [src], { exclude: [], budget });
    const b = await gatherContext(input, [src], { exclude: [], budget });
    assert.deepStrictEqual(a, { ...b, sources: a.sources });
    assert.ok(a.tokens <= 60);
    assert.ok(a.snippets.length > 0 && a.snippets.length < 8);
    assert.deepStrictEqual(a.snippets.map((s) => s.path), a.snippets.map((_, i) => `f${i}.ts`));
  });
});

describe('context/imports', () => {
  it('resolves relative ES imports and Python modules to workspace paths', () => {
    const prefix = "import { a } from './util/a';\nimport type { B } from '../models/b.js';\nconst c = require('./c');\nimport x from 'react';\n";
    const paths = importedPaths(prefix, 'src/app/main.ts');
    for (const p of ['src/app/util/a.ts', 'src/models/b.ts', 'src/app/c.js', 'src/app/c/index.ts']) assert.ok(paths.has(p), p);
    assert.ok(![...paths].some((p) => p.includes('react')));
    const py = importedPaths('from analytics.cohorts import x\nfrom .helpers import y\nimport pkg.mod\n', 'svc/jobs/run.py');
    for (const p of ['analytics/cohorts.py', 'svc/jobs/helpers.py', 'pkg/mod.py', 'pkg/mod/__init__.py']) assert.ok(py.has(p), p);
  });
});

describe('context/definitions: outlines', () => {
  it('a class: header, one line per member, bodies folded', () => {
    const lines = ['export class Cart {', '  readonly lines: Line[] = [];', '  add(item: Item): void {', '    this.lines.push(item);', '  }', '  get empty(): boolean {', '    return true;', '  }', '}', 'const after = 1;'];
    assert.deepStrictEqual(outlineBlock(lines, 0).text.split('\n'), ['export class Cart {', '  readonly lines: Line[] = [];', '  add(item: Item): void { … }', '  get empty(): boolean { … }', '}']);
  });
  it('a function: its comment and folded header only', () => {
    const lines = ['/** Retries. */', 'export function retry(fn: () => void, options: RetryOptions) {', '  fn();', '}'];
    assert.strictEqual(outlineBlock(lines, 1).text, '/** Retries. */\nexport function retry(fn: () => void, options: RetryOptions) { … }');
  });
  it('a Python class', () => {
    const lines = ['class Stack:', '    def push(self, x):', '        self.items.append(x)', '', '    def pop(self):', '        return self.items.pop()', '', 'def other():'];
    assert.strictEqual(outlineBlock(lines, 0).text, 'class Stack:\n    def push(self, x): …\n    def pop(self): …');
  });
});

describe('context: symbols from the workspace index', () => {
  it('outlines the declarations of identifiers near the cursor and the types their signatures use', async () => {
    const files: Record<string, string> = {
      'src/retry.ts': 'export interface RetryOptions {\n  attempts: number;\n  backoffMs: number;\n}\n\nexport async function withRetry(fn: () => Promise<void>, options: RetryOptions) {\n  await fn();\n}\n',
      'src/other.ts': 'export const unrelated = 1;\n',
    };
    const index = new WorkspaceIndex({ listFiles: async () => Object.keys(files), readFile: async (p) => files[p], exclude: () => [], yieldToLoop: () => Promise.resolve() });
    await index.start();
    assert.deepStrictEqual(index.declarationsOf('withRetry'), [{ path: 'src/retry.ts', line: 5, kind: 'function' }]);
    const snippets = await symbolsSource(index).fetch({ path: 'src/main.ts', languageId: 'typescript', text: 'await withRetry(() => send(), { ' }, new AbortController().signal);
    assert.deepStrictEqual(snippets.map((s) => s.symbol), ['withRetry', 'RetryOptions']);
    assert.ok(snippets[1].text.includes('backoffMs: number;'));
    index.remove('src/retry.ts');
    assert.deepStrictEqual(index.declarationsOf('withRetry'), []);
  });
});
