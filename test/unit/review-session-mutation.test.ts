/**
 * Tests that pin what the mutation run of src/core/edit/session.ts showed the other tests let through:
 * the memory of review states, what a step says besides its state, the save during a stream, restores.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { docText, proposalReview, runs, type ReviewDoc } from './support/reviewDoc';
import { createReview, joinRegion, minimalEdit, pendingCount, renderText, segmentsFromHunks, type Eol, type HunkSegment, type Review } from '../../src/core/edit/review';
import { applyDocEdit, consistent, findKnown, idleSession, lineOffset, planSave, reduce, type DocEdit, type EditReason, type Session, type SessionEvent, type Step } from '../../src/core/edit/session';

function opened(l: ReviewDoc): { session: Session; steps: Step[] } {
  const finalEol = l.suffix.length > 0;
  const doc = docText(l, l.original);
  const startReview: Review = { startLine: l.prefix.length, eol: l.eol, finalEol, segments: segmentsFromHunks(l.original, []), collapsed: false };
  const start = reduce(idleSession(doc), { type: 'start', doc, review: startReview, originalText: joinRegion(l.original, l.eol, finalEol), streaming: false });
  const end = reduce(start.state, { type: 'streamEnd', review: proposalReview(l) });
  return { session: end.state, steps: [start, end] };
}

function pendingIds(s: Session): number[] {
  return s.review ? s.review.segments.filter((x): x is HunkSegment => x.kind === 'hunk' && x.state === 'pending').map((h) => h.id) : [];
}

/** The whole text of `doc` replaced, as a paste over a select-all or an undo VS Code reports as one replace. */
function whole(doc: string, text: string): DocEdit {
  return { offset: 0, length: doc.length, text };
}

const two: ReviewDoc = { prefix: ['top'], original: ['a', 'x', 'c'], proposal: ['b', 'x', 'd'], suffix: ['end'], eol: '\n' };

