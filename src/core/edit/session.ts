/**
 * The review session of one document as a reducer: events in, the next state and the minimal text edit
 * out. The editor layer turns VS Code events into these events and applies the edits; it decides nothing.
 *
 * The state knows the document text (`doc`) as it is after the edit it returns has been applied, so
 * "the buffer equals the review's rendering" is a property of the state alone (`consistent`).
 *
 * VS Code's undo stack is outside the extension's control, so review states are recognised by content:
 * every state the review produced is remembered (bounded, newest first) with the text it rendered.
 * Any change of the document (an undo or redo above all) that brings the text back to one of them
 * brings that state back: a hunk accepted and then undone is pending again, with its colours and
 * lenses; undoing past the start of the review gives the original text and no review. The save
 * participant uses the same memory, so a text holding a pending hunk is never written as is, also
 * after the review ended.
 */
import { applyUserChange, minimalEdit, pendingCount, renderText, settleAll, settleHunk, withoutUnreached, type Review, type Segment } from './review';

export type Phase = 'idle' | 'streaming' | 'reviewing';
export type EditReason = 'typing' | 'paste' | 'undo' | 'redo' | 'other';
export type Verdict = 'accepted' | 'rejected';

/** An edit of the whole document, in character offsets of the text before it. */
export interface DocEdit {
  offset: number;
  length: number;
  text: string;
}

/** A state the review produced, with the region text it rendered. */
export interface KnownState {
  review: Review;
  text: string;
  /** Produced while the model was writing. */
  streaming: boolean;
  /** Characters of the document before and after the region then: the region's extent is part of the state. */
  before: number;
  after: number;
}

export interface Session {
  phase: Phase;
  /** The document's text (after the returned edit). */
  doc: string;
  /** The open review (streaming or reviewing); undefined when idle. */
  review: Review | undefined;
  /** The region's text before the review. */
  originalText: string;
  /** States the review produced, newest first. */
  known: KnownState[];
}

export type SessionEvent =
  /** A review starts over a region of `doc`; `review` renders exactly the region's current text. */
  | { type: 'start'; doc: string; review: Review; originalText: string; streaming: boolean }
  /** The model's reply so far, folded into segments (see streamSegments). */
  | { type: 'streamDelta'; segments: Segment[] }
  /** The reply is complete: `review` is the proper diff. */
  | { type: 'streamEnd'; review: Review }
  /** The user edited the region while the model was writing: review what arrived. */
  | { type: 'stop' }
  /** Cancelled or failed: the original text comes back and the review ends. */
  | { type: 'cancel' }
  /** The document changed and the change was not ours. */
  | { type: 'userEdit'; changes: DocEdit[]; reason: EditReason }
  /** Accept or reject one hunk (id) or every pending hunk (no id). */
  | { type: 'settle'; verdict: Verdict; id?: number }
  /** The document is about to be saved: pending hunks show only their original lines. */
  | { type: 'save' }
  /** The save is over: pending hunks show both versions again. */
  | { type: 'saved' }
  /** The document was closed (or its editor went away with a save): the review ends as the text is. */
  | { type: 'close' }
  /** After a window reload: the document came back with `doc`; `candidates` are the persisted states. */
  | { type: 'restore'; doc: string; candidates: KnownState[]; originalText: string };

export type EndReason = 'settled' | 'lost' | 'cancelled' | 'closed' | 'undone';

export interface Step {
  state: Session;
  /** The edit to apply to the document (offsets in the text before it). */
  edit?: DocEdit;
  /** The edit is a step of its own in the undo stack (a settle). */
  undoStop: boolean;
  /** The review ended with this event. */
  ended?: EndReason;
  /** The review came back (an undo, a redo, a reload, a paste brought back a known text). */
  restored?: boolean;
  /** The model must stop writing: the user edited the text under review. */
  stopStream?: boolean;
  /**
   * Hunks the user's edit decided (typing in a hunk's proposed lines accepts it, in its original lines
   * rejects it): the caller sends a settle event for each.
   */
  decided?: { id: number; state: Verdict }[];
}

/** Most review states remembered; streaming states have their own, smaller, budget. */
export const MAX_KNOWN = 200;
export const MAX_KNOWN_STREAMING = 16;

