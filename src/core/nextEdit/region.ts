/**
 * Which lines the next-edit model may rewrite (the editable region) and which it sees around them (the
 * context). The region starts at the cursor's line and grows to whole syntax blocks (by indentation
 * and closing brackets, which works for braces and for Python alike) while it fits a token budget;
 * the context is the lines around it within a second budget.
 */

export interface RegionBudget {
  /** Tokens of the editable region (it is sent, and written back, once each). */
  editableTokens: number;
  /** Tokens of context above and below the region together. */
  contextTokens: number;
}

export const DEFAULT_REGION_BUDGET: RegionBudget = { editableTokens: 400, contextTokens: 600 };

export interface Region {
  /** Editable lines [start, end). */
  start: number;
  end: number;
  /** Context lines [contextStart, start) and [end, contextEnd). */
  contextStart: number;
  contextEnd: number;
}

/** A rough token count of one line (with its terminator): about four characters a token. */
export function lineTokens(line: string): number {
  return Math.ceil((line.length + 1) / 4);
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

function indentOf(line: string): number {
  let n = 0;
  for (const ch of line) {
    if (ch === ' ') n++;
    else if (ch === '\t') n += 4;
    else break;
  }
  return n;
}

/** Lines that close a block opened above them at the same indentation. */
const CLOSER = /^\s*([}\])]|end\b|<\/|fi\b|done\b|esac\b)/;

/** The first non-blank line at or after `from` (or lines.length). */
function nextNonBlank(lines: readonly string[], from: number): number {
  let i = from;
  while (i < lines.length && isBlank(lines[i])) i++;
  return i;
}

/** The last non-blank line at or before `from` (or -1). */
function prevNonBlank(lines: readonly string[], from: number): number {
  let i = from;
  while (i >= 0 && isBlank(lines[i])) i--;
  return i;
}

/**
 * The block a header line opens: [header, end) where end is past its last indented line, and past
 * the closing line when one follows at the header's indentation. A line that opens nothing is a block
 * of itself.
 */
export function blockAt(lines: readonly string[], header: number): { start: number; end: number } {
  const base = indentOf(lines[header]);
  const first = nextNonBlank(lines, header + 1);
  if (first >= lines.length || indentOf(lines[first]) <= base) {
    // A one-line block, or a header whose closer comes at once (`{` … `}` with an empty body).
    if (first < lines.length && indentOf(lines[first]) === base && CLOSER.test(lines[first]) && /[{[(:]\s*$/.test(lines[header])) {
      return { start: header, end: first + 1 };
    }
    return { start: header, end: header + 1 };
  }
  let last = first;
  for (let i = first; i < lines.length; i++) {
    if (isBlank(lines[i])) continue;
    if (indentOf(lines[i]) <= base) {
      if (indentOf(lines[i]) === base && CLOSER.test(lines[i])) last = i;
      break;
    }
    last = i;
  }
  return { start: header, end: last + 1 };
}

/** The smallest block that strictly encloses lines [start, end): its header is the nearest line above with less indentation. */
function enclosing(lines: readonly string[], start: number, end: number): { start: number; end: number } | undefined {
  let min = Infinity;
  for (let i = start; i < end; i++) if (!isBlank(lines[i])) min = Math.min(min, indentOf(lines[i]));
  if (min === Infinity || min === 0) return undefined;
  for (let i = start - 1; i >= 0; i--) {
    if (isBlank(lines[i])) continue;
    if (indentOf(lines[i]) < min) {
      const block = blockAt(lines, i);
      return { start: i, end: Math.max(block.end, end) };
    }
  }
  return undefined;
}

function tokensOf(lines: readonly string[], start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += lineTokens(lines[i]);
  return sum;
}

/**
 * The editable region around `cursorLine` and its context. `lines` are the document's line contents.
 */
export function selectRegion(lines: readonly string[], cursorLine: number, budget: RegionBudget = DEFAULT_REGION_BUDGET): Region {
  const n = lines.length;
  const cursor = Math.min(Math.max(0, cursorLine), Math.max(0, n - 1));
  if (n === 0) return { start: 0, end: 0, contextStart: 0, contextEnd: 0 };

  // 1. The smallest block holding the cursor: the block its line opens, else the line.
  let start = cursor;
  let end = cursor + 1;
  const own = blockAt(lines, cursor);
  if (tokensOf(lines, own.start, own.end) <= budget.editableTokens) end = own.end;
  let used = tokensOf(lines, start, end);

  // 2. Enclosing blocks while they fit.
  for (;;) {
    const outer = enclosing(lines, start, end);
    if (!outer) break;
    const cost = tokensOf(lines, outer.start, outer.end);
    if (cost > budget.editableTokens) break;
    start = outer.start;
    end = outer.end;
    used = cost;
  }

  // 3. Whole neighbouring blocks (or lines, when the cursor's block is too big for the budget),
  //    below and above in turn, while they fit.
  let grew = true;
  while (grew) {
    grew = false;
    if (end < n) {
      const next = nextNonBlank(lines, end);
      const block = next < n ? blockAt(lines, next) : { start: end, end: n };
      const to = Math.max(block.end, end + 1);
      const cost = tokensOf(lines, end, to);
      const closesEnclosing = next < n && indentOf(lines[next]) < minIndent(lines, start, end);
      if (used + cost <= budget.editableTokens && !closesEnclosing) {
        used += cost;
        end = to;
        grew = true;
      }
    }
    if (start > 0) {
      const above = prevNonBlank(lines, start - 1);
      let from = start - 1;
      if (above >= 0) {
        // The block that ends at `above`: walk up to its header (the nearest line at the same or less indentation).
        from = above;
        if (CLOSER.test(lines[above])) {
          const base = indentOf(lines[above]);
          for (let i = above - 1; i >= 0; i--) {
            if (!isBlank(lines[i]) && indentOf(lines[i]) <= base) {
              from = i;
              break;
            }
          }
        }
      }
      const cost = tokensOf(lines, from, start);
      const opensEnclosing = above >= 0 && indentOf(lines[from]) < minIndent(lines, start, end);
      if (used + cost <= budget.editableTokens && !opensEnclosing) {
        used += cost;
        start = from;
        grew = true;
      }
    }
  }

  // 4. Context: lines above and below, alternating, within its budget.
  let contextStart = start;
  let contextEnd = end;
  let context = 0;
  for (let moved = true; moved; ) {
    moved = false;
    if (contextStart > 0 && context + lineTokens(lines[contextStart - 1]) <= budget.contextTokens) {
      contextStart--;
      context += lineTokens(lines[contextStart]);
      moved = true;
    }
    if (contextEnd < n && context + lineTokens(lines[contextEnd]) <= budget.contextTokens) {
      context += lineTokens(lines[contextEnd]);
      contextEnd++;
      moved = true;
    }
  }
  return { start, end, contextStart, contextEnd };
}

function minIndent(lines: readonly string[], start: number, end: number): number {
  let min = Infinity;
  for (let i = start; i < end; i++) if (!isBlank(lines[i])) min = Math.min(min, indentOf(lines[i]));
  return min === Infinity ? 0 : min;
}
