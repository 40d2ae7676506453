/**
 * Facts about the cursor's syntactic position, from plain text: the line around the cursor, whether a
 * suggestion should be one line or a block, the brackets still open before the cursor, and the
 * indentation in use. Heuristics over text, no parser: cheap enough for every keystroke.
 */

export type LineMode = 'single' | 'multi';

/** Text of the cursor's line before the cursor. */
export function linePrefixOf(prefix: string): string {
  return prefix.slice(prefix.lastIndexOf('\n') + 1);
}

/** Text of the cursor's line after the cursor (without the line break). */
export function lineSuffixOf(suffix: string): string {
  const nl = suffix.indexOf('\n');
  const line = nl < 0 ? suffix : suffix.slice(0, nl);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

export function leadingWhitespace(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** Indentation width with tabs counted as `tabSize` columns. */
export function indentWidth(line: string, tabSize = 4): number {
  let w = 0;
  for (const ch of line) {
    if (ch === ' ') w++;
    else if (ch === '\t') w += tabSize - (w % tabSize);
    else break;
  }
  return w;
}

/** Languages whose blocks open with a trailing `:` (and close by dedenting). */
const COLON_BLOCKS = new Set(['python', 'yaml', 'nim', 'coffeescript']);

/** Languages whose blocks open with a keyword line and close with `end`. */
const KEYWORD_BLOCKS = new Set(['ruby', 'lua', 'elixir', 'crystal', 'julia']);

/** Characters the editor auto-closes; a line suffix made only of these does not block a suggestion. */
const CLOSERS_ONLY = /^[\s)\]}>"'`;,]*$/;

