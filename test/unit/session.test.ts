import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { docText, proposalReview, runs, type ReviewDoc } from './support/reviewDoc';
import { applyHunks, diffLineArrays } from '../../src/core/edit/diff';
import { createReview, isStreaming, joinRegion, minimalEdit, pendingCount, proposalLines, renderText, segmentsFromHunks, settleAll, type Eol, type HunkSegment, type Review } from '../../src/core/edit/review';
import {
  applyDocEdit,
  consistent,
  findKnown,
  idleSession,
  lineOffset,
  MAX_KNOWN,
  MAX_KNOWN_STREAMING,
  planSave,
  positionAt,
  reduce,
  textToSave,
  type DocEdit,
  type EditReason,
  type Session,
  type SessionEvent,
  type Step,
} from '../../src/core/edit/session';

/** Fewer random runs per mutant under mutation testing (StrykerJS workers); the full counts in `npm test`. */

const lineArb = fc.oneof(
  fc.constantFrom('', 'a', 'b', 'c', '\tx', '  y', 'z = 1;', '}', '😀', 'e\u0301'),
  fc.string({ maxLength: 4 }).map((s) => s.replace(/[\r\n]/g, '')),
);
const linesArb = fc.array(lineArb, { maxLength: 8 });
const eolArb = fc.constantFrom<Eol>('\n', '\r\n');

const docArb = fc.record({
  prefix: fc.array(lineArb, { maxLength: 3 }),
  original: linesArb,
  proposal: linesArb,
  suffix: fc.array(lineArb, { maxLength: 3 }),
  eol: eolArb,
});

/**
 * A stand-in for VS Code's buffer and undo stack. Our edits go in as VS Code would put them: the
 * stream's edits as one undo element, every settle as its own; user typing is one element each; undo
 * and redo restore the text exactly and report the change with reason undo/redo.
 */
class Editor {
  buffer: string;
  disk: string;
  undo: string[] = [];
  redo: string[] = [];
  session: Session;
  private streamGroup: string | undefined;
  /** Set while a stream runs (between start and its end, cancel or stop): only then may the phase be streaming. */
  streamStarted: number | undefined;

  constructor(doc: string) {
    this.buffer = doc;
    this.disk = doc;
    this.session = idleSession(doc);
  }

  dispatch(event: SessionEvent): Step {
    const before = this.session;
    const step = reduce(before, event);
    assert.equal(step.undoStop, event.type === 'settle' && before.phase === 'reviewing', `only a settle is an undo stop (${event.type})`);
    if (step.edit) {
      const prior = this.buffer;
      this.buffer = applyDocEdit(this.buffer, step.edit);
      if (before.phase === 'streaming' && !step.undoStop) {
        // One element for the whole stream (opened by its first edit).
        if (this.streamGroup === undefined) {
          this.streamGroup = prior;
          this.undo.push(prior);
        }
      } else if (event.type !== 'save' && event.type !== 'saved') {
        this.undo.push(prior);
      }
      this.redo = [];
    }
    if (step.state.phase !== 'streaming') this.streamGroup = undefined;
    if (event.type === 'start' && step.state.phase === 'streaming') this.streamStarted = 0;
    this.session = step.state;
    // The stream is over for the runner once the state says so (it then sends nothing more).
    if (step.state.phase !== 'streaming') this.streamStarted = undefined;
    return step;
  }

  user(changes: DocEdit[], reason: EditReason): Step {
    const prior = this.buffer;
    for (const c of changes) this.buffer = applyDocEdit(this.buffer, c);
    if (reason !== 'undo' && reason !== 'redo' && this.buffer !== prior) {
      this.undo.push(prior);
      this.redo = [];
    }
    const step = this.dispatch({ type: 'userEdit', changes, reason });
    for (const d of step.decided ?? []) this.dispatch({ type: 'settle', verdict: d.state, id: d.id });
    return step;
  }

  /** Undo or redo: the text comes back; the change is reported as VS Code would, as one replace. */
  history(kind: 'undo' | 'redo'): Step | undefined {
    const from = kind === 'undo' ? this.undo : this.redo;
    const to = kind === 'undo' ? this.redo : this.undo;
    const target = from.pop();
    if (target === undefined) return undefined;
    to.push(this.buffer);
    const e = minimalEdit(this.buffer, target);
    const prior = this.buffer;
    this.buffer = target;
    const step = reduce(this.session, { type: 'userEdit', changes: e ? [e] : [], reason: kind });
    assert.equal(step.edit, undefined, 'a user edit is folded, never answered with an edit');
    assert.equal(step.undoStop, false);
    void prior;
    this.session = step.state;
    if (step.state.phase !== 'streaming') this.streamStarted = undefined;
    // A settle the undo decided (rare: an undo the review does not recognise, inside a hunk) is a new step.
    for (const d of step.decided ?? []) this.dispatch({ type: 'settle', verdict: d.state, id: d.id });
    return step;
  }

  /** Save: the participant's edit goes in, the text is written, the review shows both versions again. */
  save(): string {
    const shown = this.session.review;
    this.dispatch({ type: 'save' });
    this.disk = this.buffer;
    const written = this.disk;
    if (shown) {
      const expected = this.buffer.slice(0, lineOffset(this.buffer, shown.startLine)) + renderText(settleAll({ ...shown, collapsed: false }, 'rejected'));
      assert.ok(written.startsWith(expected), 'the save must write the originals of the pending hunks');
    }
    this.dispatch({ type: 'saved' });
    return written;
  }
}

/** The invariants after every event. */
function check(ed: Editor): void {
  const s = ed.session;
  assert.equal(s.doc, ed.buffer, 'the state knows the buffer');
  assert.ok(consistent(s), 'the buffer holds the review’s rendering');
  if (s.phase === 'idle') {
    const found = findKnown(s.known, s.doc);
    assert.ok(!found || pendingCount(found.review) === 0 || found.review.collapsed, 'a pending hunk in the buffer with no review shown');
  } else {
    assert.ok(s.review && !s.review.collapsed, 'the review shows both versions outside a save');
    // Only a stream writes: a review brought back (undo, redo, reload, reopen) or stopped is a settled
    // review, never a stream again (its Cancel lens would wait for a model that is not writing).
    if (s.phase === 'reviewing') assert.ok(!isStreaming(s.review), 'a review under way shows no unreached lines');
  }
  if (ed.streamStarted === undefined) assert.notEqual(s.phase, 'streaming', 'a streaming state with no stream running');
  // One memory entry per text and extent (the newest).
  const keys = s.known.map((k) => JSON.stringify([k.text, k.before, k.after]));
  assert.equal(new Set(keys).size, keys.length, 'a state remembered twice');
  // The disk never holds a pending hunk of any state the review produced.
  const onDisk = findKnown(s.known, ed.disk);
  assert.ok(!onDisk || pendingCount(onDisk.review) === 0 || onDisk.review.collapsed || pendingHunksAreOneSided(onDisk.review), 'a pending hunk on disk');
}

