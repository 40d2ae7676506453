/**
 * Code fences in model replies, read the way models write them rather than strictly as CommonMark:
 *
 * - an opener is ``` or ~~~ (three or more, any indent) with an optional info string;
 * - a block closes at a bare fence of the same character at least as long as its opener, or at such a
 *   fence followed by a sentence ("``` This version uses reduce.");
 * - inside a block, an opener WITH an info string (```js) opens a nested block that the next bare fence
 *   closes: a fence shown inside a Markdown block, or a template literal holding a fence, stays code;
 *   a longer outer fence (````) closes the outer block even with a nested one open;
 * - an unclosed last block (a cut stream) runs to the end;
 * - a one-line ```code``` is a block of one line.
 */

export interface FenceOpen {
  indent: string;
  char: '`' | '~';
  length: number;
  info: string;
}

/** A fence opener (``` or ~~~, three or more, any indent, an optional info string). */
export function parseFenceOpen(line: string): FenceOpen | undefined {
  // A line of a reply with Windows line ends keeps its `\r` here.
  const m = /^([ \t]*)(`{3,}|~{3,})(.*?)\r?$/.exec(line);
  if (!m) return undefined;
  const char = m[2][0] as '`' | '~';
  const info = m[3].trim();
  if (char === '`' && info.includes('`')) return undefined;
  return { indent: m[1], char, length: m[2].length, info };
}

/** The run of a bare fence line (nothing but the fence), or undefined. */
function bareFence(line: string): string | undefined {
  const m = /^[ \t]*(`{3,}|~{3,})[ \t]*\r?$/.exec(line);
  return m ? m[1] : undefined;
}

/** Whether `line` closes a fence opened by `open` (same character, at least as long, nothing after it). */
export function isFenceClose(line: string, open: FenceOpen): boolean {
  const run = bareFence(line);
  return run !== undefined && run[0] === open.char && run.length >= open.length;
}

/** An info string as models write them: a language word, maybe attributes (`ts title="a.ts"`, `{.py}`). */
const INFO_STRING = /^[\w+#.-]*(\s*\{[^}]*\}|\s+[\w-]+=\S*)*$/;

/**
 * Whether `line` closes `open` with a sentence after the fence ("``` That's it."): the text after the
 * fence cannot be an info string.
 */
export function isFenceCloseWithText(line: string, open: FenceOpen): boolean {
  const m = /^[ \t]*(`{3,}|~{3,})(.+)$/.exec(line);
  if (!m || m[1][0] !== open.char || m[1].length < open.length) return false;
  const rest = m[2].trim();
  return /[A-Za-z]/.test(rest) && (!INFO_STRING.test(rest) || /[.!?:]$/.test(rest));
}

/**
 * Tracks one open block line by line. `line()` says whether a line is content or closes the block
 * (and whether the closing line carried a sentence).
 */
export class FenceTracker {
  private readonly nested: number[] = [];

  constructor(readonly open: FenceOpen) {}

  line(line: string): 'content' | 'close' {
    const run = bareFence(line);
    if (run !== undefined && run[0] === this.open.char) {
      const top = this.nested[this.nested.length - 1];
      const closesOuter = run.length >= this.open.length && (top === undefined || run.length > top);
      if (closesOuter) return 'close';
      if (top !== undefined && run.length >= top) this.nested.pop();
      return 'content';
    }
    if (this.nested.length === 0 && isFenceCloseWithText(line, this.open)) return 'close';
    const inner = parseFenceOpen(line);
    if (inner && inner.char === this.open.char && inner.info !== '' && INFO_STRING.test(inner.info) && inner.length <= this.open.length) {
      this.nested.push(inner.length);
    }
    return 'content';
  }

  /** A nested block is still open (its closing fence has not come). */
  get depth(): number {
    return this.nested.length;
  }
}

export interface FencedBlock {
  info: string;
  lines: string[];
  closed: boolean;
}

/** The fenced blocks of a reply ("\n" line endings). An unclosed last block (cut stream) runs to the end. */
export function findFencedBlocks(text: string): FencedBlock[] {
  const lines = text.split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const inline = /^\s*(`{3,})([^`]*?)\1\s*$/.exec(lines[i]);
    if (inline && inline[2].trim() !== '') {
      blocks.push({ info: '', lines: [inline[2].trim()], closed: true });
      continue;
    }
    const open = parseFenceOpen(lines[i]);
    if (!open) continue;
    let end = closeOf(lines, i, open, true);
    // Nesting that never closes was a misreading: a block that a plain reading closes ends there.
    if (end >= lines.length) end = closeOf(lines, i, open, false);
    const body = lines.slice(i + 1, end).map((l) => stripPrefix(l, open.indent));
    const closed = end < lines.length;
    blocks.push({ info: open.info, lines: closed ? body : trimTrailingBlank(body), closed });
    i = end;
  }
  return blocks;
}

/** The index of the line that closes the block opened at `at` (lines.length when none does). */
function closeOf(lines: string[], at: number, open: FenceOpen, nesting: boolean): number {
  const tracker = new FenceTracker(open);
  for (let j = at + 1; j < lines.length; j++) {
    if (nesting ? tracker.line(lines[j]) === 'close' : isFenceClose(lines[j], open) || isFenceCloseWithText(lines[j], open)) return j;
  }
  return lines.length;
}

function stripPrefix(line: string, prefix: string): string {
  return prefix && line.startsWith(prefix) ? line.slice(prefix.length) : line;
}

export function trimTrailingBlank(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1].trim() === '') end--;
  return lines.slice(0, end);
}
