/**
 * The code right around the cursor, within a token budget: the prefix window keeps whole lines ending at
 * the cursor, the suffix window whole lines starting at it. Lines are counted one by one with the real
 * tokenizer (src/core/prompt/tokens.ts), walking out from the cursor, and each line's count is
 * remembered: a keystroke re-counts only the cursor's line, and nothing else of a huge file is ever
 * looked at. The sum of line counts is within a token or two per line of counting the window in one go.
 *
 * After a jump to code never seen, the lines nearest the cursor are counted at once and the farther
 * ones are estimated on the safe side (one token per three characters, more than code takes) and
 * counted exactly in the background a moment later: the first request there is not held up by the
 * tokenizer (about 1 MB/s), and its window is, if anything, a little smaller than the budget.
 */
import { countTokens, truncateToTokens } from '../prompt/tokens';

/** Lines nearest the cursor that are always counted exactly, even when never seen before. */
const EXACT_NEAR_LINES = 24;
const MEMO_LIMIT = 60_000;
let memo = new Map<string, number>();
const pending = new Set<string>();
let scheduled = false;

function remember(line: string, n: number): number {
  if (memo.size >= MEMO_LIMIT) memo = new Map();
  memo.set(line, n);
  return n;
}

function countLater(line: string): void {
  pending.add(line);
  if (scheduled) return;
  scheduled = true;
  setImmediate(drain);
}

function drain(): void {
  scheduled = false;
  const until = performance.now() + 4;
  for (const line of pending) {
    pending.delete(line);
    if (!memo.has(line)) remember(line, countTokens(line));
    if (performance.now() > until) {
      if (pending.size > 0 && !scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
      return;
    }
  }
}

/** Tokens of one line: remembered, counted now (`exact`), or estimated high and counted soon. */
export function lineTokens(line: string, exact: boolean): number {
  const hit = memo.get(line);
  if (hit !== undefined) return hit;
  if (exact || line.length <= 24) return remember(line, countTokens(line));
  countLater(line);
  return Math.ceil(line.length / 3) + 1;
}

export interface CursorWindows {
  prefix: string;
  suffix: string;
  prefixTokens: number;
  suffixTokens: number;
  /** True when the window does not reach the start (prefix) / end (suffix) of the file. */
  prefixCut: boolean;
  suffixCut: boolean;
}

/**
 * Tokens of a snippet, line by line: exact for lines seen before, else estimated on the safe side and
 * counted in the background (snippets from files never opened are the common case).
 */
export function snippetTokens(text: string): number {
  let total = 0;
  let start = 0;
  while (start < text.length) {
    const next = text.indexOf('\n', start) + 1 || text.length;
    total += lineTokens(text.slice(start, next), false);
    start = next;
  }
  return total;
}

/** Keeps the end of `prefix` and the start of `suffix` within `prefixBudget` and `suffixBudget` tokens. */
export function cursorWindows(prefix: string, suffix: string, prefixBudget: number, suffixBudget: number): CursorWindows {
  const p = prefixWindow(prefix, prefixBudget);
  const s = suffixWindow(suffix, suffixBudget);
  return {
    prefix: p.text,
    suffix: s.text,
    prefixTokens: p.tokens,
    suffixTokens: s.tokens,
    prefixCut: p.text.length < prefix.length,
    suffixCut: s.text.length < suffix.length,
  };
}

/**
 * Whole lines before the cursor, nearest first, while they fit. The cursor's own line (up to the
 * cursor) is always kept; only when it alone is over budget is it cut, keeping its end.
 */
export function prefixWindow(prefix: string, budget: number): { text: string; tokens: number } {
  if (budget <= 0) return { text: '', tokens: 0 };
  let start = prefix.lastIndexOf('\n') + 1;
  let used = countTokens(prefix.slice(start));
  if (used > budget) {
    const text = truncateToTokens(prefix.slice(start), budget, 'start');
    return { text, tokens: countTokens(text) };
  }
  for (let lines = 0; start > 0; lines++) {
    const previous = prefix.lastIndexOf('\n', start - 2) + 1;
    const n = lineTokens(prefix.slice(previous, start), lines < EXACT_NEAR_LINES);
    if (used + n > budget) break;
    used += n;
    start = previous;
  }
  return { text: prefix.slice(start), tokens: used };
}

/** The rest of the cursor's line, then whole lines after it while they fit. */
export function suffixWindow(suffix: string, budget: number): { text: string; tokens: number } {
  if (budget <= 0) return { text: '', tokens: 0 };
  let end = suffix.indexOf('\n') + 1 || suffix.length;
  let used = countTokens(suffix.slice(0, end));
  if (used > budget) {
    const text = truncateToTokens(suffix.slice(0, end), budget, 'end');
    return { text, tokens: countTokens(text) };
  }
  for (let lines = 0; end < suffix.length; lines++) {
    const next = suffix.indexOf('\n', end) + 1 || suffix.length;
    const n = lineTokens(suffix.slice(end, next), lines < EXACT_NEAR_LINES / 3);
    if (used + n > budget) break;
    used += n;
    end = next;
  }
  return { text: suffix.slice(0, end), tokens: used };
}
