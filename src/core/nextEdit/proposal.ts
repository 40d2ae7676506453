/**
 * Showing and applying a proposal, one hunk at a time: which hunk comes first, whether it still fits
 * the document, the smallest text edit that applies it, what the inline diff paints, and the hunks
 * left once one was accepted.
 */
import { diffWordsWithSpace } from 'diff';
import type { LineChange } from './history';

export interface Position {
  line: number;
  character: number;
}

/** A replacement of [start, end) by text, in document positions. */
export interface TextEdit {
  start: Position;
  end: Position;
  text: string;
}

/** Index of the hunk to show first: the one at or after the cursor's line, else the nearest above. */
export function firstHunk(hunks: readonly LineChange[], cursorLine: number): number {
  if (hunks.length === 0) return -1;
  let best = 0;
  let bestDistance = Infinity;
  hunks.forEach((h, i) => {
    const end = h.start + Math.max(1, h.oldLines.length) - 1;
    const distance = cursorLine < h.start ? h.start - cursorLine : cursorLine > end ? (cursorLine - end) * 2 + 1 : 0;
    if (distance < bestDistance) {
      best = i;
      bestDistance = distance;
    }
  });
  return best;
}

/** True when the document's lines still hold the hunk's old lines where it expects them. */
export function hunkFits(lines: readonly string[], hunk: LineChange): boolean {
  if (hunk.start < 0 || hunk.start + hunk.oldLines.length > lines.length) return false;
  return hunk.oldLines.every((l, i) => lines[hunk.start + i] === l);
}

/** The other hunks once `accepted` was applied: those below it move by its change in line count. */
export function remainingHunks(hunks: readonly LineChange[], accepted: number): LineChange[] {
  const h = hunks[accepted];
  const delta = h.newLines.length - h.oldLines.length;
  return hunks.filter((_, i) => i !== accepted).map((o) => (o.start > h.start ? { ...o, start: o.start + delta } : o));
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  while (i < max && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}

/** Position of character `offset` of `text` (lines joined by "\n") counted from `first`. */
function positionIn(text: string, offset: number, first: number): Position {
  let line = first;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}

/**
 * The smallest replacement that applies `hunk` to `lines`: the changed characters only, so the cursor
 * and the rest of the line stay put. Line breaks in `text` are "\n" (the editor writes its own EOL).
 */
export function hunkEdit(lines: readonly string[], hunk: LineChange): TextEdit {
  // The hunk's lines as one text, with a neighbouring line as an anchor when it adds or removes whole lines.
  let first = hunk.start;
  let oldLines = hunk.oldLines;
  let newLines = hunk.newLines;
  if (oldLines.length === 0 || newLines.length === 0) {
    if (hunk.start > 0) {
      first = hunk.start - 1;
      oldLines = [lines[first], ...oldLines];
      newLines = [lines[first], ...newLines];
    } else if (hunk.start + hunk.oldLines.length < lines.length) {
      const next = lines[hunk.start + hunk.oldLines.length];
      oldLines = [...oldLines, next];
      newLines = [...newLines, next];
    }
  }
  const oldText = oldLines.join('\n');
  const newText = newLines.join('\n');
  const head = commonPrefix(oldText, newText);
  const tail = commonSuffix(oldText, newText, Math.min(oldText.length, newText.length) - head);
  return {
    start: positionIn(oldText, head, first),
    end: positionIn(oldText, oldText.length - tail, first),
    text: newText.slice(head, newText.length - tail),
  };
}

/** What the inline diff of one hunk paints. */
export interface InlineDiff {
  /** Characters struck out: [line, start, end). */
  removed: { line: number; start: number; end: number }[];
  /** Text shown inserted before `character` of `line` (for a replacement: before the struck-out text). */
  inserted: { line: number; character: number; text: string }[];
  /** Old lines removed whole. */
  removedLines: number[];
  /** New lines with no old line to pair with, shown after the end of `anchorLine` (or before line 0 when it is -1). */
  addedLines: string[];
  anchorLine: number;
}

/**
 * The inline diff of a hunk: old and new lines paired in order, each pair diffed word by word; old
 * lines left over are removed whole, new lines left over are shown after the last old line.
 */
export function inlineDiff(hunk: LineChange): InlineDiff {
  const out: InlineDiff = { removed: [], inserted: [], removedLines: [], addedLines: [], anchorLine: hunk.start - 1 };
  const pairs = Math.min(hunk.oldLines.length, hunk.newLines.length);
  for (let i = 0; i < pairs; i++) {
    const line = hunk.start + i;
    let col = 0;
    // A replacement shows its new text just before the struck-out old text: the editor paints a
    // background up to where the next character starts, which is after text shown at the range's end.
    let replacing: number | undefined;
    for (const part of diffWordsWithSpace(hunk.oldLines[i], hunk.newLines[i])) {
      if (part.removed) {
        out.removed.push({ line, start: col, end: col + part.value.length });
        replacing = col;
        col += part.value.length;
      } else if (part.added) {
        const at = replacing ?? col;
        const last = out.inserted[out.inserted.length - 1];
        if (last && last.line === line && last.character === at) last.text += part.value;
        else out.inserted.push({ line, character: at, text: part.value });
      } else {
        replacing = undefined;
        col += part.value.length;
      }
    }
  }
  for (let i = pairs; i < hunk.oldLines.length; i++) out.removedLines.push(hunk.start + i);
  out.addedLines = hunk.newLines.slice(pairs);
  out.anchorLine = hunk.start + Math.max(hunk.oldLines.length, 1) - 1;
  if (hunk.oldLines.length === 0) out.anchorLine = hunk.start - 1;
  return out;
}

/**
 * Whether the hunk should be reached with a jump first: it is not on screen, or it is more than
 * `farLines` lines from the cursor.
 */
export function needsJump(hunk: LineChange, cursorLine: number, visible: readonly { start: number; end: number }[], farLines = 12): boolean {
  const first = hunk.start;
  const last = hunk.start + Math.max(1, hunk.oldLines.length) - 1;
  const onScreen = visible.some((r) => first >= r.start && last <= r.end);
  if (!onScreen) return true;
  const distance = cursorLine < first ? first - cursorLine : cursorLine > last ? cursorLine - last : 0;
  return distance > farLines;
}
