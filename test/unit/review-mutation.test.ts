/**
 * Tests that pin what the mutation run of src/core/edit/review.ts showed the other tests let through:
 * the edges of minimal edits, edits that reach below the region, and what an edit leaves of a stream.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyUserChange, createReview, isStreaming, minimalEdit, render, renderText, segmentsFromHunks, type Review } from '../../src/core/edit/review';

function inside(text: string, at: number): boolean {
  return at > 0 && at < text.length && text.charCodeAt(at - 1) === 13 && text.charCodeAt(at) === 10;
}

describe('review: what the mutation run asked for', () => {
  it('a minimal edit never starts or ends between a CR and its LF, whatever lone CRs the texts hold', () => {
    const textArb = fc.array(fc.constantFrom('a', 'b', '\r', '\n', '\r\n'), { maxLength: 8 }).map((p) => p.join(''));
    fc.assert(
      fc.property(textArb, textArb, (from, to) => {
        const edit = minimalEdit(from, to);
        if (from === to) {
          assert.equal(edit, undefined);
          return;
        }
        assert.ok(edit);
        assert.equal(from.slice(0, edit.offset) + edit.text + from.slice(edit.offset + edit.length), to);
        assert.ok(!inside(from, edit.offset), `starts inside a CRLF: ${JSON.stringify({ from, to, edit })}`);
        assert.ok(!inside(from, edit.offset + edit.length), `ends inside a CRLF: ${JSON.stringify({ from, to, edit })}`);
      }),
    );
    // A line that ends in a lone CR, in a CRLF document: the edit goes before the pair, not into it.
    assert.deepEqual(minimalEdit('a\r\n', 'a\r\r\n'), { offset: 1, length: 0, text: '\r' });
  });

  it('characters above the surrogate range are whole characters: the edit stays minimal next to them', () => {
    // U+FFFD (replacement character) and U+FF0C (fullwidth comma) are single UTF-16 units.
    assert.deepEqual(minimalEdit('a\uFFFD', 'b\uFFFD'), { offset: 0, length: 1, text: 'b' });
    assert.deepEqual(minimalEdit('x\uFF0C', 'y\uFF0C'), { offset: 0, length: 1, text: 'y' });
    assert.deepEqual(minimalEdit('\uE000a', '\uE000b'), { offset: 1, length: 1, text: 'b' });
  });

  it('an edit that reaches past the start of the line after the region ends the review, like one that reaches above it', () => {
    // Document: top, then the region a, b (old), B (new) from line 1, then end, more.
    const r = createReview({ startLine: 1, originalText: 'a\nb\n', proposalText: 'a\nB\n', eol: '\n', finalEol: true });
    assert.equal(render(r).lines.length, 3);
    // Up to the start of the line after the region, replaced by whole lines: inside.
    const whole = applyUserChange(r, { startLine: 2, startCharacter: 0, endLine: 4, endCharacter: 0, text: 'Z\n' });
    assert.equal(whole.kind, 'inside');
    assert.equal(whole.kind === 'inside' && renderText(whole.review), 'a\nZ\n');
    // Into the line after the region, or beyond it: the region as a whole was rewritten.
    assert.equal(applyUserChange(r, { startLine: 2, startCharacter: 0, endLine: 4, endCharacter: 2, text: 'Z\n' }).kind, 'ended');
    assert.equal(applyUserChange(r, { startLine: 2, startCharacter: 0, endLine: 5, endCharacter: 0, text: 'Z\n' }).kind, 'ended');
    assert.equal(applyUserChange(r, { startLine: 3, startCharacter: 0, endLine: 5, endCharacter: 0, text: '' }).kind, 'ended');
    // A region that ends the document has no line after it.
    const last = createReview({ startLine: 1, originalText: 'a\nb', proposalText: 'a\nB', eol: '\n', finalEol: false });
    assert.equal(applyUserChange(last, { startLine: 2, startCharacter: 0, endLine: 4, endCharacter: 0, text: 'Z\n' }).kind, 'ended');
  });

  it('replacing the line above the region with text that has no line break joins it to the region: the review ends', () => {
    const r = createReview({ startLine: 2, originalText: 'a\nb\n', proposalText: 'a\nB\n', eol: '\n', finalEol: true });
    // From the start of the line above to the region's first character: "q" joins the first line ("qa").
    assert.equal(applyUserChange(r, { startLine: 1, startCharacter: 0, endLine: 2, endCharacter: 0, text: 'q' }).kind, 'ended');
    // The same with a whole line, or nothing, keeps the region's first line whole: it moves (or stays).
    const line = applyUserChange(r, { startLine: 1, startCharacter: 0, endLine: 2, endCharacter: 0, text: 'q\n' });
    assert.deepEqual(line, { kind: 'outside', review: r });
    const gone = applyUserChange(r, { startLine: 1, startCharacter: 0, endLine: 2, endCharacter: 0, text: '' });
    assert.deepEqual(gone, { kind: 'outside', review: { ...r, startLine: 1 } });
  });

  it('an edit spanning plain lines and a hunk while the model writes keeps the reached lines reached', () => {
    const original = ['p', 'q', 'a', 'c', 'd'];
    const review: Review = {
      startLine: 0,
      eol: '\n',
      finalEol: true,
      segments: segmentsFromHunks(original, [{ oldStart: 2, oldLines: ['a'], newStart: 2, newLines: ['A'] }], { reachedOldLines: 3 }),
      collapsed: false,
    };
    assert.deepEqual(render(review).lines, ['p', 'q', 'a', 'A', 'c', 'd']);
    // From the middle of "q" to the middle of "a" (plain, then the hunk's original line).
    const out = applyUserChange(review, { startLine: 1, startCharacter: 1, endLine: 2, endCharacter: 1, text: 'X' });
    assert.equal(out.kind, 'inside');
    if (out.kind !== 'inside') return;
    assert.deepEqual(render(out.review).lines, ['p', 'qX', 'A', 'c', 'd']);
    const unreached = out.review.segments.filter((s) => s.kind === 'same' && s.unreached).flatMap((s) => (s.kind === 'same' ? s.lines : []));
    assert.deepEqual(unreached, ['c', 'd']);
    // Without the unreached tail, nothing is left streaming.
    const reached = applyUserChange({ ...review, segments: segmentsFromHunks(original, [{ oldStart: 2, oldLines: ['a'], newStart: 2, newLines: ['A'] }]) }, {
      startLine: 1,
      startCharacter: 1,
      endLine: 2,
      endCharacter: 1,
      text: 'X',
    });
    assert.equal(reached.kind === 'inside' && isStreaming(reached.review), false);
  });

  it('deleting every line the model has not reached yet leaves no streaming part behind', () => {
    const original = ['a', 'b', 'c', 'd'];
    const review: Review = {
      startLine: 0,
      eol: '\n',
      finalEol: true,
      segments: segmentsFromHunks(original, [{ oldStart: 1, oldLines: ['b'], newStart: 1, newLines: ['B'] }], { reachedOldLines: 2 }),
      collapsed: false,
    };
    assert.deepEqual(render(review).lines, ['a', 'b', 'B', 'c', 'd']);
    assert.equal(isStreaming(review), true);
    const out = applyUserChange(review, { startLine: 3, startCharacter: 0, endLine: 5, endCharacter: 0, text: '' });
    assert.equal(out.kind, 'inside');
    if (out.kind !== 'inside') return;
    assert.deepEqual(render(out.review).lines, ['a', 'b', 'B']);
    assert.equal(isStreaming(out.review), false);
    assert.ok(out.review.segments.every((s) => s.kind === 'hunk' || s.lines.length > 0), 'an empty plain run left behind');
  });
});
