/**
 * The line diff over every pair of small texts: what the mutation run of src/core/edit/diff.ts showed the
 * random properties of diff.test.ts reach too rarely (repeated lines where the common head and tail meet).
 */
import * as assert from 'node:assert/strict';
import { applyHunks, diffHunks, diffLineArrays, type LineHunk } from '../../src/core/edit/diff';
import { detectEol, splitLines } from '../../src/core/edit/lines';

/** Every text of up to four lines over a, b (LF) and c (CRLF): 121 texts, 14,641 pairs. */
function allTexts(): string[] {
  const alphabet = ['a\n', 'b\n', 'c\r\n'];
  let level = [''];
  const out = [''];
  for (let n = 1; n <= 4; n++) {
    level = level.flatMap((t) => alphabet.map((l) => t + l));
    out.push(...level);
  }
  return out;
}

/** Length of a longest common subsequence of lines. */
function lcs(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = a[i - 1] === b[j - 1] ? diag + 1 : Math.max(row[j], row[j - 1]);
      diag = up;
    }
  }
  return row[b.length];
}

function checkPair(original: string, proposal: string, hunks: LineHunk[]): void {
  const oldLines = splitLines(original);
  const newLines = splitLines(proposal);
  const at = JSON.stringify({ original, proposal, hunks });
  assert.equal(applyHunks(original, hunks, () => true), proposal, `all accepted: ${at}`);
  assert.equal(applyHunks(original, hunks, () => false), original, `none accepted: ${at}`);
  let oldEnd = -1;
  let delta = 0;
  let changed = 0;
  for (const h of hunks) {
    assert.ok(h.oldLines.length + h.newLines.length > 0, `an empty hunk: ${at}`);
    assert.ok(h.oldStart > oldEnd, `hunks not separated by an unchanged line: ${at}`);
    assert.equal(h.newStart, h.oldStart + delta, `positions disagree: ${at}`);
    assert.deepEqual(h.oldLines, oldLines.slice(h.oldStart, h.oldStart + h.oldLines.length), at);
    assert.deepEqual(h.newLines, newLines.slice(h.newStart, h.newStart + h.newLines.length), at);
    oldEnd = h.oldStart + h.oldLines.length;
    delta += h.newLines.length - h.oldLines.length;
    changed += h.oldLines.length + h.newLines.length;
  }
  // As few changed lines as any diff can have.
  assert.equal(changed, oldLines.length + newLines.length - 2 * lcs(oldLines, newLines), `not minimal: ${at}`);
}

describe('diff: every pair of small texts', () => {
  it('hunks are exact, ordered, separated, minimal, and give back both texts', () => {
    const texts = allTexts();
    assert.equal(texts.length, 121);
    for (const original of texts) for (const proposal of texts) checkPair(original, proposal, diffHunks(original, proposal));
  });

  it('a repeated line where the common head and tail meet is still inserted or removed', () => {
    assert.deepEqual(diffLineArrays(['a\n'], ['a\n', 'a\n']), [{ oldStart: 1, oldLines: [], newStart: 1, newLines: ['a\n'] }]);
    assert.deepEqual(diffLineArrays(['a\n', 'a\n'], ['a\n']), [{ oldStart: 1, oldLines: ['a\n'], newStart: 1, newLines: [] }]);
    assert.deepEqual(diffLineArrays(['a\n', 'b\n', 'a\n'], ['a\n', 'b\n', 'b\n', 'a\n']), [{ oldStart: 2, oldLines: [], newStart: 2, newLines: ['b\n'] }]);
  });

  it('applyHunks refuses hunks that overlap or reach past the original, naming the hunk', () => {
    const overlapping: LineHunk[] = [
      { oldStart: 0, oldLines: ['a\n', 'b\n'], newStart: 0, newLines: ['A\n'] },
      { oldStart: 1, oldLines: ['b\n'], newStart: 1, newLines: [] },
    ];
    assert.throws(() => applyHunks('a\nb\nc\n', overlapping, () => true), (e: unknown) => e instanceof RangeError && /^Hunk 1 does not fit the original \(oldStart 1\)\.$/.test(e.message));
    // Starts inside the original, ends past it.
    assert.throws(() => applyHunks('a\nb\n', [{ oldStart: 1, oldLines: ['b\n', 'c\n'], newStart: 1, newLines: [] }], () => true), RangeError);
    // Ends exactly at the end: fine.
    assert.equal(applyHunks('a\nb\n', [{ oldStart: 1, oldLines: ['b\n'], newStart: 1, newLines: ['B\n'] }], () => true), 'a\nB\n');
  });
});

describe('lines: the dominant line ending', () => {
  it('counts every line ending, also when the text starts with one', () => {
    assert.equal(detectEol('\na\r\nb\r\n'), '\r\n');
    assert.equal(detectEol('\n\na\r\n'), '\n');
    assert.equal(detectEol('\r\n'), '\r\n');
  });
});
