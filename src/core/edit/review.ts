/**
 * The state of one inline review, as plain data, and the algebra on it.
 *
 * A review covers a region of whole lines of a document. While it is open the document shows, for
 * every pending hunk, the original lines (red) followed by the proposed lines (green); an accepted
 * hunk shows only its proposed lines, a rejected one only its original lines. The document text of
 * the region is always exactly `renderText(review)`: the editor layer keeps it so with one minimal
 * replace edit per change (see `syncEdit`).
 *
 * Lines here carry no terminators: the region is rendered with the document's EOL and, when the region
 * does not end at the document's last line, a final EOL. VS Code keeps one EOL per document, so this is
 * byte-exact, and rejecting every hunk renders the original region text again, byte for byte.
 */
import { diffLineArrays, type LineHunk } from './diff';

export type Eol = '\n' | '\r\n';
export type HunkState = 'pending' | 'accepted' | 'rejected';

export interface SameSegment {
  kind: 'same';
  lines: string[];
  /** Original lines the stream has not reached yet (shown plainly while the model is writing). */
  unreached?: boolean;
}

export interface HunkSegment {
  kind: 'hunk';
  id: number;
  state: HunkState;
  oldLines: string[];
  newLines: string[];
}

export type Segment = SameSegment | HunkSegment;

export interface Review {
  /** First document line of the region. */
  startLine: number;
  eol: Eol;
  /** True when the region is followed by more document text (its last line has a terminator). */
  finalEol: boolean;
  segments: Segment[];
  /**
   * While the document is being saved, pending hunks show only their original lines so the file on
   * disk never holds both versions. Cleared when the save is over.
   */
  collapsed: boolean;
}

/** One visible line's owner, for decorations, CodeLens and mapping user edits. */
export type LinePart = 'same' | 'unreached' | 'old' | 'new';

