import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  applyUserChange,
  createReview,
  joinRegion,
  isStreaming,
  minimalEdit,
  nextHunk,
  pendingCount,
  proposalLines,
  render,
  renderText,
  settleAll,
  settleHunk,
  segmentsFromHunks,
  withoutUnreached,
  type Eol,
  type LineChange,
  type Review,
} from '../../src/core/edit/review';

const lineArb = fc.oneof(
  fc.constantFrom('', 'a', 'b', '\tindented', '  two spaces', 'x = 1;', '}', '{', 'return y'),
  fc.string({ maxLength: 6 }).map((s) => s.replace(/[\r\n]/g, '')),
);
const linesArb = fc.array(lineArb, { maxLength: 12 });
const eolArb = fc.constantFrom<Eol>('\n', '\r\n');

function regionText(lines: string[], eol: Eol, finalEol: boolean): string {
  return joinRegion(lines, eol, finalEol);
}

/** The expected merge: the original with the chosen hunks' proposed lines. */
function expectedMerge(review: Review, accepted: Set<number>): string {
  const lines: string[] = [];
  for (const s of review.segments) {
    if (s.kind === 'same') lines.push(...s.lines);
    else lines.push(...(accepted.has(s.id) ? s.newLines : s.oldLines));
  }
  return joinRegion(lines, review.eol, review.finalEol);
}

describe('review: hunk algebra', () => {
  it('rejecting every hunk restores the original region byte for byte', () => {
    fc.assert(
      fc.property(linesArb, linesArb, eolArb, fc.boolean(), (orig, prop, eol, finalEol) => {
        const originalText = regionText(orig, eol, finalEol);
        const proposalText = regionText(prop, eol, finalEol);
        const review = createReview({ startLine: 3, originalText, proposalText, eol, finalEol });
        assert.equal(renderText(settleAll(review, 'rejected')), originalText);
      }),
    );
  });

  it('accepting every hunk yields exactly the proposal', () => {
    fc.assert(
      fc.property(linesArb, linesArb, eolArb, fc.boolean(), (orig, prop, eol, finalEol) => {
        const originalText = regionText(orig, eol, finalEol);
        const proposalText = regionText(prop, eol, finalEol);
        const review = createReview({ startLine: 0, originalText, proposalText, eol, finalEol });
        assert.equal(renderText(settleAll(review, 'accepted')), proposalText);
      }),
    );
  });

  it('accepting any subset of hunks (in any order) yields the matching merge', () => {
    fc.assert(
      fc.property(linesArb, linesArb, eolArb, fc.boolean(), fc.array(fc.boolean(), { maxLength: 20 }), fc.integer(), (orig, prop, eol, finalEol, picks, seed) => {
        const review = createReview({
          startLine: 0,
          originalText: regionText(orig, eol, finalEol),
          proposalText: regionText(prop, eol, finalEol),
          eol,
          finalEol,
        });
        const ids = review.segments.flatMap((s) => (s.kind === 'hunk' ? [s.id] : []));
        const accepted = new Set(ids.filter((_, i) => picks[i]));
        // Settle in a shuffled order: the result must not depend on it.
        const order = [...ids].sort((x, y) => ((x * 7919 + seed) % 13) - ((y * 7919 + seed) % 13));
        let r = review;
        for (const id of order) r = settleHunk(r, id, accepted.has(id) ? 'accepted' : 'rejected');
        assert.equal(pendingCount(r), 0);
        assert.equal(renderText(r), expectedMerge(review, accepted));
      }),
    );
  });

  it('shows pending hunks as original lines followed by proposed lines', () => {
    const review = createReview({ startLine: 10, originalText: 'a\nb\nc\n', proposalText: 'a\nB\nc\n', eol: '\n', finalEol: true });
    const r = render(review);
    assert.deepEqual(r.lines, ['a', 'b', 'B', 'c']);
    assert.deepEqual(r.hunks, [{ id: 0, state: 'pending', oldStart: 1, oldEnd: 2, newStart: 2, newEnd: 3 }]);
    assert.deepEqual(r.owners.map((o) => o.part), ['same', 'old', 'new', 'same']);
  });

  it('collapsing for a save shows only the original lines of pending hunks', () => {
    const review = createReview({ startLine: 0, originalText: 'a\r\nb\r\n', proposalText: 'a\r\nc\r\nd\r\n', eol: '\r\n', finalEol: true });
    const accepted = settleHunk(review, 0, 'accepted');
    assert.equal(renderText({ ...review, collapsed: true }), 'a\r\nb\r\n');
    assert.equal(renderText({ ...accepted, collapsed: true }), 'a\r\nc\r\nd\r\n');
  });

  it('handles a region at the end of a file without a final newline', () => {
    const review = createReview({ startLine: 0, originalText: 'x\ny', proposalText: 'x\nz', eol: '\n', finalEol: false });
    assert.equal(renderText(review), 'x\ny\nz');
    assert.equal(renderText(settleAll(review, 'accepted')), 'x\nz');
    assert.equal(renderText(settleAll(review, 'rejected')), 'x\ny');
  });

  it('a proposal that deletes the whole region renders as nothing once accepted', () => {
    const review = createReview({ startLine: 0, originalText: 'gone\n', proposalText: '', eol: '\n', finalEol: true });
    assert.equal(renderText(settleAll(review, 'accepted')), '');
  });

  it('a review caught mid-stream keeps its text when the unreached lines are made plain', () => {
    const original = ['a', 'b', 'c'];
    const streaming: Review = {
      startLine: 0,
      eol: '\n',
      finalEol: true,
      segments: segmentsFromHunks(original, [{ oldStart: 0, oldLines: ['a'], newStart: 0, newLines: ['A'] }], { reachedOldLines: 1 }),
      collapsed: false,
    };
    assert.deepEqual(render(streaming).owners.map((o) => o.part), ['old', 'new', 'unreached', 'unreached']);
    const plain = withoutUnreached(streaming);
    assert.equal(renderText(plain), renderText(streaming));
    assert.deepEqual(render(plain).owners.map((o) => o.part), ['old', 'new', 'same', 'same']);
    assert.equal(pendingCount(plain), 1);
  });

  it('proposalLines makes a proposal fit the region final-newline rule', () => {
    assert.deepEqual(proposalLines('a\nb\n', true), ['a', 'b']);
    assert.deepEqual(proposalLines('a\nb', true), ['a', 'b']);
    assert.deepEqual(proposalLines('', true), []);
    assert.deepEqual(proposalLines('a\r\nb', false), ['a', 'b']);
    assert.deepEqual(proposalLines('a\n', false), ['a', '']);
  });
});