/** A pending hunk with only new or only old lines renders the same as a settled one: not a both-versions text. */
function pendingHunksAreOneSided(review: Review): boolean {
  return review.segments.every((s) => s.kind === 'same' || s.state !== 'pending' || s.oldLines.length === 0 || s.newLines.length === 0);
}

/** Starts a review the model writes, half of it arrived, and leaves it streaming. */
function startStream(ed: Editor, d: ReviewDoc): void {
  const finalEol = d.suffix.length > 0;
  const start: Review = { startLine: d.prefix.length, eol: d.eol, finalEol, segments: segmentsFromHunks(d.original, [], { reachedOldLines: 0 }), collapsed: false };
  ed.dispatch({ type: 'start', doc: ed.buffer, review: start, originalText: joinRegion(d.original, d.eol, finalEol), streaming: true });
  check(ed);
  const half = d.proposal.slice(0, Math.ceil(d.proposal.length / 2));
  const reached = Math.min(d.original.length, half.length);
  ed.dispatch({ type: 'streamDelta', segments: segmentsFromHunks(d.original, diffLineArrays(d.original.slice(0, reached), half), { reachedOldLines: reached }) });
  check(ed);
}

function openReview(ed: Editor, d: ReviewDoc, streamed: boolean): void {
  const finalEol = d.suffix.length > 0;
  const startLine = d.prefix.length;
  const start: Review = {
    startLine,
    eol: d.eol,
    finalEol,
    segments: segmentsFromHunks(d.original, [], streamed ? { reachedOldLines: 0 } : {}),
    collapsed: false,
  };
  ed.dispatch({ type: 'start', doc: ed.buffer, review: start, originalText: joinRegion(d.original, d.eol, finalEol), streaming: streamed });
  check(ed);
  if (streamed) {
    // Half the proposal has arrived.
    const half = d.proposal.slice(0, Math.ceil(d.proposal.length / 2));
    const reached = Math.min(d.original.length, half.length);
    const hunks = diffLineArrays(d.original.slice(0, reached), half);
    ed.dispatch({ type: 'streamDelta', segments: segmentsFromHunks(d.original, hunks, { reachedOldLines: reached }) });
    check(ed);
  }
  ed.dispatch({ type: 'streamEnd', review: proposalReview(d) });
  check(ed);
}

type Action =
  | { kind: 'settle'; pick: number; verdict: 'accepted' | 'rejected'; all: boolean }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'type'; at: number; text: string }
  | { kind: 'save' }
  | { kind: 'close' }
  | { kind: 'reload' }
  /** With no review shown and the original text back: a new review (streamed, left writing) over the same memory. */
  | { kind: 'newReview'; end: 'streamEnd' | 'none' }
  /** While the model writes: its reply ends, it fails (cancel), or the user stops it. */
  | { kind: 'streamOver'; how: 'streamEnd' | 'cancel' | 'stop' };

const settleArb = fc.record({ kind: fc.constant('settle' as const), pick: fc.nat(), verdict: fc.constantFrom('accepted' as const, 'rejected' as const), all: fc.boolean() });
const historyArb = fc.constantFrom<Action>({ kind: 'undo' }, { kind: 'redo' });
const typeArb = fc.record({ kind: fc.constant('type' as const), at: fc.nat(), text: fc.constantFrom('x', '\n', 'q\n', '', '😀') });
const ioArb = fc.constantFrom<Action>({ kind: 'save' }, { kind: 'close' }, { kind: 'reload' });
const streamArb = fc.constantFrom<Action>(
  { kind: 'newReview', end: 'streamEnd' },
  { kind: 'newReview', end: 'none' },
  { kind: 'streamOver', how: 'streamEnd' },
  { kind: 'streamOver', how: 'cancel' },
  { kind: 'streamOver', how: 'stop' },
);

function pendingIds(s: Session): number[] {
  return s.review ? s.review.segments.filter((x): x is HunkSegment => x.kind === 'hunk' && x.state === 'pending').map((h) => h.id) : [];
}

function act(ed: Editor, a: Action, d?: ReviewDoc): void {
  switch (a.kind) {
    case 'newReview': {
      if (!d || ed.session.phase !== 'idle' || ed.buffer !== docText(d, d.original)) break;
      startStream(ed, d);
      if (a.end === 'streamEnd') ed.dispatch({ type: 'streamEnd', review: proposalReview(d) });
      break;
    }
    case 'streamOver': {
      if (!d || ed.session.phase !== 'streaming') break;
      ed.dispatch(a.how === 'streamEnd' ? { type: 'streamEnd', review: proposalReview(d) } : { type: a.how });
      break;
    }
    case 'settle': {
      const ids = pendingIds(ed.session);
      if (a.all || ids.length === 0) ed.dispatch({ type: 'settle', verdict: a.verdict });
      else ed.dispatch({ type: 'settle', verdict: a.verdict, id: ids[a.pick % ids.length] });
      break;
    }
    case 'undo':
    case 'redo':
      ed.history(a.kind);
      break;
    case 'type': {
      const at = a.at % (ed.buffer.length + 1);
      // Never type between the halves of a surrogate pair or of a CRLF (an editor cannot put the cursor there).
      const c = ed.buffer.charCodeAt(at);
      const inside = at > 0 && ((c >= 0xdc00 && c <= 0xdfff) || (c === 10 && ed.buffer.charCodeAt(at - 1) === 13));
      ed.user([{ offset: inside ? at - 1 : at, length: 0, text: a.text }], 'typing');
      break;
    }
    case 'save':
      ed.save();
      break;
    case 'close':
      // Close with Save, reopen from disk: no undo history survives.
      ed.save();
      ed.dispatch({ type: 'close' });
      ed.buffer = ed.disk;
      ed.undo = [];
      ed.redo = [];
      ed.session = reduce(ed.session, { type: 'restore', doc: ed.disk, candidates: ed.session.known, originalText: ed.session.originalText }).state;
      ed.streamStarted = undefined;
      break;
    case 'reload': {
      // Hot exit: the unsaved buffer comes back as it was; the persisted states come back with it.
      const persisted = ed.session.known;
      ed.undo = [];
      ed.redo = [];
      ed.session = reduce(idleSession(), { type: 'restore', doc: ed.buffer, candidates: persisted, originalText: ed.session.originalText }).state;
      // The window went away with the stream.
      ed.streamStarted = undefined;
      break;
    }
  }
  check(ed);
}

