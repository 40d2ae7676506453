import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { buildSync } from 'esbuild';
import fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Tiktoken } from 'js-tiktoken/lite';
import {
  countTokens,
  defaultRanksLoader,
  estimateTokens,
  pieces,
  RANKS_MODULE,
  setRanksLoader,
  tokenizerStatus,
  truncateToTokens,
  warmUpTokenizer,
} from '../../src/core/prompt/tokens';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ranks = require(RANKS_MODULE);
const reference = new Tiktoken(ranks);
const exact = (text: string) => reference.encode(text, [], []).length;

const codeChar = fc.constantFrom('a', 'Z', '_', '1', ' ', '  ', '\t', '\n', '\r\n', '\n\n', '{', '}', '(', ')', ';', "'s", '"', '.', 'é', '😀', '<|endoftext|>', 'return ', 'const ');
const codeArb = fc.array(codeChar, { maxLength: 80 }).map((parts) => parts.join(''));

describe('tokens', () => {
  // Tests that swap the loader put the real one back (reloading costs ~0.3 s, so only then).
  afterEach(() => {
    if (tokenizerStatus() !== 'exact') setRanksLoader(defaultRanksLoader);
  });

  it('loads the encoder lazily, once', () => {
    setRanksLoader(defaultRanksLoader);
    assert.strictEqual(tokenizerStatus(), 'unloaded');
    assert.strictEqual(countTokens('hello world'), 2);
    assert.strictEqual(tokenizerStatus(), 'exact');
  });

  it('counts exactly like encoding the whole text (piece-wise counting and its cache change nothing)', () => {
    fc.assert(
      fc.property(codeArb, (text) => {
        assert.strictEqual(countTokens(text), exact(text));
        assert.strictEqual(countTokens(text), exact(text), 'second (cached) count');
      }),
      { numRuns: 500 },
    );
  });

  it('cuts text only where a newline is followed by a non-space character', () => {
    assert.deepStrictEqual(pieces('a\nb\n  c\n\nd'), ['a\n', 'b\n  c\n\n', 'd']);
    assert.deepStrictEqual(pieces(''), []);
  });

  it('counts special-token text as plain text instead of throwing', () => {
    assert.ok(countTokens('<|endoftext|>') > 1);
  });

  it('falls back to chars/4 when the ranks cannot be loaded', () => {
    setRanksLoader(() => undefined);
    assert.strictEqual(countTokens('abcdefghij'), estimateTokens('abcdefghij'));
    assert.strictEqual(estimateTokens('abcdefghij'), 3);
    assert.strictEqual(tokenizerStatus(), 'estimate');
    setRanksLoader(() => {
      throw new Error('corrupt file');
    });
    assert.strictEqual(countTokens('abcd'), 1);
  });

  it('reads the ranks from the JSON file beside the bundle when it is there', () => {
    // What esbuild.js ships: dist/cl100k_base.json next to dist/extension.js.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redline-ranks-'));
    const file = path.join(dir, 'cl100k_base.json');
    fs.writeFileSync(file, JSON.stringify(ranks));
    let reads = 0;
    setRanksLoader(() => {
      reads++;
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    });
    assert.strictEqual(countTokens('const x = 1;'), exact('const x = 1;'));
    countTokens('again');
    assert.strictEqual(reads, 1);
    fs.rmSync(dir, { recursive: true });
  });

  it('bundled like the extension, leaves the ranks out and reads them from beside the bundle', function () {
    this.timeout(30_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redline-bundle-'));
    try {
      const entry = path.join(dir, 'entry.ts');
      const tokensModule = path.resolve(__dirname, '../../../src/core/prompt/tokens').replace(/\\/g, '/');
      fs.writeFileSync(entry, `import { countTokens, tokenizerStatus } from '${tokensModule}';\nconsole.log(JSON.stringify([countTokens('const x = 1;'), tokenizerStatus()]));\n`);
      const outfile = path.join(dir, 'dist', 'extension.js');
      buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'silent', nodePaths: [path.resolve(__dirname, '../../../node_modules')] });
      assert.ok(fs.statSync(outfile).size < 100_000, `bundle is ${fs.statSync(outfile).size} bytes: the ranks got in`);
      const run = () => JSON.parse(execFileSync(process.execPath, [outfile], { cwd: dir, encoding: 'utf8' }));
      assert.deepStrictEqual(run(), [estimateTokens('const x = 1;'), 'estimate'], 'no ranks file, no node_modules: estimates');
      fs.writeFileSync(path.join(dir, 'dist', 'cl100k_base.json'), JSON.stringify(ranks));
      assert.deepStrictEqual(run(), [exact('const x = 1;'), 'exact']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('warms up ahead of the first count, on a later tick', async () => {
    let loads = 0;
    setRanksLoader(() => {
      loads++;
      return undefined;
    });
    const warming = warmUpTokenizer();
    assert.strictEqual(loads, 0, 'not on the caller\'s tick');
    assert.strictEqual(await warming, 'estimate');
    countTokens('x');
    assert.strictEqual(loads, 1);
  });

  describe('truncateToTokens', () => {
    const text = Array.from({ length: 40 }, (_, i) => `line ${i}: const value${i} = compute(${i});\n`).join('');
    it('keeps the tail when cutting from the start, the head when cutting from the end', () => {
      const tail = truncateToTokens(text, 50, 'start');
      const head = truncateToTokens(text, 50, 'end');
      assert.ok(text.endsWith(tail) && text.startsWith(head));
      assert.ok(countTokens(tail) <= 50 && countTokens(head) <= 50);
      assert.ok(countTokens(tail) >= 45 && countTokens(head) >= 45, 'uses the budget');
    });
    it('returns the text when it fits and nothing for a zero budget', () => {
      assert.strictEqual(truncateToTokens(text, 10_000, 'start'), text);
      assert.strictEqual(truncateToTokens(text, 0, 'end'), '');
    });
    it('is always a substring within budget, never splitting a character', () => {
      fc.assert(
        fc.property(codeArb, fc.integer({ min: 0, max: 40 }), fc.boolean(), (t, max, fromStart) => {
          const out = truncateToTokens(t, max, fromStart ? 'start' : 'end');
          assert.ok(fromStart ? t.endsWith(out) : t.startsWith(out));
          assert.ok(exact(out) <= max, `${exact(out)} > ${max}`);
          assert.ok(!/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(out), 'broken surrogate pair');
        }),
        { numRuns: 300 },
      );
    });
    it('estimates by characters without the encoder', () => {
      setRanksLoader(() => undefined);
      assert.strictEqual(truncateToTokens('abcdefghij', 2, 'start'), 'cdefghij');
      assert.strictEqual(truncateToTokens('abcdefghij', 2, 'end'), 'abcdefgh');
    });
  });
});
