/**
 * From the model's reply to a proposal: take the rewritten region from between its markers (fences,
 * prose and reasoning around them are ignored), check it, and diff it against the region into line
 * hunks at document lines. A reply is dropped when it lost a marker, is a no-op, or would undo what
 * the user just did.
 */
import type { SecretVault } from '../context/redact';
import { diffLineArrays } from '../edit/diff';
import { stripReasoning } from '../edit/extract';
import { type LineChange, toLines } from './history';
import { MARKERS } from './prompt';
import type { Region } from './region';

/** `placeholder`: the rewrite holds a placeholder for a secret that is not this document's own. */
export type DropReason = 'markers' | 'noop' | 'undo' | 'empty' | 'placeholder';

export type ParsedReply = { ok: true; lines: string[] } | { ok: false; reason: DropReason };

/** The rewritten region's lines from a reply; `ok: false` when a marker is missing or doubled. */
export function parseReply(reply: string): ParsedReply {
  const text = stripReasoning(reply.replace(/\r\n/g, '\n'));
  if (text.trim() === '') return { ok: false, reason: 'empty' };
  const start = text.lastIndexOf(MARKERS.regionStart);
  if (start < 0) return { ok: false, reason: 'markers' };
  const end = text.indexOf(MARKERS.regionEnd, start);
  if (end < 0) return { ok: false, reason: 'markers' };
  let body = text.slice(start + MARKERS.regionStart.length, end);
  if (body.includes(MARKERS.regionStart) || body.includes(MARKERS.fileStart)) return { ok: false, reason: 'markers' };
  body = body.split(MARKERS.cursor).join('');
  // The markers sit on their own lines: drop the line break after the start marker and the one
  // before the end marker (a model that left the latter out loses nothing).
  if (body.startsWith('\n')) body = body.slice(1);
  if (body.endsWith('\n')) body = body.slice(0, -1);
  return { ok: true, lines: body === '' ? [] : toLines(body) };
}

/** A proposed next edit: line hunks at document lines, in order, and the region they came from. */
export interface Proposal {
  /** The region's first line and its lines when the model was asked. */
  regionStart: number;
  oldLines: string[];
  newLines: string[];
  hunks: LineChange[];
}

export type ProposalResult = { ok: true; proposal: Proposal } | { ok: false; reason: DropReason };

/** Line hunks that turn `oldLines` into `newLines`, at document lines (`offset` is the first line's). */
export function lineHunks(oldLines: readonly string[], newLines: readonly string[], offset: number): LineChange[] {
  return diffLineArrays(oldLines, newLines).map((h) => ({ start: h.oldStart + offset, oldLines: h.oldLines, newLines: h.newLines }));
}

/**
 * Whether applying `hunk` to `lines` (the document now) would take back a recent edit: the text of the
 * edit's lines goes back to what it was before, wholly or line by line.
 */
export function undoesEdit(lines: readonly string[], hunk: LineChange, edit: LineChange): boolean {
  const e0 = edit.start;
  const e1 = edit.start + edit.newLines.length;
  const h0 = hunk.start;
  const h1 = hunk.start + hunk.oldLines.length;
  // Only a hunk that touches the edited lines can take it back.
  const touches =
    edit.newLines.length === 0 ? h0 <= e0 && h1 >= e0 : hunk.oldLines.length === 0 ? h0 > e0 && h0 < e1 : h0 < e1 && h1 > e0;
  if (!touches) return false;
  // The edited lines after the hunk: [min(e0,h0), max(e1,h1)) rewritten.
  const u0 = Math.min(e0, h0);
  const u1 = Math.max(e1, h1);
  const after = [...lines.slice(u0, h0), ...hunk.newLines, ...lines.slice(h1, u1)];
  const restored = [...lines.slice(u0, e0), ...edit.oldLines, ...lines.slice(e1, u1)];
  if (after.length === restored.length && after.every((l, i) => l === restored[i])) return true;
  // Line by line: an edit that kept its line count, and a hunk inside it that puts back some of its old lines.
  if (edit.oldLines.length === edit.newLines.length && hunk.oldLines.length === hunk.newLines.length && h0 >= e0 && h1 <= e1) {
    let back = 0;
    for (let i = 0; i < hunk.oldLines.length; i++) {
      const j = h0 + i - e0;
      if (hunk.newLines[i] === hunk.oldLines[i]) continue;
      if (hunk.newLines[i] === edit.oldLines[j] && hunk.oldLines[i] === edit.newLines[j]) back++;
      else return false;
    }
    return back > 0;
  }
  return false;
}

/**
 * The proposal a reply makes for `region` of `lines` (the document when the request was sent), checked
 * against `recent` (the document's recent edits, newest first). `secrets` is the vault the prompt was
 * redacted with: placeholders for secrets the document holds are mapped back before the diff (so an
 * untouched line holding a token is not proposed as a change to its placeholder); a reply that keeps
 * any other placeholder is dropped, so none reaches the buffer.
 */
export function proposalFromReply(
  reply: string,
  lines: readonly string[],
  region: Region,
  recent: readonly LineChange[] = [],
  secrets?: SecretVault,
): ProposalResult {
  const parsed = parseReply(reply);
  if (!parsed.ok) return parsed;
  let rewritten = parsed.lines;
  if (secrets && rewritten.length > 0) {
    const restored = secrets.restoreInto(rewritten.join('\n'), lines.join('\n'));
    if (restored.unresolved >= 0) return { ok: false, reason: 'placeholder' };
    rewritten = restored.text.split('\n');
  }
  const oldLines = lines.slice(region.start, region.end);
  const newLines = keepTrailingBlankLines(oldLines, rewritten);
  const hunks = lineHunks(oldLines, newLines, region.start);
  if (hunks.length === 0) return { ok: false, reason: 'noop' };
  // Only the latest few edits count: a change the user made long ago may well be taken back on purpose.
  for (const edit of recent.slice(0, 3)) {
    if (hunks.some((h) => undoesEdit(lines, h, edit))) return { ok: false, reason: 'undo' };
  }
  return { ok: true, proposal: { regionStart: region.start, oldLines, newLines, hunks } };
}

function trailingBlank(lines: readonly string[]): number {
  let n = 0;
  while (n < lines.length && lines[lines.length - 1 - n].trim() === '') n++;
  return n;
}

/**
 * Models often drop the blank lines at the end of the region (they write the end marker right after
 * the last line of code): a rewrite with fewer trailing blank lines gets the region's back.
 */
export function keepTrailingBlankLines(oldLines: readonly string[], newLines: readonly string[]): string[] {
  const missing = trailingBlank(oldLines) - trailingBlank(newLines);
  return missing > 0 && newLines.length > 0 ? [...newLines, ...oldLines.slice(oldLines.length - missing)] : [...newLines];
}

/** `lines` with every hunk applied (hunks ordered, non-overlapping, at lines of `lines`). */
export function applyLineHunks(lines: readonly string[], hunks: readonly LineChange[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const h of hunks) {
    for (; at < h.start; at++) out.push(lines[at]);
    out.push(...h.newLines);
    at += h.oldLines.length;
  }
  for (; at < lines.length; at++) out.push(lines[at]);
  return out;
}