export function idleSession(doc = ''): Session {
  return { phase: 'idle', doc, review: undefined, originalText: '', known: [] };
}

/** Offset of the start of `line` in `text`, or -1 when the text has fewer lines. */
export function lineOffset(text: string, line: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return -1;
    offset = nl + 1;
  }
  return offset;
}

/** Line and character of `offset` in `text` (lines end at "\n"; a "\r" before it counts in the line). */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    line++;
    start = nl + 1;
  }
  return { line, character: offset - start };
}

export function applyDocEdit(text: string, edit: DocEdit): string {
  return text.slice(0, edit.offset) + edit.text + text.slice(edit.offset + edit.length);
}

/** True when the document holds `text` as a whole-line region starting at `startLine`. */
function holdsAt(doc: string, startLine: number, text: string, finalEol: boolean): boolean {
  const offset = lineOffset(doc, startLine);
  if (offset < 0 || !doc.startsWith(text, offset)) return false;
  // A region without a final EOL runs to the end of the document.
  return finalEol || offset + text.length === doc.length;
}

function isKnownText(doc: string, k: KnownState): boolean {
  return doc.length === k.before + k.text.length + k.after && lineOffset(doc, k.review.startLine) === k.before && doc.startsWith(k.text, k.before);
}

/** The region's text in the document equals the review's rendering. */
export function consistent(session: Session): boolean {
  const r = session.review;
  return !r || holdsAt(session.doc, r.startLine, renderText(r), r.finalEol);
}

/** The newest known state the document text is the rendering of. */
export function findKnown(known: readonly KnownState[], doc: string): KnownState | undefined {
  return known.find((k) => isKnownText(doc, k));
}

function remember(known: readonly KnownState[], review: Review, streaming: boolean, doc: string): KnownState[] {
  // A collapsed review (during a save) is not a state to come back to: its text is the save's.
  if (review.collapsed) return [...known];
  const text = renderText(review);
  const before = lineOffset(doc, review.startLine);
  const entry: KnownState = { review, text, streaming, before, after: doc.length - before - text.length };
  const rest = known.filter((k) => !(k.text === text && k.before === entry.before && k.after === entry.after));
  const out: KnownState[] = [entry];
  let streamingKept = streaming ? 1 : 0;
  for (const k of rest) {
    if (out.length >= MAX_KNOWN) break;
    if (k.streaming) {
      if (streamingKept >= MAX_KNOWN_STREAMING) continue;
      streamingKept++;
    }
    out.push(k);
  }
  return out;
}

/** The review with its text rendered at the region's start: the edit from the current text to it. */
function regionEdit(doc: string, from: Review, to: Review): DocEdit | undefined {
  const edit = minimalEdit(renderText(from), renderText(to));
  if (!edit) return undefined;
  const start = lineOffset(doc, from.startLine);
  return { offset: start + edit.offset, length: edit.length, text: edit.text };
}

/**
 * Moves the open review to `next` (same region start): the edit, the new document, the memory. A
 * review left without pending hunks (and not streaming) is over.
 */
function moveTo(session: Session, next: Review, phase: 'streaming' | 'reviewing', undoStop: boolean): Step {
  const current = session.review!;
  const target: Review = { ...next, startLine: current.startLine };
  const edit = regionEdit(session.doc, current, target);
  const doc = edit ? applyDocEdit(session.doc, edit) : session.doc;
  const known = remember(session.known, target, phase === 'streaming', doc);
  if (phase === 'reviewing' && pendingCount(target) === 0) {
    return { state: { ...session, phase: 'idle', doc, review: undefined, known }, edit, undoStop, ended: 'settled' };
  }
  return { state: { ...session, phase, doc, review: target, known }, edit, undoStop };
}

function unchanged(session: Session): Step {
  return { state: session, undoStop: false };
}