describe('review: minimal edit', () => {
  it('turns one text into the other and never splits a CRLF pair', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (x, y) => {
        const from = x.replace(/\n/g, '\r\n');
        const to = y.replace(/\n/g, '\r\n');
        const edit = minimalEdit(from, to);
        if (!edit) {
          assert.equal(from, to);
          return;
        }
        const result = from.slice(0, edit.offset) + edit.text + from.slice(edit.offset + edit.length);
        assert.equal(result, to);
        // Neither end of the replaced range falls between \r and \n.
        for (const at of [edit.offset, edit.offset + edit.length]) {
          assert.ok(!(from[at - 1] === '\r' && from[at] === '\n'), `split CRLF at ${at}`);
        }
      }),
    );
  });
});

describe('review: minimal edit over astral characters, combining marks and CRLF', () => {
  const pieceArb = fc.constantFrom('a', 'b', '😀', '🚀', '😁', 'e\u0301', '\u0301', '\r\n', '\n', ' ', 'é');
  const textArb = fc.array(pieceArb, { maxLength: 12 }).map((p) => p.join(''));
  const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
  const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

  it('turns one text into the other with both ends of the range on character boundaries', () => {
    fc.assert(
      fc.property(textArb, textArb, (from, to) => {
        const edit = minimalEdit(from, to);
        if (!edit) {
          assert.equal(from, to);
          return;
        }
        assert.equal(from.slice(0, edit.offset) + edit.text + from.slice(edit.offset + edit.length), to);
        for (const at of [edit.offset, edit.offset + edit.length]) {
          assert.ok(!(isHigh(from.charCodeAt(at - 1)) && isLow(from.charCodeAt(at))), `split surrogate pair at ${at} of ${JSON.stringify(from)}`);
          assert.ok(!(from[at - 1] === '\r' && from[at] === '\n'), `split CRLF at ${at}`);
        }
        // The inserted text is whole characters too.
        assert.ok(!isLow(edit.text.charCodeAt(0)) && !isHigh(edit.text.charCodeAt(edit.text.length - 1)), 'inserted text starts or ends inside a pair');
      }),
      { numRuns: 500 },
    );
  });

  it('the issue’s case: 😀 to 🚀 replaces the whole character', () => {
    assert.deepEqual(minimalEdit('😀', '🚀'), { offset: 0, length: 2, text: '🚀' });
    assert.deepEqual(minimalEdit('x😀y', 'x😁y'), { offset: 1, length: 2, text: '😁' });
    // Same high surrogate, different low one; and the reverse case at the tail.
    assert.deepEqual(minimalEdit('😀\n', '😁\n'), { offset: 0, length: 2, text: '😁' });
    assert.deepEqual(minimalEdit('a\r\n', 'b\r\n'), { offset: 0, length: 1, text: 'b' });
    assert.deepEqual(minimalEdit('a\r\n', 'a\n'), { offset: 1, length: 2, text: '\n' });
    assert.deepEqual(minimalEdit('ab', 'ab'), undefined);
  });
});

