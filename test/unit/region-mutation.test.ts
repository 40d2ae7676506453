/**
 * Edit Selection's plain-data helpers: what the mutation run of src/core/edit/region.ts showed the other
 * tests (region.test.ts) leave open.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { enclosingSymbol, insertionProposal, streamSegments } from '../../src/core/edit/region';
import { pendingCount, renderText, type Review } from '../../src/core/edit/review';
import { StreamingDiff } from '../../src/core/edit/streamingDiff';

const span = (a: number, ac: number, b: number, bc: number) => ({ start: { line: a, character: ac }, end: { line: b, character: bc } });

describe('edit region helpers: what the mutation run asked for', () => {
  it('streamSegments: nothing held means no provisional hunk; held lines away from a hunk are an insertion before the unreached lines', () => {
    const original = ['a', 'b', 'c'];
    const hunk = { oldStart: 0, oldLines: ['a\n'], newStart: 0, newLines: ['A\n'] };
    const none = streamSegments({ hunks: [hunk], consumedOldLines: 2, pendingNewLines: [], codeComplete: false }, original);
    assert.deepEqual(
      none.filter((s) => s.kind === 'hunk').map((s) => s.kind === 'hunk' && [s.oldLines, s.newLines]),
      [[['a'], ['A']]],
    );
    const held = streamSegments({ hunks: [], consumedOldLines: 1, pendingNewLines: ['x\n', 'wri'], codeComplete: false }, original);
    const review: Review = { startLine: 0, eol: '\n', finalEol: true, segments: held, collapsed: false };
    assert.equal(pendingCount(review), 1);
    assert.equal(renderText(review), 'a\nx\nwri\nb\nc\n');
    const inserted = held.find((s) => s.kind === 'hunk');
    assert.ok(inserted && inserted.kind === 'hunk');
    assert.deepEqual(inserted.oldLines, []);
    // Rejecting it leaves the original lines.
    assert.equal(renderText({ ...review, segments: held.map((s) => (s.kind === 'hunk' ? { ...s, state: 'rejected' as const } : s)) }), 'a\nb\nc\n');
  });

  it('streamSegments: whatever has arrived, rejecting every provisional hunk shows the original lines', () => {
    const lineArb = fc.constantFrom('a', 'b', 'c', 'x', '');
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 6 }), fc.array(lineArb, { maxLength: 6 }), fc.nat(), (orig, prop, cut) => {
        const originalText = orig.map((l) => l + '\n').join('');
        const reply = '```ts\n' + prop.map((l) => l + '\n').join('') + '```\n';
        const sd = new StreamingDiff(originalText, { languageId: 'ts', eol: '\n', before: '', after: '' });
        sd.push(reply.slice(0, cut % (reply.length + 1)));
        const segments = streamSegments(sd.snapshot(), orig);
        const review: Review = { startLine: 0, eol: '\n', finalEol: true, segments, collapsed: false };
        const rejected = { ...review, segments: segments.map((s) => (s.kind === 'hunk' ? { ...s, state: 'rejected' as const } : s)) };
        assert.equal(renderText(rejected), originalText);
        // Every provisional hunk shows something: no empty hunk to accept or reject.
        for (const s of segments) if (s.kind === 'hunk') assert.ok(s.oldLines.length + s.newLines.length > 0);
      }),
    );
  });

  it('insertionProposal: blank lines inside the code are kept; only a final empty line is dropped', () => {
    assert.equal(insertionProposal(['x', 'y'], 0, { line: 1, character: 0 }, 'T1\n\nT2\n', '\n', true), 'x\nT1\n\nT2\ny\n');
    assert.equal(insertionProposal(['x', 'y'], 0, { line: 1, character: 0 }, 'T1\n\n', '\n', true), 'x\nT1\n\ny\n');
  });

  it('insertionProposal: a line of spaces counts as blank and is replaced; only an empty last line is the final newline', () => {
    assert.equal(insertionProposal(['x', '  ', 'y'], 0, { line: 1, character: 2 }, 'T', '\n', true), 'x\nT\ny\n');
    // The last line of spaces is not the file's final newline: nothing is added after the code.
    assert.equal(insertionProposal(['x', '  '], 0, { line: 1, character: 2 }, 'T', '\n', false), 'x\nT');
    // A blank line in the middle of a region that ends the file: no empty line is added at the end.
    assert.equal(insertionProposal(['x', '', 'y'], 0, { line: 1, character: 0 }, 'T', '\n', false), 'x\nT\ny');
  });

  it('insertionProposal: at the end of a line in the middle of the region, the code goes right below it after an empty line', () => {
    assert.equal(insertionProposal(['a', 'b', 'c'], 5, { line: 6, character: 1 }, 'T', '\n', true), 'a\nb\n\nT\nc\n');
    assert.equal(insertionProposal(['a', 'b', 'c'], 5, { line: 5, character: 3 }, 'T', '\n', true), 'a\n\nT\nb\nc\n');
  });

  it('enclosingSymbol: a later symbol around the position replaces the one found only when it lies inside it', () => {
    const wanted = new Set([4]);
    const at = { line: 5, character: 0 };
    const small = { kind: 4, range: span(4, 0, 6, 0) };
    // A later, larger sibling around the position: the innermost (the first) stays.
    assert.deepEqual(enclosingSymbol([small, { kind: 4, range: span(0, 0, 10, 0) }], at, wanted), small.range);
    // A later sibling that overlaps the first only in part: the first stays.
    assert.deepEqual(enclosingSymbol([small, { kind: 4, range: span(5, 0, 12, 0) }], at, wanted), small.range);
    // A later one inside the first: it is the innermost.
    assert.deepEqual(enclosingSymbol([small, { kind: 4, range: span(4, 2, 5, 3) }], at, wanted), span(4, 2, 5, 3));
  });
});