/** A known state brought back: reviewing while it has pending hunks, idle otherwise. */
function bringBack(session: Session, doc: string, found: KnownState): Step {
  const review = withoutUnreached(found.review);
  const wasOpen = session.phase !== 'idle';
  const stopStream = session.phase === 'streaming';
  if (pendingCount(review) === 0) {
    return { state: { ...session, phase: 'idle', doc, review: undefined }, undoStop: false, ...(wasOpen ? { ended: 'undone' as const } : {}), stopStream };
  }
  return { state: { ...session, phase: 'reviewing', doc, review }, undoStop: false, restored: !wasOpen || session.review !== found.review, stopStream };
}

function userEdit(session: Session, changes: readonly DocEdit[], reason: EditReason): Step {
  let doc = session.doc;
  let review = session.review;
  let inside = false;
  let lost = false;
  const settle: { id: number; state: Verdict }[] = [];
  for (const change of changes) {
    if (review && !lost) {
      const start = positionAt(doc, change.offset);
      const end = positionAt(doc, change.offset + change.length);
      const outcome = applyUserChange(review, {
        startLine: start.line,
        startCharacter: start.character,
        endLine: end.line,
        endCharacter: end.character,
        text: change.text,
      });
      if (outcome.kind === 'ended') lost = true;
      else {
        review = outcome.review;
        if (outcome.kind === 'inside') {
          inside = true;
          settle.push(...outcome.settle);
        }
      }
    }
    doc = applyDocEdit(doc, change);
  }

  // An undo or redo is recognised by the text it leaves; so is any other change that lands on a known state.
  const history = reason === 'undo' || reason === 'redo';
  if (history || session.phase === 'idle') {
    const found = findKnown(session.known, doc);
    if (found) return bringBack(session, doc, found);
  }
  if (session.phase === 'idle') return { state: { ...session, doc }, undoStop: false };

  const folded: Session = { ...session, doc, review };
  if (history && (inside || lost)) {
    // An undo or redo inside the region that lands on no state the review produced (a save's edit, a
    // state forgotten): it decides nothing. The review ends; the text stays as the editor made it.
    return { state: { ...session, phase: 'idle', doc, review: undefined }, undoStop: false, ended: 'undone', ...(session.phase === 'streaming' ? { stopStream: true } : {}) };
  }
  if (lost || !consistent(folded)) {
    const found = findKnown(session.known, doc);
    if (found) return bringBack(session, doc, found);
    return { state: { ...session, phase: 'idle', doc, review: undefined }, undoStop: false, ended: 'lost', stopStream: session.phase === 'streaming' };
  }
  if (!inside) return { state: { ...folded, known: remember(session.known, review!, session.phase === 'streaming', doc) }, undoStop: false };

  // The user edited the text under review: the model stops writing, what arrived is reviewed. The hunks
  // the edit decided are settled by the caller, each as its own step (see Step.decided).
  const step = moveTo(folded, withoutUnreached(review!), 'reviewing', false);
  return { ...step, ...(settle.length ? { decided: settle } : {}), ...(session.phase === 'streaming' ? { stopStream: true } : {}) };
}