export interface RenderedHunk {
  id: number;
  state: HunkState;
  /** Region-relative line numbers, end exclusive. An empty part has start === end. */
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

export interface Rendered {
  lines: string[];
  text: string;
  /** Per visible line: which segment it belongs to and which part. */
  owners: { segment: number; part: LinePart }[];
  /** Pending hunks only, in document order. */
  hunks: RenderedHunk[];
}

/** Splits a proposal into terminator-less lines that fit a region with the given final-EOL rule. */
export function proposalLines(text: string, finalEol: boolean): string[] {
  if (finalEol) {
    if (text === '') return [];
    const stripped = text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
    return stripped.split(/\r?\n/);
  }
  return text.split(/\r?\n/);
}

/** Region text from terminator-less lines. */
export function joinRegion(lines: readonly string[], eol: Eol, finalEol: boolean): string {
  if (lines.length === 0) return '';
  return lines.join(eol) + (finalEol ? eol : '');
}

/** Segments for `original` vs a set of hunks over it (hunks in order, from diffLineArrays). */
export function segmentsFromHunks(
  original: readonly string[],
  hunks: readonly LineHunk[],
  options: { firstId?: number; reachedOldLines?: number } = {},
): Segment[] {
  const segments: Segment[] = [];
  let id = options.firstId ?? 0;
  let cursor = 0;
  const reached = options.reachedOldLines ?? original.length;
  // Plain runs alternate with hunks, and the reached run with the unreached one: never two to merge.
  const pushSame = (lines: string[], unreached = false): void => {
    if (lines.length > 0) segments.push(unreached ? { kind: 'same', lines, unreached } : { kind: 'same', lines });
  };
  for (const hunk of hunks) {
    pushSame(original.slice(cursor, hunk.oldStart));
    segments.push({ kind: 'hunk', id: id++, state: 'pending', oldLines: [...hunk.oldLines], newLines: [...hunk.newLines] });
    cursor = hunk.oldStart + hunk.oldLines.length;
  }
  pushSame(original.slice(cursor, Math.max(cursor, reached)));
  pushSame(original.slice(Math.max(cursor, reached)), true);
  return segments;
}

/** A finished review of `originalText` (the region's text) against `proposalText`. */
export function createReview(args: {
  startLine: number;
  originalText: string;
  proposalText: string;
  eol: Eol;
  finalEol: boolean;
}): Review {
  const original = proposalLines(args.originalText, args.finalEol);
  const proposal = proposalLines(args.proposalText, args.finalEol);
  return {
    startLine: args.startLine,
    eol: args.eol,
    finalEol: args.finalEol,
    segments: segmentsFromHunks(original, diffLineArrays(original, proposal)),
    collapsed: false,
  };
}

export function render(review: Review): Rendered {
  const lines: string[] = [];
  const owners: Rendered['owners'] = [];
  const hunks: RenderedHunk[] = [];
  review.segments.forEach((segment, index) => {
    const push = (part: LinePart, from: readonly string[]): void => {
      for (const line of from) {
        lines.push(line);
        owners.push({ segment: index, part });
      }
    };
    if (segment.kind === 'same') {
      push(segment.unreached ? 'unreached' : 'same', segment.lines);
      return;
    }
    if (segment.state === 'pending') {
      const oldStart = lines.length;
      push('old', segment.oldLines);
      const newStart = lines.length;
      if (!review.collapsed) push('new', segment.newLines);
      hunks.push({ id: segment.id, state: segment.state, oldStart, oldEnd: newStart, newStart, newEnd: lines.length });
    } else {
      push('same', segment.state === 'accepted' ? segment.newLines : segment.oldLines);
    }
  });
  return { lines, text: joinRegion(lines, review.eol, review.finalEol), owners, hunks };
}

export function renderText(review: Review): string {
  return render(review).text;
}

export function pendingCount(review: Review): number {
  let n = 0;
  for (const s of review.segments) if (s.kind === 'hunk' && s.state === 'pending') n++;
  return n;
}

export function isStreaming(review: Review): boolean {
  return review.segments.some((s) => s.kind === 'same' && s.unreached);
}

function mapHunks(review: Review, f: (h: HunkSegment) => HunkSegment): Review {
  return { ...review, segments: review.segments.map((s) => (s.kind === 'hunk' ? f(s) : s)) };
}

/** The review with the not-yet-reached original lines made plain (the stream is over). */
export function withoutUnreached(review: Review): Review {
  return { ...review, segments: review.segments.map((s) => (s.kind === 'same' ? { kind: 'same', lines: s.lines } : s)) };
}

export function settleHunk(review: Review, id: number, state: 'accepted' | 'rejected'): Review {
  return mapHunks(review, (h) => (h.id === id && h.state === 'pending' ? { ...h, state } : h));
}

export function settleAll(review: Review, state: 'accepted' | 'rejected'): Review {
  return mapHunks(review, (h) => (h.state === 'pending' ? { ...h, state } : h));
}

/**
 * One replace edit, in region-relative character offsets, that turns `fromText` into `toText`: the
 * common head and tail are left alone so the cursor, folding and unchanged lines do not move.
 */
export function minimalEdit(fromText: string, toText: string): { offset: number; length: number; text: string } | undefined {
  if (fromText === toText) return undefined;
  let head = 0;
  const max = Math.min(fromText.length, toText.length);
  while (head < max && fromText.charCodeAt(head) === toText.charCodeAt(head)) head++;
  // Never split a CRLF pair (the editor would see a lone \r) nor a surrogate pair (the editor widens the
  // range to whole characters and the edit would lose one).
  if (head > 0 && (fromText.charCodeAt(head - 1) === 13 || isHighSurrogate(fromText.charCodeAt(head - 1)))) head--;
  let tail = 0;
  while (
    tail < max - head &&
    fromText.charCodeAt(fromText.length - 1 - tail) === toText.charCodeAt(toText.length - 1 - tail)
  ) {
    tail++;
  }
  if (
    tail > 0 &&
    (isLowSurrogate(fromText.charCodeAt(fromText.length - tail)) ||
      (fromText.charCodeAt(fromText.length - tail) === 10 && fromText.charCodeAt(fromText.length - tail - 1) === 13))
  ) {
    tail--;
  }
  return { offset: head, length: fromText.length - head - tail, text: toText.slice(head, toText.length - tail) };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** A document change in document line/character coordinates (as VS Code reports it). */
export interface LineChange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
  text: string;
}

export type ChangeOutcome =
  | { kind: 'outside'; review: Review }
  /**
   * `review` mirrors the document after the edit; `settle` lists the hunks the edit decided (typing in
   * a hunk's proposed lines accepts it, in its original lines rejects it): the editor applies them with
   * settleHunk and syncs the document.
   */
  | { kind: 'inside'; review: Review; settle: { id: number; state: 'accepted' | 'rejected' }[] }
  /** The change swallowed the whole region (a revert, a select-all replace): the review is over. */
  | { kind: 'ended' };

/**
 * Folds an edit the user made into the review. Edits above the region move it; edits below do not
 * touch it. An edit inside unchanged lines stays there. An edit inside the proposed lines of a pending
 * hunk accepts that hunk (with the user's text); inside its original lines, rejects it. An edit that
 * spans several parts turns the lines it touched into plain text and settles the hunks it touched
 * keeping both of their versions: nothing the user typed and nothing the document held is lost.
 */
export function applyUserChange(review: Review, change: LineChange): ChangeOutcome {
  const rendered = render(review);
  const regionLines = rendered.lines.length;
  const S = review.startLine;
  const E = S + regionLines; // exclusive
  const inserted = change.text.split(/\r\n|\n/);
  const lineDelta = inserted.length - 1 - (change.endLine - change.startLine);
  const keepsLineStart = (change.startCharacter === 0 && change.text === '') || /\n$/.test(change.text);

  // Entirely above the region (including edits that end exactly where it starts and leave its first
  // line whole): the region moves.
  if (change.endLine < S || (change.endLine === S && change.endCharacter === 0 && change.startLine < S && keepsLineStart)) {
    return { kind: 'outside', review: { ...review, startLine: S + lineDelta } };
  }
  if (regionLines === 0) {
    // An emptied region sits at the start of line S: an insertion there, or anything later, is not ours.
    return change.startLine > S || (change.startLine === S && change.startCharacter >= 0)
      ? { kind: 'outside', review }
      : { kind: 'ended' };
  }
  // Entirely below.
  if (change.startLine >= E) return { kind: 'outside', review };
  // Reaches above the region's first line: the region as a whole was rewritten.
  if (change.startLine < S) return { kind: 'ended' };

  const a = change.startLine - S;
  const before = rendered.lines[a].slice(0, change.startCharacter);
  let replaced: string[];
  let b: number;
  if (change.endLine < E) {
    b = change.endLine - S;
    replaced = (before + change.text + rendered.lines[b].slice(change.endCharacter)).split(/\r\n|\n/);
  } else if (change.endLine === E && change.endCharacter === 0 && review.finalEol) {
    // Ends at the start of the line after the region: whole lines removed or replaced, as long as the
    // line below is not joined into the region.
    b = regionLines - 1;
    const pieces = (before + change.text).split(/\r\n|\n/);
    if (pieces[pieces.length - 1] !== '') return { kind: 'ended' };
    replaced = pieces.slice(0, -1);
  } else {
    return { kind: 'ended' };
  }

  const touched = rendered.owners.slice(a, b + 1);
  const first = touched[0];
  const single = touched.every((o) => o.segment === first.segment && o.part === first.part);
  const segments: Segment[] = review.segments.map((s) =>
    s.kind === 'same' ? { ...s, lines: [...s.lines] } : { ...s, oldLines: [...s.oldLines], newLines: [...s.newLines] },
  );

  if (single) {
    let partFirst = a;
    while (partFirst > 0 && rendered.owners[partFirst - 1].segment === first.segment && rendered.owners[partFirst - 1].part === first.part) {
      partFirst--;
    }
    const offset = a - partFirst;
    const count = b - a + 1;
    const seg = segments[first.segment];
    const settle: { id: number; state: 'accepted' | 'rejected' }[] = [];
    if (seg.kind === 'same') {
      seg.lines.splice(offset, count, ...replaced);
    } else if (seg.state !== 'pending') {
      (seg.state === 'accepted' ? seg.newLines : seg.oldLines).splice(offset, count, ...replaced);
    } else if (first.part === 'new') {
      seg.newLines.splice(offset, count, ...replaced);
      settle.push({ id: seg.id, state: 'accepted' });
    } else {
      seg.oldLines.splice(offset, count, ...replaced);
      settle.push({ id: seg.id, state: 'rejected' });
    }
    return { kind: 'inside', review: { ...review, segments: normalise(segments) }, settle };
  }

  // Spans several parts: the touched stretch becomes plain text; a touched pending hunk keeps the lines
  // of both versions that the edit did not cover, as plain text.
  const out: Segment[] = [];
  const firstTouched = first.segment;
  const lastTouched = touched[touched.length - 1].segment;
  segments.forEach((seg, index) => {
    if (index < firstTouched || index > lastTouched) {
      out.push(seg);
      return;
    }
    const head: string[] = [];
    const tail: string[] = [];
    rendered.owners.forEach((o, i) => {
      if (o.segment !== index) return;
      if (i < a) head.push(rendered.lines[i]);
      else if (i > b) tail.push(rendered.lines[i]);
    });
    const unreached = seg.kind === 'same' && seg.unreached;
    if (head.length) out.push({ kind: 'same', lines: head, ...(unreached ? { unreached } : {}) });
    if (index === firstTouched && replaced.length) out.push({ kind: 'same', lines: replaced });
    if (tail.length) out.push({ kind: 'same', lines: tail, ...(unreached ? { unreached } : {}) });
  });
  return { kind: 'inside', review: { ...review, segments: normalise(out) }, settle: [] };
}

/** Merges neighbouring plain segments and drops empty ones; hunks keep their ids. */
function normalise(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const seg of segments) {
    if (seg.kind === 'same') {
      if (seg.lines.length === 0) continue;
      const last = out[out.length - 1];
      if (last && last.kind === 'same' && !!last.unreached === !!seg.unreached) {
        last.lines = [...last.lines, ...seg.lines];
        continue;
      }
      out.push({ ...seg, lines: [...seg.lines] });
    } else {
      out.push(seg);
    }
  }
  return out;
}

export function nextHunk(review: Review, line: number, direction: 1 | -1): RenderedHunk | undefined {
  const { hunks } = render(review);
  if (hunks.length === 0) return undefined;
  if (direction === 1) return hunks.find((h) => h.oldStart > line) ?? hunks[0];
  for (let i = hunks.length - 1; i >= 0; i--) if (hunks[i].oldStart < line) return hunks[i];
  return hunks[hunks.length - 1];
}
