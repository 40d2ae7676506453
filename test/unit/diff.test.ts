import * as assert from 'assert';
import fc from 'fast-check';
import { applyHunks, diffHunks, LineHunk } from '../../src/core/edit/diff';
import { detectEol, joinLines, normalizeEol, splitLines } from '../../src/core/edit/lines';

/** Texts made of few distinct lines (so diffs have common parts), mixed terminators, maybe no final newline. */
const lineContentArb = fc.constantFrom('', 'a', 'b', '\tindented', '  two spaces', 'x = 1;', '}', 'tail \t', '\r');
const textArb = fc
  .tuple(
    fc.array(fc.tuple(lineContentArb, fc.constantFrom('\n', '\r\n')), { maxLength: 14 }),
    fc.boolean(),
  )
  .map(([lines, dropFinal]) => {
    const text = lines.map(([c, t]) => c + t).join('');
    return dropFinal ? text.replace(/\r?\n$/, '') : text;
  });

describe('lines', () => {
  it('splits keeping terminators, "\\r\\n" as one', () => {
    assert.deepStrictEqual(splitLines('a\r\nb\nc'), ['a\r\n', 'b\n', 'c']);
    assert.deepStrictEqual(splitLines('a\n'), ['a\n']);
    assert.deepStrictEqual(splitLines(''), []);
    assert.deepStrictEqual(splitLines('\n\n'), ['\n', '\n']);
    assert.deepStrictEqual(splitLines('a\rb'), ['a\rb']);
  });
  it('joinLines(splitLines(t)) === t for any string', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', '\n', '\r', '\t', ' ', 'é') }), (t) => joinLines(splitLines(t)) === t));
  });
  it('detects the dominant line ending', () => {
    assert.strictEqual(detectEol('a\r\nb\r\nc\n'), '\r\n');
    assert.strictEqual(detectEol('a\nb'), '\n');
    assert.strictEqual(detectEol('no newline'), '\n');
    assert.strictEqual(normalizeEol('a\nb\r\nc', '\r\n'), 'a\r\nb\r\nc');
  });
});