export function reduce(session: Session, event: SessionEvent): Step {
  switch (event.type) {
    case 'start': {
      const phase = event.streaming ? 'streaming' : 'reviewing';
      const state: Session = {
        phase,
        doc: event.doc,
        review: event.review,
        originalText: event.originalText,
        // The text before the review is a known state without a review: undoing back to it ends the review.
        known: remember(session.known, event.review, false, event.doc),
      };
      return { state, undoStop: false };
    }
    case 'streamDelta': {
      if (session.phase !== 'streaming') return unchanged(session);
      const review = session.review!;
      return moveTo(session, { ...review, segments: event.segments }, 'streaming', false);
    }
    case 'streamEnd': {
      if (session.phase === 'idle') return unchanged(session);
      const review = session.review!;
      if (session.phase === 'reviewing' && pendingCount(review) > 0) return unchanged(session);
      return moveTo(session, { ...event.review, collapsed: review.collapsed }, 'reviewing', false);
    }
    case 'stop': {
      if (session.phase !== 'streaming') return unchanged(session);
      return moveTo(session, withoutUnreached(session.review!), 'reviewing', false);
    }
    case 'cancel': {
      if (session.phase === 'idle') return unchanged(session);
      const step = moveTo(session, settleAll(withoutUnreached({ ...session.review!, collapsed: false }), 'rejected'), 'reviewing', false);
      return { ...step, ended: 'cancelled' };
    }
    case 'userEdit':
      return userEdit(session, event.changes, event.reason);
    case 'settle': {
      if (session.phase !== 'reviewing') return unchanged(session);
      const review = { ...session.review!, collapsed: false };
      const next = event.id === undefined ? settleAll(review, event.verdict) : settleHunk(review, event.id, event.verdict);
      return moveTo(session, next, 'reviewing', true);
    }
    case 'save': {
      let current = session;
      if (session.phase === 'idle') {
        // A text with pending hunks and no review shown (a restore that has not run yet): recognise it.
        const found = findKnown(session.known, session.doc);
        if (!found || pendingCount(found.review) === 0) return unchanged(session);
        current = { ...session, phase: 'reviewing', review: withoutUnreached(found.review) };
      }
      const review = current.review!;
      if (pendingCount(review) === 0 && !review.segments.some((s) => s.kind === 'same' && s.unreached)) return unchanged(current);
      return moveTo(current, { ...review, collapsed: true }, current.phase as 'streaming' | 'reviewing', false);
    }
    case 'saved': {
      if (session.phase === 'idle' || !session.review!.collapsed) return unchanged(session);
      return moveTo(session, { ...session.review!, collapsed: false }, session.phase, false);
    }
    case 'close': {
      if (session.phase === 'idle') return unchanged(session);
      return { state: { ...session, phase: 'idle', review: undefined }, undoStop: false, ended: 'closed' };
    }
    case 'restore': {
      const known = event.candidates.filter((k) => !k.review.collapsed);
      const found = findKnown(known, event.doc);
      const state: Session = { ...session, doc: event.doc, originalText: event.originalText, known };
      if (!found || pendingCount(withoutUnreached(found.review)) === 0) return { state: { ...state, phase: 'idle', review: undefined }, undoStop: false };
      return { state: { ...state, phase: 'reviewing', review: withoutUnreached(found.review) }, undoStop: false, restored: true };
    }
  }
}

/** The save participant's answer: the edit to hand to the save, and the state the document is in after it. */
export interface SavePlan {
  state: Session;
  edit: DocEdit;
  /**
   * The edit replaces the whole document: an edit of ours is on its way into the document and lands
   * before the save's edit, so no offset of the text the save sees is right; the whole text is.
   */
  whole: boolean;
}

/**
 * What a save must do, decided at once from the document's `text` as the save sees it (VS Code stops
 * waiting for a save participant after 1.5 s under load, and drops its edits if the document changed
 * meanwhile — our own edits included — so waiting for our queue could let both versions reach the disk).
 * `inflight` is the state our edit still on its way leads to: it reaches the document before the save's
 * edit, so the save writes the originals of that state's pending hunks. Otherwise the session's state
 * when it is the text's, else the known state the text is (a text the review produced after it ended).
 */
export function planSave(session: Session, inflight: Session | undefined, text: string, planned?: Session): SavePlan | undefined {
  if (planned && text !== planned.doc) {
    // An earlier save's edit is still on its way (VS Code applies it later, or after cancelling that save):
    // this save's edit must give the same text whether it lands before or after that one, on whatever text
    // is there then. Only the whole document replaced by the planned text does.
    return { state: planned, edit: { offset: 0, length: text.length, text: planned.doc }, whole: true };
  }
  if (inflight && text !== inflight.doc) {
    const step = reduce(inflight, { type: 'save' });
    return step.edit ? { state: step.state, edit: { offset: 0, length: inflight.doc.length, text: step.state.doc }, whole: true } : undefined;
  }
  const base = inflight ?? (text === session.doc ? session : { ...session, phase: 'idle' as const, review: undefined, doc: text });
  const step = reduce(base, { type: 'save' });
  return step.edit ? { state: step.state, edit: step.edit, whole: false } : undefined;
}

/**
 * The text a save must write for `doc`: the originals of the pending hunks of the review it shows, or
 * of the known state it is. Used by tests and by the save participant's safety check.
 */
export function textToSave(session: Session): string {
  return reduce({ ...session }, { type: 'save' }).state.doc;
}
