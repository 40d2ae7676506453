/**
 * Plain-data helpers of Edit Selection that used to live in the editor layer: which whole lines a
 * selection covers, the streamed reply folded into review segments, the proposal for an insertion
 * (Write Tests into a file) and for a known replacement (Apply from the Explain panel), and the
 * symbol that encloses the cursor.
 */
import { lineContent } from './lines';
import { joinRegion, proposalLines, segmentsFromHunks, type Eol, type Segment } from './review';
import type { StreamingSnapshot } from './streamingDiff';

export interface Pos {
  line: number;
  character: number;
}

export interface Span {
  start: Pos;
  end: Pos;
}

/** Whole lines [startLine, endLine] of a document. */
export interface Region {
  startLine: number;
  endLine: number;
}

/** The whole lines a selection covers: a selection ending at column 0 of a line does not include that line. */
export function regionOf(range: Span, lineCount: number): Region {
  let endLine = range.end.line;
  if (endLine > range.start.line && range.end.character === 0) endLine--;
  return { startLine: range.start.line, endLine: Math.max(range.start.line, Math.min(endLine, lineCount - 1)) };
}

/** The review segments for what the model has written so far (provisional hunks, then the text not placed yet). */
export function streamSegments(snap: StreamingSnapshot, originalLines: readonly string[]): Segment[] {
  const hunks = snap.hunks.map((h) => ({ ...h, oldLines: h.oldLines.map(lineContent), newLines: h.newLines.map(lineContent) }));
  if (snap.pendingNewLines.length) {
    const pending = snap.pendingNewLines.map(lineContent);
    const last = hunks[hunks.length - 1];
    if (last && last.oldStart + last.oldLines.length === snap.consumedOldLines) last.newLines.push(...pending);
    else hunks.push({ oldStart: snap.consumedOldLines, oldLines: [], newStart: 0, newLines: pending });
  }
  return segmentsFromHunks(originalLines, hunks, { reachedOldLines: snap.consumedOldLines });
}

/**
 * The region's text with generated code inserted at `at` (region lines without terminators): on a
 * blank line the code replaces it, at the end of a line it goes below after an empty line, otherwise
 * above the line.
 */
export function insertionProposal(lines: readonly string[], regionStartLine: number, at: Pos, code: string, eol: Eol, finalEol: boolean): string {
  const offsetLine = at.line - regionStartLine;
  const line = lines[offsetLine] ?? '';
  const codeLines = proposalLines(code, false).filter((_, i, all) => !(i === all.length - 1 && all[i] === ''));
  let merged: string[];
  if (line.trim() === '') {
    // An empty last line is the file's final newline: keep one after the inserted code.
    const keepFinalNewline = !finalEol && offsetLine === lines.length - 1 && line === '';
    merged = [...lines.slice(0, offsetLine), ...codeLines, ...lines.slice(offsetLine + 1), ...(keepFinalNewline ? [''] : [])];
  } else if (at.character >= line.length) merged = [...lines.slice(0, offsetLine + 1), '', ...codeLines, ...lines.slice(offsetLine + 1)];
  else merged = [...lines.slice(0, offsetLine), ...codeLines, ...lines.slice(offsetLine)];
  return joinRegion(merged, eol, finalEol);
}

/**
 * The region's text with `replacement` spliced in: `head` and `tail` are what shares the first and last
 * lines with the replaced range, kept as they are.
 */
export function replacementProposal(head: string, replacement: string, tail: string, eol: Eol, finalEol: boolean): string {
  return head + replacement.replace(/\r?\n/g, eol) + tail + (finalEol ? eol : '');
}

export interface SymbolLike {
  kind: number;
  range: Span;
  children?: readonly SymbolLike[];
}

function contains(span: Span, p: Pos): boolean {
  const after = (a: Pos, b: Pos): boolean => a.line > b.line || (a.line === b.line && a.character >= b.character);
  return after(p, span.start) && after(span.end, p);
}

function spanContains(outer: Span, inner: Span): boolean {
  return contains(outer, inner.start) && contains(outer, inner.end);
}

/** The innermost symbol of a wanted kind around `position` that spans several lines. */
export function enclosingSymbol(symbols: readonly SymbolLike[], position: Pos, wanted: ReadonlySet<number>): Span | undefined {
  let best: Span | undefined;
  const visit = (list: readonly SymbolLike[]): void => {
    for (const s of list) {
      if (!contains(s.range, position)) continue;
      if (wanted.has(s.kind) && (!best || spanContains(best, s.range))) best = s.range;
      if (s.children) visit(s.children);
    }
  };
  visit(symbols);
  return best && best.end.line > best.start.line ? best : undefined;
}