describe('diffHunks', () => {
  it('finds a changed line between unchanged ones', () => {
    assert.deepStrictEqual(diffHunks('a\nb\nc\n', 'a\nB\nc\n'), [{ oldStart: 1, oldLines: ['b\n'], newStart: 1, newLines: ['B\n'] }]);
  });
  it('reports insertions and deletions with their positions', () => {
    assert.deepStrictEqual(diffHunks('a\nc\n', 'a\nb\nc\n'), [{ oldStart: 1, oldLines: [], newStart: 1, newLines: ['b\n'] }]);
    assert.deepStrictEqual(diffHunks('a\nb\nc\n', 'a\nc\n'), [{ oldStart: 1, oldLines: ['b\n'], newStart: 1, newLines: [] }]);
  });
  it('treats a missing final newline as a change of the last line', () => {
    assert.deepStrictEqual(diffHunks('a\nb', 'a\nb\n'), [{ oldStart: 1, oldLines: ['b'], newStart: 1, newLines: ['b\n'] }]);
  });
  it('treats a changed line ending as a change', () => {
    assert.deepStrictEqual(diffHunks('a\r\nb\r\n', 'a\r\nb\n'), [{ oldStart: 1, oldLines: ['b\r\n'], newStart: 1, newLines: ['b\n'] }]);
  });
  it('gives no hunks for identical texts and one hunk from or to empty', () => {
    assert.deepStrictEqual(diffHunks('a\nb', 'a\nb'), []);
    assert.deepStrictEqual(diffHunks('', 'x\n'), [{ oldStart: 0, oldLines: [], newStart: 0, newLines: ['x\n'] }]);
    assert.deepStrictEqual(diffHunks('x\n', ''), [{ oldStart: 0, oldLines: ['x\n'], newStart: 0, newLines: [] }]);
  });

  it('hunks are ordered, separated by unchanged lines, and their positions agree', () => {
    fc.assert(
      fc.property(textArb, textArb, (original, proposal) => {
        const oldLines = splitLines(original);
        const newLines = splitLines(proposal);
        const hunks = diffHunks(original, proposal);
        let oldCursor = 0;
        let newCursor = 0;
        for (const h of hunks) {
          assert.ok(h.oldLines.length + h.newLines.length > 0, 'empty hunk');
          assert.ok(h.oldStart >= oldCursor && (oldCursor === 0 || h.oldStart > oldCursor), 'hunks touch or overlap');
          // the lines between hunks are unchanged, in both texts
          assert.deepStrictEqual(oldLines.slice(oldCursor, h.oldStart), newLines.slice(newCursor, h.newStart));
          assert.deepStrictEqual(oldLines.slice(h.oldStart, h.oldStart + h.oldLines.length), h.oldLines);
          assert.deepStrictEqual(newLines.slice(h.newStart, h.newStart + h.newLines.length), h.newLines);
          oldCursor = h.oldStart + h.oldLines.length;
          newCursor = h.newStart + h.newLines.length;
        }
        assert.deepStrictEqual(oldLines.slice(oldCursor), newLines.slice(newCursor));
      }),
      { numRuns: 500 },
    );
  });

  it('applying all hunks gives the proposal and none gives the original, byte for byte', () => {
    fc.assert(
      fc.property(textArb, textArb, (original, proposal) => {
        const hunks = diffHunks(original, proposal);
        assert.strictEqual(applyHunks(original, hunks, () => true), proposal);
        assert.strictEqual(applyHunks(original, hunks, () => false), original);
      }),
      { numRuns: 1000 },
    );
  });

  it('any subset of hunks gives a well-formed merge (no lines glued together, the right lines kept)', () => {
    fc.assert(
      fc.property(textArb, textArb, fc.infiniteStream(fc.boolean()), (original, proposal, choices) => {
        const hunks = diffHunks(original, proposal);
        const accepted = [...choices.take(hunks.length)];
        const merged = applyHunks(original, hunks, (i) => accepted[i]);
        const lines = splitLines(merged);
        lines.slice(0, -1).forEach((l) => assert.ok(l.endsWith('\n'), `line without terminator inside: ${JSON.stringify(merged)}`));
        // The merge is the original with exactly the accepted hunks' lines swapped in.
        const delta = hunks.reduce((n, h, i) => n + (accepted[i] ? h.newLines.length - h.oldLines.length : 0), 0);
        assert.strictEqual(lines.length, splitLines(original).length + delta);
        const expected: string[] = [];
        let cursor = 0;
        const oldLines = splitLines(original);
        hunks.forEach((h: LineHunk, i) => {
          expected.push(...oldLines.slice(cursor, h.oldStart), ...(accepted[i] ? h.newLines : h.oldLines));
          cursor = h.oldStart + h.oldLines.length;
        });
        expected.push(...oldLines.slice(cursor));
        assert.deepStrictEqual(lines, splitLines(expected.join('')));
        // Accepting the rest afterwards reaches the proposal: re-diff the merge and accept everything.
        assert.strictEqual(applyHunks(merged, diffHunks(merged, proposal), () => true), proposal);
      }),
      { numRuns: 1000 },
    );
  });

  it('diffs a large selection with scattered changes into small hunks', () => {
    const original = Array.from({ length: 5000 }, (_, i) => `line ${i}\n`).join('');
    const proposal = original.replace('line 100\n', 'changed 100\n').replace('line 4000\n', '');
    assert.deepStrictEqual(diffHunks(original, proposal), [
      { oldStart: 100, oldLines: ['line 100\n'], newStart: 100, newLines: ['changed 100\n'] },
      { oldStart: 4000, oldLines: ['line 4000\n'], newStart: 4000, newLines: [] },
    ]);
  });

  it('rejects hunks that do not belong to the original', () => {
    assert.throws(() => applyHunks('a\n', [{ oldStart: 3, oldLines: ['x\n'], newStart: 0, newLines: [] }], () => true), RangeError);
  });
});
