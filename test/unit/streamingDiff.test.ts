import * as assert from 'assert';
import fc from 'fast-check';
import { applyHunks, diffHunks, LineHunk } from '../../src/core/edit/diff';
import { extractRewrite } from '../../src/core/edit/extract';
import { joinLines, splitLines } from '../../src/core/edit/lines';
import { ReplyLineFilter, RESTART, StreamingDiff } from '../../src/core/edit/streamingDiff';

/** Feeds a reply in the given chunk sizes (cycled). */
function stream(diff: StreamingDiff, reply: string, sizes: number[] = [reply.length || 1]): void {
  let i = 0;
  let k = 0;
  while (i < reply.length) {
    const n = Math.max(1, sizes[k++ % sizes.length]);
    diff.push(reply.slice(i, i + n));
    i += n;
  }
}

/** The provisional state must be a true diff of what it covers: original[0, consumed) → placed lines. */
function placedText(selection: string, hunks: LineHunk[], consumed: number): string {
  const reached = joinLines(splitLines(selection).slice(0, consumed));
  return applyHunks(reached, hunks, () => true);
}

const selection = ['function total(items) {', '  let sum = 0;', '  for (const item of items) {', '    sum += item.price;', '  }', '  return sum;', '}', ''].join('\n');

describe('StreamingDiff', () => {
  it('a code line that reads "restart" is placed like any other line (it once reset the live diff)', () => {
    const original = 'start\nrestart\nstop\n';
    const diff = new StreamingDiff(original);
    diff.push('```sh\nstart\nrestart\nstop\n');
    const snap = diff.snapshot();
    assert.deepStrictEqual(snap.hunks, []);
    assert.strictEqual(snap.consumedOldLines, 3);
  });

  it('shows nothing changed while the model repeats the selection, and tracks how far it got', () => {
    const diff = new StreamingDiff(selection);
    diff.push('```js\nfunction total(items) {\n  let sum = 0;\n  for (co');
    const snap = diff.snapshot();
    assert.deepStrictEqual(snap.hunks, []);
    assert.strictEqual(snap.consumedOldLines, 2);
    assert.deepStrictEqual(snap.pendingNewLines, ['  for (co']);
    assert.strictEqual(snap.codeComplete, false);
  });

  it('turns a changed line into a provisional hunk as soon as it is complete', () => {
    const diff = new StreamingDiff(selection);
    diff.push('Here is the code:\n\n```js\nfunction total(items) {\n  let sum = 0;\n  for (const item of items) {\n    sum += item.price * item.qty;\n');
    const snap = diff.snapshot();
    assert.deepStrictEqual(snap.hunks, [{ oldStart: 3, oldLines: [], newStart: 3, newLines: ['    sum += item.price * item.qty;\n'] }]);
    assert.strictEqual(snap.consumedOldLines, 3);
    diff.push('  }\n  return sum;\n');
    const later = diff.snapshot();
    // the next original line was skipped: it is removed, in the same hunk
    assert.deepStrictEqual(later.hunks, [
      { oldStart: 3, oldLines: ['    sum += item.price;\n'], newStart: 3, newLines: ['    sum += item.price * item.qty;\n'] },
    ]);
    assert.strictEqual(later.consumedOldLines, 6);
  });

  it('stops at the closing fence and ignores prose after it; finish() gives the proper diff', () => {
    const reply = '```js\n' + selection.replace('let sum', 'let total') + '```\n\nThis renames `sum`.\n```js\nconsole.log(1)\n```\n';
    const diff = new StreamingDiff(selection);
    stream(diff, reply, [3]);
    const snap = diff.snapshot();
    assert.strictEqual(snap.codeComplete, true);
    assert.strictEqual(snap.consumedOldLines, 7);
    assert.deepStrictEqual(snap.hunks, diffHunks(selection, selection.replace('let sum', 'let total')));
    assert.deepStrictEqual(diff.finish(), diffHunks(selection, selection.replace('let sum', 'let total')));
  });

  it('holds ambiguous lines (blank, braces) until a distinctive line places them', () => {
    const diff = new StreamingDiff('a();\n}\n\nb();\n');
    diff.push('```\na();\n\n');
    assert.deepStrictEqual(diff.snapshot().pendingNewLines, ['\n']);
    diff.push('}\nb();\n');
    const snap = diff.snapshot();
    assert.deepStrictEqual(snap.pendingNewLines, []);
    assert.strictEqual(placedText('a();\n}\n\nb();\n', snap.hunks, snap.consumedOldLines), 'a();\n\n}\nb();\n');
  });

  it('re-bases a dedented reply on the selection while streaming', () => {
    const sel = '    if (x) {\n        y();\n    }\n';
    const diff = new StreamingDiff(sel);
    diff.push('```\nif (x) {\n    y();\n    z();\n');
    const snap = diff.snapshot();
    assert.deepStrictEqual(snap.hunks, [{ oldStart: 2, oldLines: [], newStart: 2, newLines: ['        z();\n'] }]);
  });

  it('converts a spaces reply to the tabs of the selection while streaming', () => {
    const sel = 'func f() {\n\tif x {\n\t\ty()\n\t}\n}\n';
    const diff = new StreamingDiff(sel);
    diff.push('```go\nfunc f() {\n    if x {\n        y()\n        z()\n');
    assert.deepStrictEqual(diff.snapshot().hunks, [{ oldStart: 3, oldLines: [], newStart: 3, newLines: ['\t\tz()\n'] }]);
  });

  it('starts from nothing for an insertion (empty selection)', () => {
    const diff = new StreamingDiff('');
    diff.push('```\na();\nb();\n');
    assert.deepStrictEqual(diff.snapshot(), {
      hunks: [{ oldStart: 0, oldLines: [], newStart: 0, newLines: ['a();\n', 'b();\n'] }],
      consumedOldLines: 0,
      pendingNewLines: [],
      codeComplete: false,
    });
  });

  it('uses the selection line ending for streamed lines', () => {
    const diff = new StreamingDiff('a\r\nb\r\n');
    diff.push('```\r\na\r\nc\r\n');
    assert.deepStrictEqual(diff.snapshot().hunks, [{ oldStart: 1, oldLines: [], newStart: 1, newLines: ['c\r\n'] }]);
  });

  it('skips reasoning and prose before an unfenced reply', () => {
    const diff = new StreamingDiff('x = 1\n');
    diff.push('<think>\nmaybe x = 2\n</think>\nSure, here is the change:\nx = 2\n');
    assert.deepStrictEqual(diff.snapshot().hunks, [{ oldStart: 0, oldLines: [], newStart: 0, newLines: ['x = 2\n'] }]);
    assert.deepStrictEqual(diff.finishResult(), { extract: { ok: true, text: 'x = 2\n' }, hunks: [{ oldStart: 0, oldLines: ['x = 1\n'], newStart: 0, newLines: ['x = 2\n'] }] });
  });

  it('restarts when a fence opens after lines it took for code', () => {
    const diff = new StreamingDiff('x = 1\n');
    diff.push('updated x = 1 to two\n```python\nx = 2\n```\n');
    const snap = diff.snapshot();
    assert.deepStrictEqual(placedText('x = 1\n', snap.hunks, snap.consumedOldLines), 'x = 2\n');
  });

  it('finish() gives no hunks for a refused reply and says why', () => {
    const diff = new StreamingDiff(selection);
    diff.push('I cannot help with that request.');
    assert.deepStrictEqual(diff.finish(), []);
    const result = diff.finishResult().extract;
    assert.strictEqual(result.ok, false);
  });

  // One indent style (tabs vs spaces conversion is covered above).
  const lineArb = fc.constantFrom('a();', 'b();', '}', '', '  c();', 'if (x) {', '    if (y) {', 'return z;', 'const w = 1;');
  // Both start with the same line, so the provisional indentation plan is the identity.
  const textArb = fc.array(lineArb, { minLength: 1, maxLength: 25 }).map((ls) => ['start();', ...ls].join('\n') + '\n');

  it('any split of the deltas gives the same live diff as whole lines, and it is a true diff of what it covers', () => {
    fc.assert(
      fc.property(textArb, textArb, fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }), (original, proposal, sizes) => {
        const reply = 'Here you go:\n```ts\n' + proposal + '```\n';
        const whole = new StreamingDiff(original);
        const pieces = new StreamingDiff(original);
        let placedLines = 0;
        for (const line of splitLines(reply)) {
          whole.push(line);
          const snap = whole.snapshot();
          assert.ok(snap.consumedOldLines <= splitLines(original).length);
          const placed = placedText(original, snap.hunks, snap.consumedOldLines);
          assert.ok(splitLines(placed).length >= placedLines, 'placed lines never go back');
          placedLines = splitLines(placed).length;
          // placed + pending lines are a prefix of the proposal
          assert.ok(proposal.startsWith(placed + snap.pendingNewLines.join('')), `${JSON.stringify(placed)} + pending is not a prefix`);
        }
        stream(pieces, reply, sizes);
        assert.deepStrictEqual(pieces.snapshot(), whole.snapshot());
        const expected = extractRewrite(reply, { selection: original });
        assert.deepStrictEqual(pieces.finish(), expected.ok ? diffHunks(original, expected.text) : []);
      }),
      { numRuns: 300 },
    );
  });
});

describe('ReplyLineFilter', () => {
  it('passes code lines of the first fence only', () => {
    const filter = new ReplyLineFilter('x\n');
    const out = ['Intro:', '```ts', 'a', '  b', '```', 'outro', '```', 'c', '```'].map((l) => filter.line(l));
    assert.deepStrictEqual(out, [undefined, undefined, 'a', '  b', undefined, undefined, undefined, undefined, undefined]);
    assert.strictEqual(filter.codeComplete, true);
  });

  it('a code line that reads "restart" is code, not the restart signal', () => {
    const filter = new ReplyLineFilter('x\n');
    const out = ['```sh', 'restart', '```'].map((l) => filter.line(l));
    assert.deepStrictEqual(out, [undefined, 'restart', undefined]);
    const unfenced = new ReplyLineFilter('x\n');
    assert.deepStrictEqual(['const a = 1;', 'restart', '```ts'].map((l) => unfenced.line(l)), ['const a = 1;', 'restart', RESTART]);
  });
});