/** A document as lines, with the review's region rendered into it. */
function documentWith(review: Review, above: string[], below: string[]): string[] {
  return [...above, ...render(review).lines, ...below];
}

function applyChangeToLines(lines: string[], change: LineChange): string[] {
  const head = lines.slice(0, change.startLine);
  const tail = lines.slice(change.endLine + 1);
  const joined = lines[change.startLine].slice(0, change.startCharacter) + change.text + lines[change.endLine].slice(change.endCharacter);
  return [...head, ...joined.split('\n'), ...tail];
}

describe('review: edits the user makes during a review', () => {
  const changeArb = (doc: string[]) =>
    fc
      .tuple(fc.nat(doc.length - 1), fc.nat(doc.length - 1), fc.nat(8), fc.nat(8), fc.constantFrom('', 'q', '\n', 'q\n', 'zz\nw', '\n\n'))
      .map(([l1, l2, c1, c2, text]) => {
        const [sl, el] = l1 <= l2 ? [l1, l2] : [l2, l1];
        const sc = Math.min(c1, doc[sl].length);
        let ec = Math.min(c2, doc[el].length);
        if (sl === el && ec < sc) ec = sc;
        return { startLine: sl, startCharacter: sc, endLine: el, endCharacter: ec, text };
      });

  it('keeps the review a faithful model of the document, or ends it', () => {
    fc.assert(
      fc.property(
        linesArb,
        linesArb,
        fc.array(lineArb, { minLength: 1, maxLength: 3 }),
        fc.array(lineArb, { minLength: 1, maxLength: 3 }),
        fc.array(fc.boolean(), { maxLength: 6 }),
        fc.integer({ min: 0, max: 1000 }),
        (orig, prop, above, below, picks, changeSeed) => {
          const base = createReview({
            startLine: above.length,
            originalText: joinRegion(orig, '\n', true),
            proposalText: joinRegion(prop, '\n', true),
            eol: '\n',
            finalEol: true,
          });
          let review = base;
          base.segments.forEach((s, i) => {
            if (s.kind === 'hunk' && picks[i] !== undefined) review = settleHunk(review, s.id, picks[i] ? 'accepted' : 'rejected');
          });
          const doc = documentWith(review, above, below);
          const change = fc.sample(changeArb(doc), { numRuns: 1, seed: changeSeed })[0];
          const after = applyChangeToLines(doc, change);
          const outcome = applyUserChange(review, change);
          if (outcome.kind === 'ended') return;
          const r = outcome.review;
          const lines = render(r).lines;
          assert.deepEqual(after.slice(r.startLine, r.startLine + lines.length), lines, JSON.stringify({ doc, change, review, r }));
          // The region still starts where the document says: the line above it is not part of it.
          assert.equal(r.startLine <= after.length, true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('typing above the region moves it', () => {
    const review = createReview({ startLine: 2, originalText: 'a\nb\n', proposalText: 'a\nc\n', eol: '\n', finalEol: true });
    const outcome = applyUserChange(review, { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0, text: 'new\nline\n' });
    assert.equal(outcome.kind, 'outside');
    assert.equal(outcome.kind === 'outside' && outcome.review.startLine, 4);
  });

  it('typing inside the proposed lines accepts that hunk with the typed text', () => {
    const review = createReview({ startLine: 0, originalText: 'a\nb\nc\n', proposalText: 'a\nB\nc\n', eol: '\n', finalEol: true });
    // Lines: a, b(old), B(new), c. Type "!" at the end of "B".
    const outcome = applyUserChange(review, { startLine: 2, startCharacter: 1, endLine: 2, endCharacter: 1, text: '!' });
    assert.equal(outcome.kind, 'inside');
    if (outcome.kind !== 'inside') return;
    assert.deepEqual(outcome.settle, [{ id: 0, state: 'accepted' }]);
    // The review mirrors the document first; settling then drops the original line.
    assert.equal(renderText(outcome.review), 'a\nb\nB!\nc\n');
    assert.equal(renderText(settleHunk(outcome.review, 0, 'accepted')), 'a\nB!\nc\n');
  });

  it('typing inside the original lines rejects that hunk and keeps the typing', () => {
    const review = createReview({ startLine: 0, originalText: 'a\nb\nc\n', proposalText: 'a\nB\nc\n', eol: '\n', finalEol: true });
    const outcome = applyUserChange(review, { startLine: 1, startCharacter: 0, endLine: 1, endCharacter: 0, text: '// ' });
    assert.equal(outcome.kind, 'inside');
    if (outcome.kind !== 'inside') return;
    assert.deepEqual(outcome.settle, [{ id: 0, state: 'rejected' }]);
    assert.equal(renderText(settleHunk(outcome.review, 0, 'rejected')), 'a\n// b\nc\n');
  });

  it('an edit spanning both versions keeps every line it did not cover', () => {
    const review = createReview({ startLine: 0, originalText: 'a\nb1\nb2\nc\n', proposalText: 'a\nB1\nB2\nc\n', eol: '\n', finalEol: true });
    // Lines: a, b1, b2, B1, B2, c. Join b2 and B1.
    const outcome = applyUserChange(review, { startLine: 2, startCharacter: 2, endLine: 3, endCharacter: 0, text: ' ' });
    assert.equal(outcome.kind, 'inside');
    if (outcome.kind !== 'inside') return;
    assert.equal(pendingCount(outcome.review), 0);
    assert.equal(renderText(outcome.review), 'a\nb1\nb2 B1\nB2\nc\n');
  });
});

describe('review: the structure behind the text (what the rendering alone does not show)', () => {
  // Lines: a(old 0), A(new 0), x, b1(old 1), b2(old 1), B1(new 1), B2(new 1), y, c(old 2), C(new 2).
  const three = (): Review =>
    createReview({ startLine: 0, originalText: 'a\nx\nb1\nb2\ny\nc\n', proposalText: 'A\nx\nB1\nB2\ny\nC\n', eol: '\n', finalEol: true });

  it('next and previous change go to the following (preceding) hunk and wrap around', () => {
    const r = createReview({ startLine: 0, originalText: 'a\nb\nc\nd\ne\n', proposalText: 'A\nb\nc\nD\ne\n', eol: '\n', finalEol: true });
    // Lines: a, A, b, c, d, D, e: hunk 0 starts at 0, hunk 1 at 4.
    assert.equal(nextHunk(r, -1, 1)?.id, 0);
    assert.equal(nextHunk(r, 0, 1)?.id, 1);
    assert.equal(nextHunk(r, 3, 1)?.id, 1);
    assert.equal(nextHunk(r, 4, 1)?.id, 0, 'on the last hunk: wraps to the first');
    assert.equal(nextHunk(r, 5, -1)?.id, 1);
    assert.equal(nextHunk(r, 4, -1)?.id, 0, 'on a hunk: the one before it');
    assert.equal(nextHunk(r, 1, -1)?.id, 0);
    assert.equal(nextHunk(r, 0, -1)?.id, 1, 'on the first hunk: wraps to the last');
    const one = settleHunk(r, 0, 'accepted');
    assert.equal(nextHunk(one, 0, -1)?.id, 1);
    assert.equal(nextHunk(one, 9, 1)?.id, 1);
    assert.equal(nextHunk(settleAll(r, 'rejected'), 0, 1), undefined);
    assert.equal(nextHunk(settleAll(r, 'rejected'), 0, -1), undefined);
  });

  it('a review is streaming exactly while it has unreached lines', () => {
    const streaming = { startLine: 0, eol: '\n' as const, finalEol: true, collapsed: false, segments: segmentsFromHunks(['a', 'b', 'c'], [{ oldStart: 0, oldLines: ['a'], newStart: 0, newLines: ['A'] }], { reachedOldLines: 1 }) };
    assert.equal(isStreaming(streaming), true);
    assert.equal(isStreaming(withoutUnreached(streaming)), false);
    assert.equal(isStreaming(three()), false);
  });

  it('segments: plain runs, hunks with their ids from firstId, the unreached rest last', () => {
    assert.deepEqual(segmentsFromHunks(['a', 'b', 'c', 'd'], [{ oldStart: 1, oldLines: ['b'], newStart: 1, newLines: ['B'] }], { firstId: 5, reachedOldLines: 3 }), [
      { kind: 'same', lines: ['a'] },
      { kind: 'hunk', id: 5, state: 'pending', oldLines: ['b'], newLines: ['B'] },
      { kind: 'same', lines: ['c'] },
      { kind: 'same', lines: ['d'], unreached: true },
    ]);
    assert.deepEqual(segmentsFromHunks(['a', 'b'], [], { reachedOldLines: 0 }), [{ kind: 'same', lines: ['a', 'b'], unreached: true }]);
    assert.deepEqual(segmentsFromHunks(['a', 'b'], []), [{ kind: 'same', lines: ['a', 'b'] }]);
  });

  it('settling counts and renders only the hunk settled; settled lines are plain', () => {
    const r = settleHunk(three(), 1, 'accepted');
    assert.equal(pendingCount(r), 2);
    assert.equal(pendingCount(settleAll(r, 'rejected')), 0);
    const rendered = render(r);
    assert.deepEqual(rendered.hunks.map((h) => h.id), [0, 2]);
    assert.deepEqual(rendered.owners.map((o) => o.part), ['old', 'new', 'same', 'same', 'same', 'same', 'old', 'new']);
    assert.deepEqual(rendered.lines, ['a', 'A', 'x', 'B1', 'B2', 'y', 'c', 'C']);
  });

  it('an edit spanning two parts of one hunk keeps the other hunks pending, settles nothing and merges plain runs', () => {
    // Join b2 and B1 (lines 4 and 5).
    const outcome = applyUserChange(three(), { startLine: 4, startCharacter: 2, endLine: 5, endCharacter: 0, text: ' ' });
    assert.equal(outcome.kind, 'inside');
    if (outcome.kind !== 'inside') return;
    assert.deepEqual(outcome.settle, []);
    assert.deepEqual(outcome.review.segments, [
      { kind: 'hunk', id: 0, state: 'pending', oldLines: ['a'], newLines: ['A'] },
      { kind: 'same', lines: ['x', 'b1', 'b2 B1', 'B2', 'y'] },
      { kind: 'hunk', id: 2, state: 'pending', oldLines: ['c'], newLines: ['C'] },
    ]);
  });

  it('an edit spanning a hunk and the unreached lines keeps them apart', () => {
    const streaming: Review = {
      startLine: 0,
      eol: '\n',
      finalEol: true,
      collapsed: false,
      segments: segmentsFromHunks(['a', 'b', 'c', 'd'], [{ oldStart: 1, oldLines: ['b'], newStart: 1, newLines: ['B'] }], { reachedOldLines: 2 }),
    };
    // Lines: a, b(old), B(new), c, d (unreached). Join B and c.
    const outcome = applyUserChange(streaming, { startLine: 2, startCharacter: 1, endLine: 3, endCharacter: 0, text: '' });
    assert.equal(outcome.kind, 'inside');
    if (outcome.kind !== 'inside') return;
    assert.deepEqual(outcome.review.segments, [
      { kind: 'same', lines: ['a', 'b', 'Bc'] },
      { kind: 'same', lines: ['d'], unreached: true },
    ]);
  });

  it('edits at the region’s edges: above it, at its first line, at the line after it', () => {
    // Document: l0, l1, then the region a, b(old), B(new) from line 2, then z.
    const r = createReview({ startLine: 2, originalText: 'a\nb\n', proposalText: 'a\nB\n', eol: '\n', finalEol: true });
    const kind = (c: LineChange) => applyUserChange(r, c).kind;
    // Deleting the line above (up to the region's first character) moves the region up.
    const del = applyUserChange(r, { startLine: 1, startCharacter: 0, endLine: 2, endCharacter: 0, text: '' });
    assert.equal(del.kind === 'outside' && del.review.startLine, 1);
    // Replacing the line above with a whole line keeps it where it is.
    const rep = applyUserChange(r, { startLine: 1, startCharacter: 0, endLine: 2, endCharacter: 0, text: 'q\n' });
    assert.equal(rep.kind === 'outside' && rep.review.startLine, 2);
    // Joining the line above with the region's first line: the region as a whole was rewritten.
    assert.equal(kind({ startLine: 1, startCharacter: 1, endLine: 2, endCharacter: 0, text: '' }), 'ended');
    // A line typed at the region's first line is in the region.
    const ins = applyUserChange(r, { startLine: 2, startCharacter: 0, endLine: 2, endCharacter: 0, text: 'x\n' });
    assert.equal(ins.kind, 'inside');
    assert.equal(ins.kind === 'inside' && renderText(ins.review), 'x\na\nb\nB\n');
    // Deleting the hunk's lines up to the start of the line after the region.
    const cut = applyUserChange(r, { startLine: 3, startCharacter: 0, endLine: 5, endCharacter: 0, text: '' });
    assert.equal(cut.kind, 'inside');
    assert.equal(cut.kind === 'inside' && renderText(cut.review), 'a\n');
    // Joining the line after the region into it ends the review.
    assert.equal(kind({ startLine: 4, startCharacter: 1, endLine: 5, endCharacter: 0, text: '' }), 'ended');
    // Below the region: not ours.
    assert.equal(kind({ startLine: 5, startCharacter: 0, endLine: 5, endCharacter: 1, text: 'w' }), 'outside');
  });

  it('an emptied region: what comes at or after its place is not its, what reaches over it ends it', () => {
    const empty = settleAll(createReview({ startLine: 2, originalText: 'a\n', proposalText: '', eol: '\n', finalEol: true }), 'accepted');
    assert.equal(render(empty).lines.length, 0);
    const at = applyUserChange(empty, { startLine: 2, startCharacter: 0, endLine: 2, endCharacter: 0, text: 'x' });
    assert.deepEqual(at, { kind: 'outside', review: empty });
    assert.equal(applyUserChange(empty, { startLine: 3, startCharacter: 0, endLine: 3, endCharacter: 0, text: 'x' }).kind, 'outside');
    assert.equal(applyUserChange(empty, { startLine: 1, startCharacter: 1, endLine: 2, endCharacter: 0, text: '' }).kind, 'ended');
  });

  it('minimal edits never split a surrogate pair at either end of the range, whatever the pair', () => {
    assert.deepEqual(minimalEdit('\uDBFF\uDFFF', '\uDBFF\uDFFE'), { offset: 0, length: 2, text: '\uDBFF\uDFFE' });
    assert.deepEqual(minimalEdit('\uD800\uDC00', '\uD800\uDC01'), { offset: 0, length: 2, text: '\uD800\uDC01' });
    assert.deepEqual(minimalEdit('a\uD800\uDC00', 'b\uD801\uDC00'), { offset: 0, length: 3, text: 'b\uD801\uDC00' });
    assert.deepEqual(minimalEdit('a\uD800\uDFFF', 'b\uD801\uDFFF'), { offset: 0, length: 3, text: 'b\uD801\uDFFF' });
    // A lone \r before the common tail is not a CRLF: the tail stays.
    assert.deepEqual(minimalEdit('a\rb', 'a\nb'), { offset: 1, length: 1, text: '\n' });
  });
});