const BLOCK_OPENER = /(?:\{|=>|->|\b(?:do|then|begin|else|try|finally)|\|[^|]*\|)\s*$/;
/** An open call or list at the end of a line: a block only when nothing was auto-closed after it. */
const LIST_OPENER = /[([]\s*$/;

/**
 * Single line or block: a block when the cursor ends a line that opens one (`{`, `:` in Python, `=>`,
 * `do`) or sits on a blank line; one line when there is code after the cursor on its line (other than
 * closing brackets and quotes) or the cursor is in the middle of a statement or a comment.
 */
export function decideLineMode(prefix: string, suffix: string, languageId: string): LineMode {
  const before = linePrefixOf(prefix);
  const after = lineSuffixOf(suffix);
  if (!CLOSERS_ONLY.test(after)) return 'single';
  const code = before.trim();
  if (code === '') return 'multi';
  if (/^(?:\/\/|#|--|\*|\/\*)/.test(code)) return 'single';
  if (BLOCK_OPENER.test(code)) return 'multi';
  if (LIST_OPENER.test(code)) return after.trim() === '' ? 'multi' : 'single';
  if (COLON_BLOCKS.has(languageId) && code.endsWith(':')) return 'multi';
  if (KEYWORD_BLOCKS.has(languageId) && /^(?:local\s+)?(?:def|class|module|if|unless|while|until|for|case|function|defp?|defmodule)\b/.test(code) && !/\bend\s*$/.test(code)) return 'multi';
  return 'single';
}

export const OPEN_TO_CLOSE: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
export const CLOSE_TO_OPEN: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

const HASH_COMMENT = new Set(['python', 'ruby', 'shellscript', 'yaml', 'perl', 'r', 'toml', 'dockerfile', 'makefile', 'powershell', 'elixir', 'coffeescript', 'julia', 'nim']);
const DASH_COMMENT = new Set(['sql', 'lua', 'haskell', 'elm']);

/** The line-comment marker of a language, for skipping comments and for writing context as comments. */
export function lineComment(languageId: string): string | undefined {
  if (HASH_COMMENT.has(languageId)) return '#';
  if (DASH_COMMENT.has(languageId)) return '--';
  if (['clojure', 'lisp', 'scheme'].includes(languageId)) return ';';
  if (['latex', 'tex', 'erlang', 'matlab'].includes(languageId)) return '%';
  if (['html', 'xml', 'markdown', 'plaintext', 'json', 'css'].includes(languageId)) return undefined;
  return '//';
}

export interface BracketEvent {
  /** Offset in the scanned text. */
  index: number;
  char: string;
}

/**
 * Scans code for brackets outside strings and comments and calls `visit` for each. String literals are
 * (template literals included) only recognised when they close on the same line (so a Rust lifetime or an apostrophe in prose does
 * not swallow the rest of the file). `/* … *\/` comments are skipped in C-like languages.
 */
export function scanBrackets(text: string, languageId: string, visit: (event: BracketEvent) => boolean | void): void {
  const comment = lineComment(languageId);
  const cLike = comment === '//';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (ch === '\n') {
      i++;
      continue;
    }
    if (comment && text.startsWith(comment, i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (cLike && ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      const end = closingQuote(text, i, ch);
      if (end > 0) {
        i = end + 1;
        continue;
      }
      i++;
      continue;
    }
    if (ch in OPEN_TO_CLOSE || ch in CLOSE_TO_OPEN) {
      if (visit({ index: i, char: ch }) === false) return;
    }
    i++;
  }
}

function closingQuote(text: string, start: number, quote: string): number {
  for (let j = start + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === quote) return j;
    if (c === '\n') return -1;
  }
  return -1;
}

/** Brackets opened before the cursor and not yet closed, innermost last (e.g. `['{', '(']`). */
export function openBrackets(prefix: string, languageId: string): string[] {
  const stack: string[] = [];
  scanBrackets(prefix, languageId, ({ char }) => {
    if (char in OPEN_TO_CLOSE) stack.push(char);
    else if (stack.length > 0 && stack[stack.length - 1] === CLOSE_TO_OPEN[char]) stack.pop();
  });
  return stack;
}

export interface IndentStyle {
  insertSpaces: boolean;
  tabSize: number;
}

/** Guesses the file's indentation from its text when the editor does not say. */
export function guessIndentStyle(text: string): IndentStyle {
  let tabs = 0;
  let spaces = 0;
  for (const m of text.matchAll(/\n([ \t]+)\S/g)) {
    if (m[1].startsWith('\t')) tabs++;
    else spaces++;
  }
  return { insertSpaces: spaces >= tabs, tabSize: 4 };
}

/**
 * Identifiers near the cursor worth looking up with a definition provider: on the cursor's line and the
 * line before, nearest first, without keywords. `offset` is relative to the start of `prefix`.
 */
export function symbolsNearCursor(prefix: string, suffix: string, max = 4): { name: string; offset: number }[] {
  const start = prefix.lastIndexOf('\n', prefix.lastIndexOf('\n') - 1) + 1;
  const region = prefix.slice(start) + lineSuffixOf(suffix);
  // The occurrence nearest the cursor counts: later ones overwrite earlier ones before the cursor.
  const nearest = new Map<string, number>();
  const cursorInRegion = prefix.length - start;
  const re = /[A-Za-z_$][A-Za-z0-9_$]*/g;
  for (let m = re.exec(region); m; m = re.exec(region)) {
    const name = m[0];
    if (name.length < 2 || KEYWORDS.has(name)) continue;
    // skip identifiers inside strings on this line (a cheap check: odd number of quotes before)
    const lineStart = region.lastIndexOf('\n', m.index) + 1;
    const before = region.slice(lineStart, m.index);
    if ((before.match(/"/g)?.length ?? 0) % 2 === 1 || (before.match(/'/g)?.length ?? 0) % 2 === 1) continue;
    const prev = nearest.get(name);
    if (prev === undefined || Math.abs(m.index - cursorInRegion) < Math.abs(prev - cursorInRegion)) nearest.set(name, m.index);
  }
  const found = [...nearest].map(([name, offset]) => ({ name, offset: start + offset }));
  const cursor = prefix.length;
  found.sort((a, b) => Math.abs(a.offset - cursor) - Math.abs(b.offset - cursor));
  return found.slice(0, max);
}

const KEYWORDS = new Set(
  (
    'if else for while do return const let var function def class new this self true false null None undefined ' +
    'import from export public private protected static void int string in of is and or not fn mut pub use func ' +
    'package type interface async await try catch finally throw end then elif with as break continue switch case ' +
    'default struct enum impl trait where match lambda yield print console log len range String Number Boolean'
  ).split(' '),
);

/** Positions where a suggestion would get in the way: the middle of a word (`pri|nt`). */
export function skipPosition(prefix: string, suffix: string): 'midWord' | undefined {
  const next = suffix.charCodeAt(0);
  const prev = prefix.charCodeAt(prefix.length - 1);
  const isWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
  if (isWord(next) && isWord(prev)) return 'midWord';
  return undefined;
}
