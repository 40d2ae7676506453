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
  /** A quote whose string does not close on its line. */
  unclosed?: boolean;
}

/**
 * Scans code for brackets outside strings and comments and calls `visit` for each. String literals are
 * (template literals included) only recognised when they close on the same line (so a Rust lifetime or an apostrophe in prose does
 * not swallow the rest of the file). `/* … *\/` comments are skipped in C-like languages.
 */
export function scanBrackets(text: string, languageId: string, visit: (event: BracketEvent) => boolean | void): void {
  scanCode(text, languageId, (e) => (e.char in OPEN_TO_CLOSE || e.char in CLOSE_TO_OPEN ? visit(e) : undefined));
}

/**
 * Like `scanBrackets`, but visits every character of code that is not whitespace: a string literal is one
 * event at its closing quote (`char` is the quote), comments are skipped.
 */
export function scanCode(text: string, languageId: string, visit: (event: BracketEvent) => boolean | void): void {
  const comment = lineComment(languageId);
  const cLike = comment === '//';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (ch === '\n' || ch === ' ' || ch === '\t' || ch === '\r') {
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
    if ((ch === '"' || ch === "'") && text[i + 1] === ch && text[i + 2] === ch) {
      // A triple-quoted string (Python docstrings, Java text blocks) runs over lines.
      const end = text.indexOf(ch + ch + ch, i + 3);
      if (end < 0) return;
      if (visit({ index: end + 2, char: ch }) === false) return;
      i = end + 3;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      const end = closingQuote(text, i, ch);
      if (end > 0) {
        if (visit({ index: end, char: ch }) === false) return;
        i = end + 1;
        continue;
      }
      if (visit({ index: i, char: ch, unclosed: true }) === false) return;
      i++;
      continue;
    }
    if (visit({ index: i, char: ch }) === false) return;
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

/** True when the cursor's line, up to the cursor, ends in a line comment (after code or not). */
export function inLineComment(linePrefix: string, languageId: string): boolean {
  const comment = lineComment(languageId);
  if (comment === undefined) return false;
  let lastCode = -1;
  scanCode(linePrefix, languageId, ({ index }) => void (lastCode = index));
  return linePrefix.slice(lastCode + 1).trimStart().startsWith(comment);
}

/** Languages whose blocks are braces and whose statements end with a `;` or a line break. */
const BRACE_LANGUAGES = new Set([
  'javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'java', 'csharp', 'c', 'cpp', 'objective-c', 'objective-cpp',
  'go', 'rust', 'kotlin', 'swift', 'scala', 'dart', 'php', 'groovy',
]);

/**
 * Languages where a line break outside brackets always ends a statement (a line cannot go on with an
 * operator at the start of the next one, only with a `\` at the end of its own).
 */
const LINE_BREAK_STATEMENTS = new Set(['python', 'nim']);

/** Languages whose statements end with a `;` (a line break alone never ends one). */
const SEMICOLON_STATEMENTS = new Set(['java', 'csharp', 'c', 'cpp', 'objective-c', 'objective-cpp', 'php', 'dart']);

/**
 * Where the cursor is in the code's statements, for deciding how much of a reply to keep:
 * - `line`: the rest of the cursor's line only (code already follows the cursor on its line, or the
 *   cursor is in a line comment);
 * - `body`: the body of the empty block the cursor opens (several statements, ended by indentation);
 * - `statement`: one statement, from the cursor to where it ends (a `;` or a line break outside brackets,
 *   a block it opens and closes, or a block opener whose body the code after the cursor already holds);
 * - `legacy`: languages without rules here (neither braces nor indentation blocks): the line mode alone.
 */
export type StatementShape =
  | { kind: 'line' | 'body' | 'legacy' }
  | {
      kind: 'statement';
      /** Brackets of the cursor's statement opened before the cursor and still open, innermost last. */
      open: string[];
      /** Indentation of the line the statement starts on. */
      indent: number;
      /** A line break ends a statement only after a `;` (Java, C#, C…). */
      semicolons: boolean;
      /** Blocks open with a trailing `:` and end by dedenting (Python). */
      colonBlocks: boolean;
      /** A line starting with an operator (`.x`, `+ y`) may go on with the statement of the line before. */
      leadingContinues: boolean;
    };

/** The line opening a block whose contents are a list of members rather than statements. */
const LIST_BLOCK = /(?:\b(?:struct|enum|union|when|switch|match|select)\b[^{]*|[=:(,[]\s*)\{$/;

/** The next line of `suffix` after the cursor's line that is not blank, if any. */
export function nextCodeLine(suffix: string): string | undefined {
  return suffix.split('\n').slice(1).find((l) => l.trim() !== '')?.replace(/\r$/, '');
}

export function statementShape(prefix: string, suffix: string, languageId: string, lineMode: LineMode): StatementShape {
  const comment = lineComment(languageId);
  const braces = BRACE_LANGUAGES.has(languageId);
  const colonBlocks = COLON_BLOCKS.has(languageId);
  const before = linePrefixOf(prefix);
  const code = before.trim();
  let after = lineSuffixOf(suffix).trim();
  if (comment && after.startsWith(comment)) after = '';
  const directive = SEMICOLON_STATEMENTS.has(languageId) && code.startsWith('#');
  const inComment = inLineComment(before, languageId);
  if (after !== '' || directive || inComment || /^(?:\/\*|\*)/.test(code)) return { kind: 'line' };
  if (!BRACE_LANGUAGES.has(languageId) && !colonBlocks) return { kind: 'legacy' };
  if (lineMode === 'multi') {
    const opener = (line: string) => BLOCK_OPENER.test(line.replace(/\s*\/\/.*$/, '')) || (colonBlocks && /:\s*(?:#.*)?$/.test(line));
    if (code !== '' && opener(code)) return { kind: 'body' };
    if (code === '') {
      const above = prefix.slice(0, prefix.length - before.length).split('\n').reverse().find((l) => l.trim() !== '');
      const next = nextCodeLine(suffix);
      const width = indentWidth(before);
      if (above !== undefined && opener(above.trim()) && (next === undefined || indentWidth(next) < width || /^\s*[)\]}]/.test(next))) return { kind: 'body' };
    }
  }
  // The brackets still open before the cursor, with where each was opened.
  const stack: { char: string; index: number }[] = [];
  scanCode(prefix, languageId, ({ char, index }) => {
    if (char in OPEN_TO_CLOSE) stack.push({ char, index });
    else if (char in CLOSE_TO_OPEN && stack.length > 0 && stack[stack.length - 1].char === CLOSE_TO_OPEN[char]) stack.pop();
  });
  // In brace languages the statement starts inside the innermost block.
  let from = 0;
  if (braces) for (let k = stack.length - 1; k >= 0; k--) if (stack[k].char === '{') {
    from = k + 1;
    break;
  }
  // On a line of its own in a block of members that follow one another (struct fields, enum members,
  // `when`/`switch` arms, an object literal), the members go on to the end of the block.
  if (braces && code === '' && from > 0 && from === stack.length) {
    const opener = prefix.slice(prefix.lastIndexOf('\n', stack[from - 1].index) + 1, stack[from - 1].index + 1);
    if (LIST_BLOCK.test(opener)) return { kind: 'body' };
  }
  // A bracket opened far above is more likely a misreading (prose in a string) than this statement's.
  const near = prefix.length - 4000;
  while (from < stack.length && stack[from].index < near) from++;
  const open = stack.slice(from);
  const startLine = open.length > 0 ? prefix.slice(prefix.lastIndexOf('\n', open[0].index) + 1) : before;
  return { kind: 'statement', open: open.map((o) => o.char), indent: indentWidth(startLine), semicolons: SEMICOLON_STATEMENTS.has(languageId), colonBlocks, leadingContinues: !LINE_BREAK_STATEMENTS.has(languageId) };
}

/**
 * What may follow a member-access dot (`obj.|`), in languages where that is only a member's name:
 * `start` is what the name may start with (Java's explicit type arguments `obj.<T>f()`, Go's type
 * assertion `x.(T)` too); `never` are keywords that can never name a member, so a reply starting with one
 * wrote a new statement, not the rest of the expression (`util.|` + `import os`). JavaScript is not here:
 * its keywords are member names (`promise.catch`) and `#` starts private ones.
 */
export interface MemberNames {
  start: RegExp;
  never: ReadonlySet<string>;
}
const MEMBER_NAMES: Readonly<Record<string, MemberNames>> = {
  python: { start: /^[\p{L}_]/u, never: new Set('def class import from return if for while with try except raise pass del global nonlocal elif else lambda yield assert async await finally'.split(' ')) },
  java: { start: /^[\p{L}_$<]/u, never: new Set('import package return if for while do switch try catch finally throw public private protected static'.split(' ')) },
  csharp: { start: /^[\p{L}_@]/u, never: new Set('using namespace return if for foreach while do switch try catch finally throw public private protected internal static'.split(' ')) },
  go: { start: /^[\p{L}_(]/u, never: new Set('func package import return if for switch var const type go defer'.split(' ')) },
};

/**
 * When the cursor stands right after a member-access dot (after a name, a call or an index, not on an
 * import line), what may follow it; `undefined` elsewhere or in a language without the rules.
 */
export function memberNamesAfter(linePrefix: string, languageId: string): MemberNames | undefined {
  return afterMemberDot(linePrefix) && !/^\s*(?:import|from|package|using)\b/.test(linePrefix) ? MEMBER_NAMES[languageId] : undefined;
}

/** Whether the cursor stands right after a member-access dot: after a name, a call or an index (`obj.`, `f().`, `a[0].`; not `1.`). */
export function afterMemberDot(linePrefix: string): boolean {
  return /(?:(?:^|[^\w$])[A-Za-z_$][\w$]*|[)\]])\.$/.test(linePrefix);
}
