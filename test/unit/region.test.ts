import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { enclosingSymbol, insertionProposal, regionOf, replacementProposal, streamSegments } from '../../src/core/edit/region';
import { renderText, type Review } from '../../src/core/edit/review';
import { StreamingDiff } from '../../src/core/edit/streamingDiff';

describe('edit region helpers', () => {
  it('regionOf: whole lines; a selection ending at column 0 stops at the line before; clamped to the document', () => {
    assert.deepEqual(regionOf({ start: { line: 2, character: 3 }, end: { line: 4, character: 1 } }, 10), { startLine: 2, endLine: 4 });
    assert.deepEqual(regionOf({ start: { line: 2, character: 0 }, end: { line: 4, character: 0 } }, 10), { startLine: 2, endLine: 3 });
    assert.deepEqual(regionOf({ start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, 10), { startLine: 2, endLine: 2 });
    assert.deepEqual(regionOf({ start: { line: 2, character: 0 }, end: { line: 40, character: 5 } }, 10), { startLine: 2, endLine: 9 });
  });

  it('streamSegments: the live diff of a reply so far renders provisional hunks before the unreached lines', () => {
    const original = 'a\nb\nc\nd\n';
    const sd = new StreamingDiff(original, { languageId: 'ts', eol: '\n', before: '', after: '' });
    sd.push('```ts\na\nB\n');
    const segments = streamSegments(sd.snapshot(), ['a', 'b', 'c', 'd']);
    const review: Review = { startLine: 0, eol: '\n', finalEol: true, segments, collapsed: false };
    assert.equal(renderText(review), 'a\nB\nb\nc\nd\n');
    assert.ok(segments.some((s) => s.kind === 'same' && s.unreached));
    // The line being written shows as a provisional insertion before the first unreached line.
    sd.push('x');
    const more = streamSegments(sd.snapshot(), ['a', 'b', 'c', 'd']);
    assert.equal(renderText({ ...review, segments: more }), 'a\nB\nx\nb\nc\nd\n');
  });

  it('streamSegments: held lines right after a hunk join it', () => {
    const snap = { hunks: [{ oldStart: 1, oldLines: ['b\n'], newStart: 1, newLines: ['B\n'] }], consumedOldLines: 2, pendingNewLines: ['}\n', 'wri'], codeComplete: false };
    const segments = streamSegments(snap, ['a', 'b', 'c']);
    const hunk = segments.find((s) => s.kind === 'hunk');
    assert.ok(hunk && hunk.kind === 'hunk');
    assert.deepEqual(hunk.newLines, ['B', '}', 'wri']);
    const apart = streamSegments({ ...snap, consumedOldLines: 3 }, ['a', 'b', 'c']);
    assert.equal(apart.filter((s) => s.kind === 'hunk').length, 2);
  });

  it('insertionProposal: on a blank line the code replaces it; at a line end it goes below after an empty line; else above', () => {
    assert.equal(insertionProposal(['x', '', 'y'], 10, { line: 11, character: 0 }, 'T1\nT2\n', '\n', true), 'x\nT1\nT2\ny\n');
    assert.equal(insertionProposal(['x', 'y'], 0, { line: 0, character: 1 }, 'T', '\r\n', true), 'x\r\n\r\nT\r\ny\r\n');
    assert.equal(insertionProposal(['x', 'y'], 0, { line: 1, character: 0 }, 'T', '\n', false), 'x\nT\ny');
    // The empty last line of a file is its final newline: one stays after the code.
    assert.equal(insertionProposal(['x', ''], 0, { line: 1, character: 0 }, 'T', '\n', false), 'x\nT\n');
    assert.equal(insertionProposal(['x', ''], 0, { line: 1, character: 0 }, 'T', '\n', true), 'x\nT\n');
  });

  it('replacementProposal: head and tail kept, the replacement in the document’s line endings', () => {
    assert.equal(replacementProposal('  ', 'a\nb', ';', '\r\n', true), '  a\r\nb;\r\n');
    assert.equal(replacementProposal('', 'a\r\nb', '', '\n', false), 'a\nb');
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (h, r, t) => {
        const out = replacementProposal(h, r, t, '\n', false);
        assert.ok(out.startsWith(h) && out.endsWith(t));
      }),
    );
  });

  it('enclosingSymbol: the innermost wanted symbol spanning several lines', () => {
    const span = (a: number, b: number) => ({ start: { line: a, character: 0 }, end: { line: b, character: 1 } });
    const symbols = [
      { kind: 4, range: span(0, 20), children: [{ kind: 5, range: span(2, 6), children: [{ kind: 12, range: span(3, 3) }] }, { kind: 7, range: span(8, 9) }] },
    ];
    const wanted = new Set([4, 5]);
    assert.deepEqual(enclosingSymbol(symbols, { line: 3, character: 2 }, wanted), span(2, 6));
    assert.deepEqual(enclosingSymbol(symbols, { line: 8, character: 0 }, wanted), span(0, 20));
    assert.equal(enclosingSymbol(symbols, { line: 30, character: 0 }, wanted), undefined);
    // A one-line symbol does not count.
    assert.equal(enclosingSymbol([{ kind: 4, range: span(3, 3) }], { line: 3, character: 0 }, wanted), undefined);
    // The end position is inside; one past it is not.
    assert.deepEqual(enclosingSymbol(symbols, { line: 6, character: 1 }, wanted), span(2, 6));
    assert.deepEqual(enclosingSymbol(symbols, { line: 6, character: 2 }, wanted), span(0, 20));
  });
});
