/**
 * Which code an action works on, and where the code it explained is now. Plain positions only.
 */
import type { PlainPosition, PlainRange } from './types';

/** A document symbol reduced to what target picking needs. */
export interface PlainSymbol {
  range: PlainRange;
  /** `callable`: function, method, constructor. `container`: class, interface, struct, enum, module. */
  kind: 'callable' | 'container' | 'other';
  children?: PlainSymbol[];
}

export type TargetReason = 'selection' | 'diagnostics' | 'symbol' | 'line';

export interface TargetOptions {
  /** The editor's selection; its `end` is the cursor when it is empty. */
  selection: PlainRange;
  /** Length of a line without its terminator. */
  lineLength: (line: number) => number;
  symbols?: readonly PlainSymbol[];
  /** Ranges of the diagnostics in the document (Fix: an empty selection on a diagnostic targets its lines). */
  diagnostics?: readonly PlainRange[];
}

/**
 * The selection when there is one; otherwise the whole lines of the diagnostics on the cursor line
 * (when given), else the innermost function around the cursor, else the innermost class-like symbol,
 * else the cursor's line. Everything but the selection is widened to whole lines.
 */
export function pickTargetRange(options: TargetOptions): { range: PlainRange; reason: TargetReason } {
  const { selection } = options;
  if (!isEmpty(selection)) return { range: selection, reason: 'selection' };
  const cursor = selection.end;

  const onLine = (options.diagnostics ?? []).filter((d) => d.start.line <= cursor.line && cursor.line <= d.end.line);
  if (onLine.length > 0) {
    const first = Math.min(...onLine.map((d) => d.start.line));
    const last = Math.max(...onLine.map((d) => d.end.line));
    return { range: wholeLines(first, last, options.lineLength), reason: 'diagnostics' };
  }

  const around = symbolsAround(options.symbols ?? [], cursor);
  const symbol = innermost(around.filter((s) => s.kind === 'callable')) ?? innermost(around.filter((s) => s.kind === 'container'));
  if (symbol) return { range: wholeLines(symbol.range.start.line, symbol.range.end.line, options.lineLength), reason: 'symbol' };

  return { range: wholeLines(cursor.line, cursor.line, options.lineLength), reason: 'line' };
}

export function wholeLines(first: number, last: number, lineLength: (line: number) => number): PlainRange {
  return { start: { line: first, character: 0 }, end: { line: last, character: lineLength(last) } };
}

export function isEmpty(range: PlainRange): boolean {
  return range.start.line === range.end.line && range.start.character === range.end.character;
}

function contains(range: PlainRange, position: PlainPosition): boolean {
  return compare(range.start, position) <= 0 && compare(position, range.end) <= 0;
}

function compare(a: PlainPosition, b: PlainPosition): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

function symbolsAround(symbols: readonly PlainSymbol[], position: PlainPosition): PlainSymbol[] {
  const found: PlainSymbol[] = [];
  const visit = (list: readonly PlainSymbol[]) => {
    for (const symbol of list) {
      if (contains(symbol.range, position)) found.push(symbol);
      if (symbol.children) visit(symbol.children);
    }
  };
  visit(symbols);
  return found;
}

/** The smallest range among symbols that all contain one position (nested ranges). */
function innermost(symbols: PlainSymbol[]): PlainSymbol | undefined {
  let best: PlainSymbol | undefined;
  for (const symbol of symbols) {
    if (!best || (compare(symbol.range.start, best.range.start) >= 0 && compare(symbol.range.end, best.range.end) <= 0)) best = symbol;
  }
  return best;
}

/**
 * Where `original` (the text that was explained) is in `text` now: at `expectedOffset` when it is
 * still there, else the occurrence nearest to it, else undefined (the code was changed or deleted).
 */
export function locateOriginal(text: string, original: string, expectedOffset: number): number | undefined {
  if (original === '') return undefined;
  if (text.startsWith(original, expectedOffset)) return expectedOffset;
  let best: number | undefined;
  for (let at = text.indexOf(original); at >= 0; at = text.indexOf(original, at + 1)) {
    if (best === undefined || Math.abs(at - expectedOffset) < Math.abs(best - expectedOffset)) best = at;
  }
  return best;
}

/**
 * Shapes a code block from the model to replace `original`: the trailing newline follows the original
 * (a fenced block always ends with one), line endings follow the original, and a block written flush
 * left gets the original's indentation back when the original was uniformly indented.
 */
export function fitReplacement(original: string, block: string, startsAtLineStart = true): string {
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  let text = block.replace(/\r\n/g, '\n');
  const originalNormal = original.replace(/\r\n/g, '\n');
  if (text.endsWith('\n') && !originalNormal.endsWith('\n')) text = text.slice(0, -1);
  else if (!text.endsWith('\n') && originalNormal.endsWith('\n')) text += '\n';

  const originalIndent = commonIndent(originalNormal, startsAtLineStart);
  if (originalIndent !== '' && commonIndent(text, true) === '') {
    const lines = text.split('\n');
    text = lines
      .map((line, i) => (line.trim() === '' || (i === 0 && !startsAtLineStart) ? line : originalIndent + line))
      .join('\n');
  }
  return eol === '\r\n' ? text.replace(/\n/g, '\r\n') : text;
}

/** The indentation every non-blank line shares (the first line skipped when it starts mid-line). */
function commonIndent(text: string, includeFirst: boolean): string {
  let common: string | undefined;
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '' || (i === 0 && !includeFirst)) return;
    const indent = /^[ \t]*/.exec(line)![0];
    if (common === undefined) common = indent;
    else {
      let n = 0;
      while (n < common.length && n < indent.length && common[n] === indent[n]) n++;
      common = common.slice(0, n);
    }
  });
  return common ?? '';
}