describe('review session reducer: what the mutation run asked for', () => {
  it('an idle session of no text is empty', () => {
    assert.deepEqual(idleSession(), { phase: 'idle', doc: '', review: undefined, originalText: '', known: [] });
  });

  it('a region placed below the end of the document is not held, even when the document starts with its text', () => {
    const review = createReview({ startLine: 3, originalText: 'a\n', proposalText: 'b\n', eol: '\n', finalEol: true });
    const s: Session = { ...idleSession(renderText(review)), phase: 'reviewing', review };
    assert.equal(lineOffset(s.doc, 3), -1);
    assert.equal(consistent(s), false);
    assert.equal(consistent({ ...s, doc: 'one\ntwo\nthree\n' + renderText(review) }), true);
  });

  it('a known text is recognised only where its region starts on its line, not at the same character count', () => {
    const { session } = opened(two);
    const k = session.known[0];
    assert.equal(k.before, 4);
    const region = session.doc.slice(k.before, k.before + k.text.length);
    // Same length, same text at the same offset, but the region's first line starts elsewhere.
    const shifted = 'topx' + region + 'end';
    assert.equal(shifted.length, session.doc.length);
    assert.equal(findKnown(session.known, session.doc), k);
    assert.equal(findKnown(session.known, shifted), undefined);
  });

  it('starting a review without a stream shows it for review at once', () => {
    const { steps } = opened(two);
    assert.equal(steps[0].state.phase, 'reviewing');
    assert.equal(steps[0].undoStop, false);
  });

  it('settling the last pending hunk ends the review as settled', () => {
    const { session } = opened(two);
    const [h0, h1] = pendingIds(session);
    const first = reduce(session, { type: 'settle', verdict: 'accepted', id: h0 });
    assert.equal(first.ended, undefined);
    const last = reduce(first.state, { type: 'settle', verdict: 'rejected', id: h1 });
    assert.equal(last.ended, 'settled');
    assert.equal(last.state.phase, 'idle');
    assert.equal(last.state.doc, 'top\nb\nx\nc\nend');
    const all = reduce(session, { type: 'settle', verdict: 'accepted' });
    assert.equal(all.ended, 'settled');
  });

  it('an undo that lands on the state already shown restores nothing', () => {
    const { session } = opened(two);
    const [h0] = pendingIds(session);
    const settled = reduce(session, { type: 'settle', verdict: 'accepted', id: h0 }).state;
    // VS Code reports an undo that leaves the text as it is (an element of another document's group, a
    // save's edit already undone) as a replace with the same text.
    for (const changes of [[], [whole(settled.doc, settled.doc)]]) {
      const step = reduce(settled, { type: 'userEdit', changes, reason: 'undo' });
      assert.equal(step.state.phase, 'reviewing');
      assert.deepEqual(pendingIds(step.state), pendingIds(settled));
      assert.ok(!step.restored, 'the review shown is the one the text is: nothing came back');
      assert.equal(step.ended, undefined);
    }
    // The same text reached from a review that is not open: it comes back.
    const closed = reduce(settled, { type: 'close' }).state;
    const back = reduce(closed, { type: 'userEdit', changes: [whole(closed.doc, closed.doc)], reason: 'undo' });
    assert.equal(back.restored, true);
  });

  it('an undo that rewrites the whole region to a text the review never produced ends it as undone, not lost', () => {
    const { session } = opened(two);
    const step = reduce(session, { type: 'userEdit', changes: [whole(session.doc, 'something else\n')], reason: 'undo' });
    assert.deepEqual([step.state.phase, step.ended, step.stopStream], ['idle', 'undone', undefined]);
    const paste = reduce(session, { type: 'userEdit', changes: [whole(session.doc, 'something else\n')], reason: 'paste' });
    assert.equal(paste.ended, 'lost');
  });

  it('an undo inside the region that lands on no known text ends the review and stops no stream that is not running', () => {
    const { session } = opened(two);
    // Inside the proposed line of hunk 0 ("b", line 2).
    const step = reduce(session, { type: 'userEdit', changes: [{ offset: lineOffset(session.doc, 2), length: 0, text: 'q' }], reason: 'undo' });
    assert.equal(step.ended, 'undone');
    assert.equal(step.stopStream, undefined);
    assert.equal(step.decided, undefined);
  });

  it('deleting a proposed line by typing decides its hunk, even when the text it leaves is one the review knows', () => {
    const l: ReviewDoc = { prefix: [], original: ['a'], proposal: ['b'], suffix: ['end'], eol: '\n' };
    const { session } = opened(l);
    assert.equal(session.doc, 'a\nb\nend');
    const step = reduce(session, { type: 'userEdit', changes: [{ offset: 2, length: 2, text: '' }], reason: 'typing' });
    assert.equal(step.state.doc, 'a\nend');
    // The original text is the start state's, yet typing is folded into the review, not taken for an undo.
    assert.ok(findKnown(session.known, 'a\nend'));
    assert.equal(step.ended, undefined);
    assert.equal(step.state.phase, 'reviewing');
    assert.deepEqual(step.decided, [{ id: 0, state: 'accepted' }]);
  });

  it('an edit the review cannot mirror (a lone LF typed into a CRLF document) ends it as lost, never leaves it inconsistent', () => {
    const l: ReviewDoc = { prefix: [], original: ['z'], proposal: ['z', ''], suffix: [], eol: '\r\n' };
    const { session } = opened(l);
    assert.equal(session.doc, 'z\r\n');
    const step = reduce(session, { type: 'userEdit', changes: [{ offset: 0, length: 0, text: 'q\n' }], reason: 'typing' });
    assert.equal(step.state.doc, 'q\nz\r\n');
    assert.deepEqual([step.state.phase, step.ended], ['idle', 'lost']);
    assert.ok(consistent(step.state));
  });

  it('a paste over the whole document of a text the review produced brings that state back', () => {
    const { session } = opened(two);
    const both = session.doc;
    const [h0] = pendingIds(session);
    const settled = reduce(session, { type: 'settle', verdict: 'accepted', id: h0 }).state;
    const step = reduce(settled, { type: 'userEdit', changes: [whole(settled.doc, both)], reason: 'paste' });
    assert.equal(step.state.phase, 'reviewing');
    assert.equal(step.restored, true);
    assert.equal(step.ended, undefined);
    assert.deepEqual(pendingIds(step.state), pendingIds(session));
    assert.ok(consistent(step.state));
  });

  it('a save while the model writes hides what arrives until the save is over, once some lines are reached', () => {
    const l: ReviewDoc = { prefix: [], original: ['a', 'b'], proposal: ['a', 'B'], suffix: ['end'], eol: '\n' };
    const doc = docText(l, l.original);
    const start: Review = { startLine: 0, eol: '\n', finalEol: true, segments: segmentsFromHunks(l.original, [], { reachedOldLines: 0 }), collapsed: false };
    let s = reduce(idleSession(doc), { type: 'start', doc, review: start, originalText: 'a\nb\n', streaming: true }).state;
    // The first line arrived unchanged; the second is not reached yet: nothing pending.
    s = reduce(s, { type: 'streamDelta', segments: segmentsFromHunks(l.original, [], { reachedOldLines: 1 }) }).state;
    assert.equal(pendingCount(s.review!), 0);
    const save = reduce(s, { type: 'save' });
    assert.equal(save.edit, undefined);
    assert.equal(save.state.review!.collapsed, true);
    // The rest arrives before the save is over: the file being written shows only the original lines.
    const delta = reduce(save.state, { type: 'streamDelta', segments: segmentsFromHunks(l.original, [{ oldStart: 1, oldLines: ['b'], newStart: 1, newLines: ['B'] }], { reachedOldLines: 2 }) });
    assert.equal(delta.state.doc, doc);
    const saved = reduce(delta.state, { type: 'saved' });
    assert.equal(saved.state.doc, 'a\nb\nB\nend');
  });

  it('a save while the model writes with everything reached and nothing pending changes nothing', () => {
    const l: ReviewDoc = { prefix: [], original: ['a', 'b'], proposal: ['a', 'b'], suffix: ['end'], eol: '\n' };
    const doc = docText(l, l.original);
    const start: Review = { startLine: 0, eol: '\n', finalEol: true, segments: segmentsFromHunks(l.original, [], { reachedOldLines: 0 }), collapsed: false };
    let s = reduce(idleSession(doc), { type: 'start', doc, review: start, originalText: 'a\nb\n', streaming: true }).state;
    s = reduce(s, { type: 'streamDelta', segments: segmentsFromHunks(l.original, [], { reachedOldLines: 2 }) }).state;
    assert.equal(s.phase, 'streaming');
    const save = reduce(s, { type: 'save' });
    assert.equal(save.state, s);
    assert.equal(save.edit, undefined);
  });

  it('a save while the model writes plans the state the stream goes on in', () => {
    const l: ReviewDoc = { prefix: ['top'], original: ['a', 'b'], proposal: ['A', 'b'], suffix: ['end'], eol: '\n' };
    const doc = docText(l, l.original);
    const start: Review = { startLine: 1, eol: '\n', finalEol: true, segments: segmentsFromHunks(l.original, [], { reachedOldLines: 0 }), collapsed: false };
    let s = reduce(idleSession(doc), { type: 'start', doc, review: start, originalText: 'a\nb\n', streaming: true }).state;
    s = reduce(s, { type: 'streamDelta', segments: segmentsFromHunks(l.original, [{ oldStart: 0, oldLines: ['a'], newStart: 0, newLines: ['A'] }], { reachedOldLines: 1 }) }).state;
    const plan = planSave(s, undefined, s.doc)!;
    assert.equal(plan.whole, false);
    assert.deepEqual(plan.state, reduce(s, { type: 'save' }).state);
    assert.equal(plan.state.phase, 'streaming');
    assert.equal(applyDocEdit(s.doc, plan.edit), doc);
  });

  it('a restore ignores persisted states that were collapsed for a save, and is never an undo stop', () => {
    const { session } = opened(two);
    const both = session.doc;
    const collapsed = { ...session.known[0], review: { ...session.known[0].review, collapsed: true } };
    const fromCollapsed = reduce(idleSession(), { type: 'restore', doc: both, candidates: [collapsed], originalText: session.originalText });
    assert.equal(fromCollapsed.state.phase, 'idle');
    assert.deepEqual(fromCollapsed.state.known, []);
    assert.equal(fromCollapsed.undoStop, false);
    const restored = reduce(idleSession(), { type: 'restore', doc: both, candidates: session.known, originalText: session.originalText });
    assert.equal(restored.state.phase, 'reviewing');
    assert.equal(restored.restored, true);
    assert.equal(restored.undoStop, false);
  });

  /**
   * Model-based: random settles, undo, redo and typing above, in and below the region. Every text the
   * review showed stays recognisable (the memory holds every state it produced, within its bound), and
   * only a settle is an undo stop.
   */
  it('any sequence of settles, undo, redo and typing: every text the review showed is still recognised', () => {
    const lineArb = fc.constantFrom('a', 'b', 'c', 'x', '');
    const layoutArb = fc.record({
      prefix: fc.array(lineArb, { maxLength: 2 }),
      original: fc.array(lineArb, { minLength: 1, maxLength: 5 }),
      proposal: fc.array(lineArb, { maxLength: 5 }),
      suffix: fc.array(lineArb, { maxLength: 2 }),
      eol: fc.constantFrom<Eol>('\n', '\r\n'),
    });
    type Action = { kind: 'settle'; pick: number; accept: boolean; all: boolean } | { kind: 'undo' } | { kind: 'redo' } | { kind: 'type'; at: number; text: string };
    const actionArb: fc.Arbitrary<Action> = fc.oneof(
      fc.record({ kind: fc.constant('settle' as const), pick: fc.nat(), accept: fc.boolean(), all: fc.boolean() }),
      fc.constantFrom<Action>({ kind: 'undo' }, { kind: 'redo' }),
      fc.record({ kind: fc.constant('type' as const), at: fc.nat(), text: fc.constantFrom('y', 'y\n', '\n') }),
    );
    fc.assert(
      fc.property(layoutArb, fc.array(actionArb, { maxLength: 16 }), (l, actions) => {
        let { session } = opened(l);
        let buffer = session.doc;
        const undo: string[] = [];
        let redo: string[] = [];
        const shown = new Set<string>(session.phase === 'reviewing' ? [session.doc] : []);
        const step = (event: SessionEvent): Step => {
          const s = reduce(session, event);
          assert.equal(s.undoStop, event.type === 'settle' && session.phase === 'reviewing', `only a settle of an open review is an undo stop (${event.type})`);
          session = s.state;
          return s;
        };
        for (const a of actions) {
          if (a.kind === 'settle') {
            const ids = pendingIds(session);
            const verdict = a.accept ? 'accepted' : 'rejected';
            const s = step(a.all || ids.length === 0 ? { type: 'settle', verdict } : { type: 'settle', verdict, id: ids[a.pick % ids.length] });
            if (s.edit) {
              undo.push(buffer);
              redo = [];
              buffer = applyDocEdit(buffer, s.edit);
            }
            if (s.edit && (session.phase === 'reviewing' || s.ended === 'settled')) shown.add(session.doc);
          } else if (a.kind === 'type') {
            const at = a.at % (buffer.length + 1);
            // Never between the halves of a CRLF.
            const offset = at > 0 && buffer.charCodeAt(at) === 10 && buffer.charCodeAt(at - 1) === 13 ? at - 1 : at;
            const change = { offset, length: 0, text: a.text.replace(/\n/g, l.eol) };
            undo.push(buffer);
            redo = [];
            buffer = applyDocEdit(buffer, change);
            const s = step({ type: 'userEdit', changes: [change], reason: 'typing' as EditReason });
            for (const d of s.decided ?? []) {
              const settle = step({ type: 'settle', verdict: d.state, id: d.id });
              if (settle.edit) {
                undo.push(buffer);
                redo = [];
                buffer = applyDocEdit(buffer, settle.edit);
              }
            }
            if (session.phase === 'reviewing') shown.add(session.doc);
          } else {
            const from = a.kind === 'undo' ? undo : redo;
            const target = from.pop();
            if (target === undefined) continue;
            (a.kind === 'undo' ? redo : undo).push(buffer);
            const e = minimalEdit(buffer, target);
            buffer = target;
            step({ type: 'userEdit', changes: e ? [e] : [], reason: a.kind });
          }
          assert.equal(session.doc, buffer);
          for (const text of shown) {
            const found = findKnown(session.known, text);
            assert.ok(found, `a text the review showed is forgotten: ${JSON.stringify(text)}`);
            assert.equal(text.slice(found.before, found.before + found.text.length), found.text);
          }
        }
      }),
      { numRuns: runs(300) },
    );
  });
});