describe('review session reducer', () => {
  it('random settles, undo and redo: the buffer always matches the state a model of the undo stack expects', () => {
    fc.assert(
      fc.property(docArb, fc.boolean(), fc.array(fc.oneof(settleArb, historyArb), { minLength: 1, maxLength: 25 }), (d, streamed, actions) => {
        const ed = new Editor(docText(d, d.original));
        openReview(ed, d, streamed);
        const review = proposalReview(d);
        const hunks = review.segments.filter((s): s is HunkSegment => s.kind === 'hunk');
        // A pending hunk with one side only renders like a settled one: the review's visibility is then a matter of taste.
        const oneSided = hunks.some((h) => h.oldLines.length === 0 || h.newLines.length === 0);
        // The model: the verdicts per undo element (text-changing settles only, as in the editor).
        type Verdicts = Map<number, 'pending' | 'accepted' | 'rejected'>;
        const render = (v: Verdicts): string => {
          const lines: string[] = [];
          for (const s of review.segments) {
            if (s.kind === 'same') lines.push(...s.lines);
            else {
              const st = v.get(s.id)!;
              if (st !== 'accepted') lines.push(...s.oldLines);
              if (st !== 'rejected') lines.push(...s.newLines);
            }
          }
          return docText(d, lines);
        };
        let current: Verdicts = new Map(hunks.map((h) => [h.id, 'pending']));
        const undo: Verdicts[] = [];
        const redo: Verdicts[] = [];
        // Before the review: "all rejected" renders the original.
        const beforeReview: Verdicts = new Map(hunks.map((h) => [h.id, 'rejected']));
        // The editor has an undo element for the review's arrival when its text changed on the way.
        if (ed.undo.length > 0) undo.push(beforeReview);
        assert.equal(ed.buffer, render(current));
        for (const a of actions) {
          if (a.kind === 'settle') {
            const ids = [...current].filter(([, st]) => st === 'pending').map(([id]) => id);
            const shown = ed.session.phase === 'reviewing';
            act(ed, a);
            if (!shown) continue;
            const next = new Map(current);
            if (a.all || ids.length === 0) for (const id of ids) next.set(id, a.verdict);
            else next.set(ids[a.pick % ids.length], a.verdict);
            if (render(next) !== render(current)) {
              undo.push(current);
              redo.length = 0;
            }
            current = next;
          } else {
            const from = a.kind === 'undo' ? undo : redo;
            const to = a.kind === 'undo' ? redo : undo;
            const had = ed.session.phase;
            act(ed, a);
            const target = from.pop();
            if (target) {
              to.push(current);
              current = target;
            }
            void had;
          }
          // A one-sided hunk's states share texts, so the model cannot tell them apart; the invariants still hold (act checks them).
          if (oneSided) continue;
          assert.equal(ed.buffer, render(current), 'buffer');
          const anyPending = [...current.values()].includes('pending');
          {
            assert.equal(ed.session.phase === 'reviewing', anyPending, 'a review is shown exactly while a hunk is pending');
            if (anyPending) {
              for (const s of ed.session.review!.segments) if (s.kind === 'hunk') assert.equal(s.state === 'pending', current.get(s.id) === 'pending', `hunk ${s.id}`);
            }
          }
        }
      }),
      { numRuns: runs(300) },
    );
  });

  it('reject all restores the document byte for byte, whatever was undone and redone before', () => {
    fc.assert(
      fc.property(docArb, fc.array(historyArb, { maxLength: 6 }), (d, actions) => {
        const original = docText(d, d.original);
        const ed = new Editor(original);
        openReview(ed, d, false);
        for (const a of actions) act(ed, a);
        if (ed.session.phase === 'reviewing') act(ed, { kind: 'settle', pick: 0, verdict: 'rejected', all: true });
        assert.equal(ed.session.phase, 'idle');
        // Either the review was rejected or an undo went past its start: the bytes are the original's; or a
        // redo brought back the proposal after the review was rejected... which can only be the original too.
        assert.equal(ed.buffer, original);
      }),
      { numRuns: runs(200) },
    );
  });

  it('accepting any subset of hunks (in any order, the rest rejected) yields the matching merge', () => {
    fc.assert(
      fc.property(docArb, fc.array(fc.boolean(), { maxLength: 12 }), fc.nat(), (doc, choice, rotate) => {
        // The region ends with a line break, so the review's lines and the diff's lines agree.
        const d = { ...doc, suffix: doc.suffix.length ? doc.suffix : ['end'] };
        const ed = new Editor(docText(d, d.original));
        openReview(ed, d, false);
        const ids = pendingIds(ed.session);
        const order = ids.map((_, i) => ids[(i + rotate) % ids.length]);
        for (const id of order) {
          ed.dispatch({ type: 'settle', verdict: choice[id % Math.max(1, choice.length)] ? 'accepted' : 'rejected', id });
          check(ed);
        }
        assert.equal(ed.session.phase, 'idle');
        const review = proposalReview(d);
        const hunks = review.segments.filter((s): s is HunkSegment => s.kind === 'hunk');
        const lineHunks = diffLineArrays(d.original.map((l) => l + '\n'), d.proposal.map((l) => l + '\n'));
        assert.equal(lineHunks.length, hunks.length);
        const merged = applyHunks(d.original.map((l) => l + '\n').join(''), lineHunks, (i) => !!choice[hunks[i].id % Math.max(1, choice.length)]);
        const mergedLines = merged === '' ? [] : merged.slice(0, -1).split('\n');
        assert.equal(ed.buffer, docText(d, mergedLines));
      }),
      { numRuns: runs(200) },
    );
  });

  it('any sequence of settles, undo, redo, typing, saves, closing and reloads: the buffer matches the review and the disk never holds a pending hunk', () => {
    fc.assert(
      fc.property(docArb, fc.boolean(), fc.array(fc.oneof(settleArb, historyArb, typeArb, ioArb, streamArb), { minLength: 1, maxLength: 30 }), (d, streamed, actions) => {
        const ed = new Editor(docText(d, d.original));
        openReview(ed, d, streamed);
        for (const a of actions) act(ed, a, d);
      }),
      { numRuns: runs(300) },
    );
  });

  it('the issue’s scenario: accept hunk 1, save, reject hunk 2, undo three times, redo, save', () => {
    const d: ReviewDoc = {
      prefix: ['class Stock {'],
      original: ['  totalValue() {', '    let t = 0;', '    for (const i of this.items) t += i.v;', '    return t;', '  }', '  lowStock() {', '    const out = [];', '    for (const i of this.items) if (i.n < 3) out.push(i);', '    return out;', '  }'],
      proposal: ['  totalValue() {', '    return this.items.reduce((t, i) => t + i.v, 0);', '  }', '  lowStock() {', '    return this.items.filter((i) => i.n < 3);', '  }'],
      suffix: ['}', ''],
      eol: '\n',
    };
    const ed = new Editor(docText(d, d.original));
    openReview(ed, d, true);
    assert.deepEqual(pendingIds(ed.session).length, 2);
    const [first, second] = pendingIds(ed.session);
    ed.dispatch({ type: 'settle', verdict: 'accepted', id: first });
    check(ed);
    ed.save();
    check(ed);
    ed.dispatch({ type: 'settle', verdict: 'rejected', id: second });
    check(ed);
    assert.equal(ed.session.phase, 'idle');
    const merged = ed.buffer;
    // Undo the reject: hunk 2 is pending again, hunk 1 still accepted.
    act(ed, { kind: 'undo' });
    assert.equal(ed.session.phase, 'reviewing');
    assert.deepEqual(pendingIds(ed.session), [second]);
    // Undo the accept: both pending.
    act(ed, { kind: 'undo' });
    assert.deepEqual(pendingIds(ed.session), [first, second]);
    // Undo the review: the original, no review.
    act(ed, { kind: 'undo' });
    assert.equal(ed.session.phase, 'idle');
    assert.equal(ed.buffer, docText(d, d.original));
    // Redo: the review is back with both hunks; saving writes the original.
    act(ed, { kind: 'redo' });
    assert.deepEqual(pendingIds(ed.session), [first, second]);
    assert.equal(ed.save(), docText(d, d.original));
    // The save's own edit ended the redo history (as in VS Code); settling again gives the merge.
    ed.dispatch({ type: 'settle', verdict: 'accepted', id: first });
    ed.dispatch({ type: 'settle', verdict: 'rejected', id: second });
    assert.equal(ed.buffer, merged);
    assert.equal(ed.session.phase, 'idle');
    assert.equal(ed.save(), merged);
  });

  it('the second path: Accept All after the cursor moved, then Undo: the review is back, saving writes the original', () => {
    const d: ReviewDoc = { prefix: [], original: ['a', 'b', 'c'], proposal: ['a', 'B', 'c', 'd'], suffix: ['end'], eol: '\r\n' };
    const ed = new Editor(docText(d, d.original));
    openReview(ed, d, true);
    ed.dispatch({ type: 'settle', verdict: 'accepted' });
    assert.equal(ed.session.phase, 'idle');
    act(ed, { kind: 'undo' });
    assert.equal(ed.session.phase, 'reviewing');
    assert.equal(pendingIds(ed.session).length, 2);
    assert.equal(textToSave(ed.session), docText(d, d.original));
  });

  it('a save after the review ended recognises a text the review produced and writes the originals', () => {
    const d: ReviewDoc = { prefix: ['p'], original: ['x', 'y'], proposal: ['X', 'y'], suffix: [], eol: '\n' };
    const ed = new Editor(docText(d, d.original));
    openReview(ed, d, false);
    const withBoth = ed.buffer;
    ed.dispatch({ type: 'close' });
    assert.equal(ed.session.phase, 'idle');
    assert.equal(ed.session.doc, withBoth);
    const saved = reduce(ed.session, { type: 'save' });
    assert.equal(saved.state.doc, docText(d, d.original));
    assert.equal(saved.state.phase, 'reviewing');
    assert.ok(saved.edit);
  });

  it('typing in a proposed line accepts its hunk, in an original line rejects it; each settle is an undo stop', () => {
    const d: ReviewDoc = { prefix: [], original: ['one', 'two', 'three', 'four'], proposal: ['ONE', 'two', 'three', 'FOUR'], suffix: ['tail'], eol: '\n' };
    const ed = new Editor(docText(d, d.original));
    openReview(ed, d, false);
    // Buffer: one ONE two three four FOUR tail
    const at = ed.buffer.indexOf('ONE') + 3;
    const step = ed.user([{ offset: at, length: 0, text: '!' }], 'typing');
    assert.deepEqual(step.decided, [{ id: 0, state: 'accepted' }]);
    assert.equal(step.edit, undefined);
    // The settle that follows removes the original line, as its own undo step.
    assert.equal(ed.buffer, 'ONE!\ntwo\nthree\nfour\nFOUR\ntail');
    assert.equal(ed.undo.length, 3);
    const at2 = ed.buffer.indexOf('four') + 4;
    const step2 = ed.user([{ offset: at2, length: 0, text: '?' }], 'typing');
    assert.deepEqual(step2.decided, [{ id: 1, state: 'rejected' }]);
    assert.equal(ed.session.phase, 'idle');
    assert.equal(ed.buffer, 'ONE!\ntwo\nthree\nfour?\ntail');
  });

  it('typing in unchanged lines and outside the region keeps the review and its hunks', () => {
    const d: ReviewDoc = { prefix: ['top'], original: ['a', 'b', 'c'], proposal: ['A', 'b', 'C'], suffix: ['bottom'], eol: '\n' };
    const ed = new Editor(docText(d, d.original));
    openReview(ed, d, false);
    ed.user([{ offset: ed.buffer.indexOf('b\n'), length: 0, text: 'x' }], 'typing');
    ed.user([{ offset: 0, length: 0, text: 'new\n' }], 'typing');
    ed.user([{ offset: ed.buffer.length, length: 0, text: '!' }], 'typing');
    check(ed);
    assert.equal(ed.session.phase, 'reviewing');
    assert.equal(ed.session.review!.startLine, 2);
    assert.equal(pendingIds(ed.session).length, 2);
    assert.equal(ed.buffer, 'new\ntop\na\nA\nxb\nc\nC\nbottom!');
  });

  it('typing in the region while the model writes stops the stream and reviews what arrived', () => {
    const d: ReviewDoc = { prefix: [], original: ['a', 'b', 'c'], proposal: ['a', 'B', 'c'], suffix: [''], eol: '\n' };
    const ed = new Editor(docText(d, d.original));
    const start: Review = { startLine: 0, eol: '\n', finalEol: true, segments: segmentsFromHunks(d.original, [], { reachedOldLines: 0 }), collapsed: false };
    ed.dispatch({ type: 'start', doc: ed.buffer, review: start, originalText: 'a\nb\nc\n', streaming: true });
    ed.dispatch({ type: 'streamDelta', segments: segmentsFromHunks(d.original, [{ oldStart: 1, oldLines: ['b'], newStart: 1, newLines: ['B'] }], { reachedOldLines: 2 }) });
    assert.equal(ed.buffer, 'a\nb\nB\nc\n');
    const step = ed.user([{ offset: 0, length: 0, text: 'z' }], 'typing');
    assert.equal(step.stopStream, true);
    assert.equal(ed.session.phase, 'reviewing');
    assert.equal(ed.session.review!.segments.some((s) => s.kind === 'same' && s.unreached), false);
    // The model's last words change nothing now.
    ed.dispatch({ type: 'streamDelta', segments: [] });
    ed.dispatch({ type: 'streamEnd', review: proposalReview(d) });
    assert.equal(ed.buffer, 'za\nb\nB\nc\n');
    check(ed);
  });

  it('typing outside the region while the model writes lets it go on', () => {
    const ed = new Editor('top\na\nb\n');
    const start: Review = { startLine: 1, eol: '\n', finalEol: true, segments: segmentsFromHunks(['a', 'b'], [], { reachedOldLines: 0 }), collapsed: false };
    ed.dispatch({ type: 'start', doc: ed.buffer, review: start, originalText: 'a\nb\n', streaming: true });
    const step = ed.user([{ offset: 0, length: 0, text: 'x' }], 'typing');
    assert.equal(step.stopStream, undefined);
    assert.equal(ed.session.phase, 'streaming');
  });

  it('cancel restores the original and ends; a stop reviews what arrived; events that do not apply change nothing', () => {
    const d: ReviewDoc = { prefix: [], original: ['a', 'b'], proposal: ['A', 'b'], suffix: [], eol: '\n' };
    const ed = new Editor(docText(d, d.original));
    const start: Review = { startLine: 0, eol: '\n', finalEol: false, segments: segmentsFromHunks(d.original, [], { reachedOldLines: 0 }), collapsed: false };
    ed.dispatch({ type: 'start', doc: ed.buffer, review: start, originalText: 'a\nb', streaming: true });
    // Settling while streaming does nothing.
    const idle = ed.dispatch({ type: 'settle', verdict: 'accepted' });
    assert.equal(idle.edit, undefined);
    assert.equal(ed.session.phase, 'streaming');
    ed.dispatch({ type: 'streamDelta', segments: segmentsFromHunks(d.original, [{ oldStart: 0, oldLines: ['a'], newStart: 0, newLines: ['A'] }], { reachedOldLines: 1 }) });
    assert.equal(ed.buffer, 'a\nA\nb');
    const cancelled = ed.dispatch({ type: 'cancel' });
    assert.equal(cancelled.ended, 'cancelled');
    assert.equal(ed.buffer, 'a\nb');
    assert.equal(ed.session.phase, 'idle');
    for (const e of [{ type: 'cancel' }, { type: 'stop' }, { type: 'streamDelta', segments: [] }, { type: 'streamEnd', review: proposalReview(d) }, { type: 'settle', verdict: 'accepted' }, { type: 'saved' }, { type: 'close' }] as SessionEvent[]) {
      const s = reduce(ed.session, e);
      assert.equal(s.state, ed.session, e.type);
      assert.equal(s.edit, undefined);
      assert.equal(s.ended, undefined);
    }

    const ed2 = new Editor('a\nb');
    ed2.dispatch({ type: 'start', doc: ed2.buffer, review: start, originalText: 'a\nb', streaming: true });
    ed2.dispatch({ type: 'streamDelta', segments: segmentsFromHunks(d.original, [{ oldStart: 0, oldLines: ['a'], newStart: 0, newLines: ['A'] }], { reachedOldLines: 1 }) });
    ed2.dispatch({ type: 'stop' });
    assert.equal(ed2.session.phase, 'reviewing');
    assert.deepEqual(pendingIds(ed2.session), [0]);
    assert.equal(ed2.buffer, 'a\nA\nb');
    assert.equal(reduce(ed2.session, { type: 'stop' }).state, ed2.session);
    // A stream end after a stop keeps the review the user started on.
    assert.equal(reduce(ed2.session, { type: 'streamEnd', review: proposalReview(d) }).state, ed2.session);
  });

  it('settling one hunk settles that hunk only; reject all leaves accepted hunks accepted', () => {
    const d: ReviewDoc = { prefix: [], original: ['a', 'x', 'b', 'x', 'c'], proposal: ['A', 'x', 'B', 'x', 'C'], suffix: [], eol: '\n' };
    const ed = new Editor(docText(d, d.original));
    openReview(ed, d, false);
    const [h0, h1, h2] = pendingIds(ed.session);
    ed.dispatch({ type: 'settle', verdict: 'accepted', id: h1 });
    assert.deepEqual(pendingIds(ed.session), [h0, h2]);
    assert.equal(ed.buffer, 'a\nA\nx\nB\nx\nc\nC');
    // Settling an already settled hunk changes nothing.
    assert.equal(reduce(ed.session, { type: 'settle', verdict: 'rejected', id: h1 }).edit, undefined);
    ed.dispatch({ type: 'settle', verdict: 'rejected' });
    assert.equal(ed.buffer, 'a\nx\nB\nx\nc');
    ed.history('undo');
    ed.dispatch({ type: 'settle', verdict: 'accepted' });
    assert.equal(ed.buffer, 'A\nx\nB\nx\nC');
  });

  it('a save decided while an edit of ours is on its way writes the originals of the state that edit leads to (the autosave race)', () => {
    const d: ReviewDoc = { prefix: ['top'], original: ['a', 'x', 'b'], proposal: ['A', 'x', 'B'], suffix: ['end'], eol: '\n' };
    const ed = new Editor(docText(d, d.original));
    openReview(ed, d, false);
    const [h0] = pendingIds(ed.session);
    const before = ed.session;
    // Accept hunk 0: the reducer's step is decided, its edit not yet in the document, and an autosave comes.
    const settle = reduce(before, { type: 'settle', verdict: 'accepted', id: h0 });
    const plan = planSave(before, settle.state, before.doc)!;
    assert.ok(plan.whole, 'the text the save sees is not the one its edit will apply to');
    // The editor applies our edit first, then the save's, over the whole (new) document.
    const afterSettle = applyDocEdit(before.doc, settle.edit!);
    assert.equal(applyDocEdit(afterSettle, plan.edit), 'top\nA\nx\nb\nend');
    assert.equal(plan.state.doc, 'top\nA\nx\nb\nend');
    assert.ok(consistent(plan.state) && plan.state.review!.collapsed);
    // The old way, the settle's state ignored: the save's edit would write hunk 1's both versions once the settle landed.
    const stale = planSave(before, undefined, before.doc)!;
    assert.equal(stale.whole, false);
    assert.equal(textToSave(before), 'top\na\nx\nb\nend');
    // With nothing in flight the save is the reducer's own, at the smallest range.
    assert.deepEqual(stale.edit, reduce(before, { type: 'save' }).edit);
    // Our edit already in the document (its event not yet handled): the same as the settled state.
    assert.deepEqual(planSave(before, settle.state, settle.state.doc)!.edit, reduce(settle.state, { type: 'save' }).edit);
    // A text the review produced, after it ended: recognised by content.
    const ended = reduce(before, { type: 'close' }).state;
    assert.equal(applyDocEdit(ended.doc, planSave(ended, undefined, ended.doc)!.edit), 'top\na\nx\nb\nend');
    // Nothing pending: no edit.
    const all = reduce(before, { type: 'settle', verdict: 'accepted' }).state;
    assert.equal(planSave(all, undefined, all.doc), undefined);
    assert.equal(planSave(before, all, before.doc), undefined);
  });

  it('a second save while the first one\'s edit is still on its way (a cancelled automatic save): both edits, in either order and after more edits of ours, give the planned text', () => {
    const d: ReviewDoc = { prefix: ['top'], original: ['a', 'x', 'b'], proposal: ['A', 'x', 'B'], suffix: ['end'], eol: '\n' };
    const ed = new Editor(docText(d, d.original));
    openReview(ed, d, false);
    const shown = ed.session;
    const first = planSave(shown, undefined, shown.doc)!;
    assert.equal(first.whole, false);
    // The first save's edit has not landed; the next save sees the same text.
    const second = planSave(shown, undefined, shown.doc, first.state)!;
    assert.ok(second.whole);
    assert.equal(second.state, first.state);
    const landed = (text: string, ...edits: DocEdit[]): string => edits.reduce(applyDocEdit, text);
    // The second's whole edit is idempotent over the first's: whichever lands first, the text is the plan's.
    assert.equal(landed(shown.doc, first.edit, second.edit), first.state.doc);
    // Applied again on the text it produced, it changes nothing.
    assert.equal(landed(first.state.doc, second.edit), first.state.doc);
    // The old way (no plan known): the same offset edit twice would cut into the text.
    assert.notEqual(landed(shown.doc, first.edit, first.edit), first.state.doc);
    // The plan already landed: the session's own plan (nothing to do, it is collapsed).
    assert.equal(planSave(first.state, undefined, first.state.doc, first.state), undefined);
  });

  it('whatever is in flight, the text a save writes never holds a pending hunk', () => {
    fc.assert(
      fc.property(docArb, fc.array(fc.oneof(settleArb, historyArb), { maxLength: 8 }), settleArb, (d, actions, last) => {
        const ed = new Editor(docText(d, d.original));
        openReview(ed, d, false);
        for (const a of actions) act(ed, a, d);
        const ids = pendingIds(ed.session);
        const settle = reduce(ed.session, { type: 'settle', verdict: last.verdict, ...(last.all || ids.length === 0 ? {} : { id: ids[last.pick % ids.length] }) });
        for (const inflight of [undefined, settle.edit ? settle.state : undefined]) {
          const plan = planSave(ed.session, inflight, ed.buffer);
          const landed = inflight ? inflight.doc : ed.buffer;
          const written = plan ? applyDocEdit(landed, plan.edit) : landed;
          const found = findKnown((inflight ?? ed.session).known, written);
          assert.ok(!found || pendingCount(found.review) === 0 || found.review.collapsed || pendingHunksAreOneSided(found.review), 'a pending hunk written');
          if (plan) assert.equal(written, plan.state.doc);
        }
      }),
      { numRuns: runs(200) },
    );
  });

  it('save collapses pending hunks, saved shows them again; a save with nothing pending changes nothing', () => {
    const d: ReviewDoc = { prefix: [], original: ['a', 'b'], proposal: ['A', 'b'], suffix: ['z'], eol: '\n' };
    const ed = new Editor(docText(d, d.original));
    openReview(ed, d, false);
    const shown = ed.buffer;
    const s = ed.dispatch({ type: 'save' });
    assert.equal(ed.buffer, 'a\nb\nz');
    assert.equal(s.undoStop, false);
    assert.equal(ed.session.review!.collapsed, true);
    // Settling while collapsed works on the full review.
    const settled = reduce(ed.session, { type: 'settle', verdict: 'accepted', id: 0 });
    assert.equal(settled.state.doc, 'A\nb\nz');
    ed.dispatch({ type: 'saved' });
    assert.equal(ed.buffer, shown);
    assert.equal(reduce(ed.session, { type: 'saved' }).state, ed.session);
    ed.dispatch({ type: 'settle', verdict: 'accepted' });
    assert.equal(reduce(ed.session, { type: 'save' }).state, ed.session);
    assert.equal(textToSave(ed.session), 'A\nb\nz');
  });

  it('a save while the model writes writes the original text; the stream goes on collapsed and ends expanded after the save', () => {
    const d: ReviewDoc = { prefix: [], original: ['a', 'b'], proposal: ['A', 'b'], suffix: [''], eol: '\n' };
    const ed = new Editor('a\nb\n');
    const start: Review = { startLine: 0, eol: '\n', finalEol: true, segments: segmentsFromHunks(d.original, [], { reachedOldLines: 0 }), collapsed: false };
    ed.dispatch({ type: 'start', doc: ed.buffer, review: start, originalText: 'a\nb\n', streaming: true });
    ed.dispatch({ type: 'streamDelta', segments: segmentsFromHunks(d.original, [{ oldStart: 0, oldLines: ['a'], newStart: 0, newLines: ['A'] }], { reachedOldLines: 1 }) });
    ed.dispatch({ type: 'save' });
    assert.equal(ed.buffer, 'a\nb\n');
    ed.dispatch({ type: 'streamEnd', review: proposalReview(d) });
    assert.equal(ed.buffer, 'a\nb\n');
    assert.equal(ed.session.phase, 'reviewing');
    ed.dispatch({ type: 'saved' });
    assert.equal(ed.buffer, 'a\nA\nb\n');
  });

  it('a save while the model writes with nothing proposed yet still recognises the streaming state', () => {
    const ed = new Editor('a\nb\n');
    const start: Review = { startLine: 0, eol: '\n', finalEol: true, segments: segmentsFromHunks(['a', 'b'], [], { reachedOldLines: 0 }), collapsed: false };
    ed.dispatch({ type: 'start', doc: ed.buffer, review: start, originalText: 'a\nb\n', streaming: true });
    const s = reduce(ed.session, { type: 'save' });
    assert.equal(s.state.doc, 'a\nb\n');
    assert.equal(s.state.review!.collapsed, true);
  });

  it('close ends the review and keeps the text; reopening a text the review produced restores it', () => {
    const d: ReviewDoc = { prefix: [], original: ['a'], proposal: ['b'], suffix: [], eol: '\n' };
    const ed = new Editor(docText(d, d.original));
    openReview(ed, d, false);
    const closed = ed.dispatch({ type: 'close' });
    assert.equal(closed.ended, 'closed');
    assert.equal(ed.session.phase, 'idle');
    assert.equal(ed.buffer, 'a\nb');
    const restored = reduce(idleSession(), { type: 'restore', doc: 'a\nb', candidates: ed.session.known, originalText: 'a' });
    assert.equal(restored.restored, true);
    assert.equal(restored.state.phase, 'reviewing');
    assert.equal(restored.state.originalText, 'a');
    const clean = reduce(idleSession(), { type: 'restore', doc: 'a', candidates: ed.session.known, originalText: 'a' });
    assert.equal(clean.state.phase, 'idle');
    assert.equal(clean.restored, undefined);
    const other = reduce(idleSession(), { type: 'restore', doc: 'zzz', candidates: ed.session.known, originalText: 'a' });
    assert.equal(other.state.phase, 'idle');
  });

  it('an undo outside the region that lands on no known text keeps the review; inside it, the review ends and decides nothing', () => {
    const d: ReviewDoc = { prefix: ['top'], original: ['a', 'b', 'c'], proposal: ['A', 'b', 'c'], suffix: ['end'], eol: '\n' };
    const ed = new Editor(docText(d, d.original));
    openReview(ed, d, false);
    // An "undo" of typing from before the review, above it.
    const above = ed.user([{ offset: 0, length: 1, text: '' }], 'undo');
    assert.equal(above.state.phase, 'reviewing');
    check(ed);
    // An "undo" that removes the proposed line (as undoing the edit that showed it after a save would):
    // no hunk is accepted with an empty text, no original line goes.
    const before = ed.buffer;
    const at = ed.buffer.indexOf('A\n');
    const inside = ed.user([{ offset: at, length: 2, text: '' }], 'undo');
    assert.equal(inside.ended, 'undone');
    assert.equal(inside.decided, undefined);
    assert.equal(ed.session.phase, 'idle');
    assert.equal(ed.buffer, before.replace('A\n', ''));
    check(ed);
    // Typing the same change is folded: it accepts the hunk with the typed (empty) text.
    const ed2 = new Editor(docText(d, d.original));
    openReview(ed2, d, false);
    const typed = ed2.user([{ offset: ed2.buffer.indexOf('A\n'), length: 1, text: 'Z' }], 'typing');
    assert.deepEqual(typed.decided, [{ id: 0, state: 'accepted' }]);
  });

  it('an undo while the model writes that lands on no known text stops the stream and ends the review', () => {
    const ed = new Editor('a\nb\n');
    const start: Review = { startLine: 0, eol: '\n', finalEol: true, segments: segmentsFromHunks(['a', 'b'], [], { reachedOldLines: 0 }), collapsed: false };
    ed.dispatch({ type: 'start', doc: ed.buffer, review: start, originalText: 'a\nb\n', streaming: true });
    const step = ed.user([{ offset: 0, length: 1, text: '' }], 'undo');
    assert.equal(step.stopStream, true);
    assert.equal(step.ended, 'undone');
  });

  it('an edit that replaces the whole region ends the review as lost', () => {
    const ed = new Editor('a\nb');
    const d: ReviewDoc = { prefix: [], original: ['a'], proposal: ['b'], suffix: ['b'], eol: '\n' };
    openReview(ed, d, false);
    const step = ed.user([{ offset: 0, length: ed.buffer.length, text: 'gone' }], 'paste');
    assert.equal(step.ended, 'lost');
    assert.equal(ed.session.phase, 'idle');
    // Pasting the review's text back brings the review back.
    const back = ed.user([{ offset: 0, length: 4, text: 'a\nb\nb' }], 'paste');
    assert.equal(back.restored, true);
    assert.equal(ed.session.phase, 'reviewing');
  });

  it('the memory is bounded: streaming states have their own budget, the newest are kept', () => {
    let session = reduce(idleSession('a\n'), { type: 'start', doc: 'a\n', review: { startLine: 0, eol: '\n', finalEol: true, segments: segmentsFromHunks(['a'], [], { reachedOldLines: 0 }), collapsed: false }, originalText: 'a\n', streaming: true }).state;
    for (let i = 0; i < 40; i++) {
      session = reduce(session, { type: 'streamDelta', segments: segmentsFromHunks(['a'], [{ oldStart: 0, oldLines: [], newStart: 0, newLines: [`n${i}`] }], { reachedOldLines: 0 }) }).state;
    }
    assert.equal(session.known.filter((k) => k.streaming).length, MAX_KNOWN_STREAMING);
    assert.equal(session.known[0].text, 'n39\na\n');
    // The state before the review is never pushed out by streaming states.
    assert.ok(session.known.some((k) => !k.streaming && k.text === 'a\n'));
    // A review with an unchanged first line, typed into again and again.
    const review = createReview({ startLine: 0, originalText: 'a\nb\n', proposalText: 'a\nB\n', eol: '\n', finalEol: true });
    session = reduce(session, { type: 'cancel' }).state;
    session = reduce(session, { type: 'start', doc: 'a\nb\nB\n', review, originalText: 'a\nb\n', streaming: false }).state;
    for (let i = 0; i < MAX_KNOWN + 10; i++) {
      session = reduce(session, { type: 'userEdit', changes: [{ offset: 0, length: 0, text: 'x' }], reason: 'typing' }).state;
    }
    assert.equal(session.known.length, MAX_KNOWN);
    assert.ok(session.known[0].text.startsWith('x'.repeat(MAX_KNOWN + 10)));
  });

  it('what a step says besides its state: restored, ended, stopStream', () => {
    const d: ReviewDoc = { prefix: ['top'], original: ['a', 'x', 'b'], proposal: ['A', 'x', 'B'], suffix: ['end'], eol: '\n' };
    const ed = new Editor(docText(d, d.original));
    openReview(ed, d, false);
    const [h0] = pendingIds(ed.session);
    ed.dispatch({ type: 'settle', verdict: 'accepted', id: h0 });
    // Undo a settle while the review is open: the earlier state comes back.
    let step = ed.history('undo')!;
    assert.deepEqual([step.restored, step.ended, step.stopStream], [true, undefined, false]);
    assert.equal(ed.session.phase, 'reviewing');
    // Accept all, then undo with no review open: it comes back.
    ed.dispatch({ type: 'settle', verdict: 'accepted' });
    step = ed.history('undo')!;
    assert.deepEqual([step.restored, step.ended, step.stopStream], [true, undefined, false]);
    // Redo with the review open: a state without pending hunks ends it as undone.
    step = ed.history('redo')!;
    assert.deepEqual([step.restored, step.ended, step.stopStream], [undefined, 'undone', false]);
    // Undo, undo past the start with the review open: undone; once more with none open: nothing ends.
    ed.history('undo');
    step = ed.history('undo')!;
    assert.equal(ed.buffer, docText(d, d.original));
    assert.equal(step.ended, 'undone');
    const idle = ed.session;
    step = reduce(idle, { type: 'userEdit', changes: [{ offset: 0, length: idle.doc.length, text: idle.doc }], reason: 'undo' });
    assert.equal(step.ended, undefined, 'nothing was open');
  });

  it('while the model writes: an undo to the original, a lost region and typing outside say what the stream must do', () => {
    const d: ReviewDoc = { prefix: ['top'], original: ['a', 'b'], proposal: ['A', 'B'], suffix: ['end'], eol: '\n' };
    const ed = new Editor(docText(d, d.original));
    startStream(ed, d);
    const streaming = ed.session;
    // Typing outside the region: the stream goes on; the state is remembered as a streaming one.
    const outside = reduce(streaming, { type: 'userEdit', changes: [{ offset: 0, length: 0, text: 'T' }], reason: 'typing' });
    assert.equal(outside.state.phase, 'streaming');
    assert.equal(outside.stopStream, undefined);
    assert.equal(outside.state.known[0].streaming, true);
    // The stream's whole undo element undone: the original, no review, the stream stops.
    const undo = reduce(streaming, { type: 'userEdit', changes: [{ offset: 0, length: streaming.doc.length, text: docText(d, d.original) }], reason: 'undo' });
    assert.deepEqual([undo.state.phase, undo.ended, undo.stopStream], ['idle', 'undone', true]);
    // The whole region replaced: lost, and the stream stops.
    const lost = reduce(streaming, { type: 'userEdit', changes: [{ offset: 0, length: streaming.doc.length, text: 'gone' }], reason: 'paste' });
    assert.deepEqual([lost.state.phase, lost.ended, lost.stopStream], ['idle', 'lost', true]);
    // The same while reviewing: lost, nothing to stop; typing inside decides a hunk and stops nothing.
    ed.dispatch({ type: 'streamEnd', review: proposalReview(d) });
    const reviewing = ed.session;
    const lost2 = reduce(reviewing, { type: 'userEdit', changes: [{ offset: 0, length: reviewing.doc.length, text: 'gone' }], reason: 'paste' });
    assert.deepEqual([lost2.ended, lost2.stopStream], ['lost', false]);
    const typed = reduce(reviewing, { type: 'userEdit', changes: [{ offset: lineOffset(reviewing.doc, 2), length: 0, text: '!' }], reason: 'typing' });
    assert.equal(typed.stopStream, undefined);
    assert.equal(typed.decided?.length, 1);
    const outside2 = reduce(reviewing, { type: 'userEdit', changes: [{ offset: 0, length: 0, text: 'T' }], reason: 'typing' });
    assert.equal(outside2.state.known[0].streaming, false);
  });

  it('a session is consistent only when the document holds the review where it says', () => {
    const d: ReviewDoc = { prefix: ['top'], original: ['a'], proposal: ['A'], suffix: ['end'], eol: '\n' };
    const ed = new Editor(docText(d, d.original));
    openReview(ed, d, false);
    const s = ed.session;
    assert.equal(consistent(s), true);
    assert.equal(consistent({ ...s, doc: 'top\nzzz\nend' }), false);
    assert.equal(consistent({ ...s, doc: 'top' }), false);
    // No final EOL: the region must end the document.
    const tail: Session = { ...s, doc: 'top\na\nA', review: { ...s.review!, finalEol: false } };
    assert.equal(consistent(tail), true);
    assert.equal(consistent({ ...tail, doc: 'top\na\nAmore' }), false);
    assert.deepEqual(idleSession('x'), { phase: 'idle', doc: 'x', review: undefined, originalText: '', known: [] });
  });

  it('a save sees a text other than the session’s: the known state it is decides', () => {
    const d: ReviewDoc = { prefix: ['top'], original: ['a', 'x', 'b'], proposal: ['A', 'x', 'B'], suffix: ['end'], eol: '\n' };
    const ed = new Editor(docText(d, d.original));
    openReview(ed, d, false);
    const both = ed.session.doc;
    const [h0] = pendingIds(ed.session);
    ed.dispatch({ type: 'settle', verdict: 'accepted', id: h0 });
    const plan = planSave(ed.session, undefined, both)!;
    assert.equal(plan.whole, false);
    assert.equal(applyDocEdit(both, plan.edit), 'top\na\nx\nb\nend');
  });

  it('positions and offsets', () => {
    assert.deepEqual(positionAt('\nab', 2), { line: 1, character: 1 });
    assert.equal(lineOffset('ab\ncd\r\nef', 0), 0);
    assert.equal(lineOffset('ab\ncd\r\nef', 1), 3);
    assert.equal(lineOffset('ab\ncd\r\nef', 2), 7);
    assert.equal(lineOffset('ab\ncd\r\nef', 3), -1);
    assert.deepEqual(positionAt('ab\ncd\r\nef', 0), { line: 0, character: 0 });
    assert.deepEqual(positionAt('ab\ncd\r\nef', 2), { line: 0, character: 2 });
    assert.deepEqual(positionAt('ab\ncd\r\nef', 3), { line: 1, character: 0 });
    assert.deepEqual(positionAt('ab\ncd\r\nef', 6), { line: 1, character: 3 });
    assert.deepEqual(positionAt('ab\ncd\r\nef', 9), { line: 2, character: 2 });
    assert.equal(applyDocEdit('hello', { offset: 1, length: 3, text: 'EY' }), 'hEYo');
  });

  it('a region without a final EOL is only recognised at the end of the document', () => {
    const d: ReviewDoc = { prefix: [], original: ['a'], proposal: ['b'], suffix: [], eol: '\n' };
    const ed = new Editor('a');
    openReview(ed, d, false);
    assert.ok(findKnown(ed.session.known, 'a\nb'));
    assert.equal(findKnown(ed.session.known, 'a\nb\nmore'), undefined);
    assert.equal(proposalLines('', true).length, 0);
  });
});
