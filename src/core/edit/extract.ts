/**
 * Turns a chat model's raw reply to an edit request into the text that replaces the selection.
 *
 * Models answer in many shapes: one fenced block (``` or ~~~, with or without a language tag), prose
 * before and after it ("Here is the updated code:"), several blocks ("Before:/After:", a usage example,
 * the code split in two), no fence at all (maybe after a bare "typescript" line), `<think>` reasoning
 * first, a unified diff or SEARCH/REPLACE blocks instead of the code, the surrounding context repeated,
 * the code dedented to column 0 or indented with spaces where the file uses tabs, "\n" where the file
 * uses "\r\n", the final newline dropped; and small models sometimes answer with noise. extractRewrite
 * undoes all of that so the diff shows only what the model changed:
 *
 *   1. drop reasoning blocks (`<think>…</think>`, also a dangling `</think>`); nothing left but reasoning
 *      is named as such;
 *   2. a unified diff or SEARCH/REPLACE reply is applied to the selection (refused when it does not apply);
 *   3. else pick the code: the fenced block most like the selection (ties → the longest; a block identical
 *      to the selection loses to any other; blocks that are parts of one rewrite are joined), else the
 *      whole reply minus leading/trailing prose lines and a bare language-name line;
 *   4. drop lines that repeat the code just before/after the selection (when `before`/`after` are given);
 *   5. refuse what is not plausibly code of the selection (src/core/reply/plausible.ts);
 *   6. re-base indentation: the selection's indent style (tabs/spaces) and base indent are kept;
 *   7. use the selection's EOL and its leading/trailing blank lines and final newline.
 *
 * The fence, prose and reasoning rules live in src/core/reply/, shared with the streaming view.
 *
 * Known trade-off: an instruction whose whole point is to change the base indentation of the selection
 * ("indent this block") is undone by step 6.
 *
 * The streaming view (streamingDiff.ts) runs an incremental version of steps 1, 3 and 6 over lines as they
 * arrive; the final diff always comes from this function.
 */
import {
  applyPatch,
  findFencedBlocks,
  implausibleCode,
  isLanguageTagLine,
  isProseLine,
  parsePatchReply,
  PREFACE,
  splitReasoning,
  trimTrailingBlank,
  type FencedBlock,
} from '../reply';
import { detectEol, Eol, lineContent, lineTerminator, splitLines } from './lines';

export { findFencedBlocks, isFenceClose, isProseLine, parseFenceOpen, stripReasoning } from '../reply';
export type { FencedBlock, FenceOpen } from '../reply';

export type RefusalReason = 'empty' | 'reasoningOnly' | 'noCode' | 'unchanged' | 'patchFailed' | 'noise';

export type ExtractResult = { ok: true; text: string } | { ok: false; reason: RefusalReason; message: string };

export interface ExtractContext {
  /** The selected text the reply rewrites. */
  selection: string;
  /** VS Code language id of the document (markdown/plaintext replies are prose by nature). */
  languageId?: string;
  /** The document's line ending; defaults to the selection's dominant one. */
  eol?: Eol;
  /** Document text before the selection: lets extraction drop repeated context and see a mid-line start. */
  before?: string;
  /** Document text after the selection. */
  after?: string;
  /** Reasoning the server sent apart from the content (`reasoning_content`). */
  reasoning?: string;
}

export const EXTRACT_MESSAGES: Record<RefusalReason, string> = {
  empty: 'The model returned an empty reply.',
  reasoningOnly: 'The model only reasoned and gave no answer.',
  noCode: 'The model replied without any code to apply.',
  unchanged: 'The model proposed no changes.',
  patchFailed: 'The model replied with a diff that does not apply to the selection.',
  noise: 'The reply does not look like code for the selection.',
};

/** Languages whose content is prose: no reply is "prose only" for them. */
const PROSE_LANGUAGES = new Set(['markdown', 'plaintext', 'text', 'latex', 'restructuredtext', 'asciidoc', 'org']);

export function extractRewrite(reply: string, ctx: ExtractContext): ExtractResult {
  const eol: Eol = ctx.eol ?? detectEol(ctx.selection);
  const split = splitReasoning(reply.replace(/^\uFEFF/, ''));
  const text = split.answer.replace(/\r\n?/g, '\n');
  if (text.trim() === '') {
    const reasoned = split.reasoning !== '' || split.open || (ctx.reasoning ?? '').trim() !== '';
    return refuse(reasoned ? 'reasoningOnly' : 'empty');
  }

  const selectionLines = splitLines(ctx.selection.replace(/\r\n?/g, '\n')).map(lineContent);
  const proseLanguage = PROSE_LANGUAGES.has((ctx.languageId ?? '').toLowerCase());

  let code: string[];
  const patch = parsePatchReply(text, ctx.languageId);
  if (patch) {
    const applied = applyPatch(selectionLines, patch);
    if (!applied.ok) return refuse('patchFailed');
    code = applied.lines;
  } else {
    const blocks = findFencedBlocks(text);
    if (blocks.length > 0) {
      const chosen = chooseCode(blocks, selectionLines);
      if (!chosen) return refuse('empty');
      code = chosen;
    } else {
      const unfenced = codeOutsideFences(text.split('\n'), selectionLines, proseLanguage, ctx.languageId);
      if (!unfenced) return refuse('noCode');
      code = unfenced;
    }
    code = dropRepeatedContext(trimBlankEnds(code), ctx, selectionLines);
  }
  if (code.every((l) => l.trim() === '')) return refuse('empty');
  if (!patch && implausibleCode(code, selectionLines, { proseLanguage })) return refuse('noise');

  const rewritten = fitToSelection(code, ctx, eol);
  if (sameModuloEol(rewritten, ctx.selection)) return refuse('unchanged');
  return { ok: true, text: rewritten };
}

function refuse(reason: RefusalReason): ExtractResult {
  return { ok: false, reason, message: EXTRACT_MESSAGES[reason] };
}

function sameModuloEol(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\r\n/g, '\n').replace(/\n+$/, '');
  return norm(a) === norm(b);
}

function trimBlankEnds(lines: string[]): string[] {
  let start = 0;
  while (start < lines.length && lines[start].trim() === '') start++;
  return trimTrailingBlank(lines.slice(start));
}

// ---------------------------------------------------------------------------------------------------
// 3. Fenced blocks

/**
 * The code of a reply with fenced blocks: the block most like the selection, or several blocks joined
 * when together they are far more like it than any one of them (the code split in two).
 */
function chooseCode(blocks: FencedBlock[], selectionLines: string[]): string[] | undefined {
  let candidates = blocks.filter((b) => b.lines.some((l) => l.trim() !== ''));
  if (candidates.length === 0) return undefined;
  // A block that only wraps another fenced block (```` around ```ts): the inner code is meant.
  candidates = candidates.map((b) => unwrap(b, selectionLines));
  const selectionKey = trimmedKey(selectionLines);
  const differing = candidates.filter((b) => trimmedKey(b.lines) !== selectionKey);
  if (differing.length > 0) candidates = differing;
  const selectionTokens = tokenBag(selectionLines);
  const scored = candidates.map((b) => ({ b, sim: dice(selectionTokens, tokenBag(b.lines)), size: codeSize(b.lines) }));
  const best = Math.max(...scored.map((s) => s.sim));
  const close = scored.filter((s) => s.sim >= best - 0.1);
  close.sort((x, y) => y.size - x.size || y.sim - x.sim);
  // Parts of one rewrite: together they hold much more of the selection than the chosen block alone.
  const joined = candidates.flatMap((b, i) => (i === 0 ? b.lines : ['', ...b.lines]));
  if (candidates.length <= 3 && recall(selectionTokens, tokenBag(joined)) >= recall(selectionTokens, tokenBag(close[0].b.lines)) + 0.25) return joined;
  return close[0].b.lines;
}

function unwrap(block: FencedBlock, selectionLines: string[]): FencedBlock {
  const inner = findFencedBlocks(block.lines.join('\n'));
  const body = trimBlankEnds(block.lines);
  const selectionFenced = selectionLines.some((l) => /^\s*(`{3,}|~{3,})/.test(l));
  if (selectionFenced || inner.length !== 1 || body.length !== inner[0].lines.length + 2) return block;
  return inner[0];
}

function trimmedKey(lines: string[]): string {
  return lines
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\n');
}

function codeSize(lines: string[]): number {
  return lines.reduce((n, l) => n + l.trim().length, 0);
}

function tokenBag(lines: string[]): Map<string, number> {
  const bag = new Map<string, number>();
  for (const line of lines) {
    for (const token of line.match(/[A-Za-z_$][\w$]*|\d+|[^\s\w]/g) ?? []) bag.set(token, (bag.get(token) ?? 0) + 1);
  }
  return bag;
}

/** Sørensen–Dice coefficient of two token multisets, in [0, 1]. */
function dice(a: Map<string, number>, b: Map<string, number>): number {
  let total = 0;
  let common = 0;
  for (const n of a.values()) total += n;
  for (const [token, n] of b) {
    total += n;
    common += Math.min(n, a.get(token) ?? 0);
  }
  return total === 0 ? 0 : (2 * common) / total;
}

/** The share of the selection's tokens that `b` holds. */
function recall(selection: Map<string, number>, b: Map<string, number>): number {
  let total = 0;
  let held = 0;
  for (const [token, n] of selection) {
    total += n;
    held += Math.min(n, b.get(token) ?? 0);
  }
  return total === 0 ? 0 : held / total;
}

/** The code of a reply without fences: leading and trailing prose dropped; undefined when nothing is left. */
function codeOutsideFences(lines: string[], selectionLines: string[], proseLanguage: boolean, languageId?: string): string[] | undefined {
  const selectionTrimmed = new Set(selectionLines.map((l) => l.trim()).filter((l) => l !== ''));
  const prose = proseLanguage
    ? (l: string) => l.trim() !== '' && !selectionTrimmed.has(l.trim()) && PREFACE.test(l.trim()) && /:\s*$/.test(l)
    : (l: string) => isProseLine(l, selectionTrimmed);
  let start = 0;
  while (start < lines.length && (lines[start].trim() === '' || prose(lines[start]))) start++;
  // A bare language name before the code ("typescript"): a fence without its backticks.
  if (start < lines.length && !selectionTrimmed.has(lines[start].trim()) && isLanguageTagLine(lines[start], languageId)) {
    start++;
    while (start < lines.length && lines[start].trim() === '') start++;
  }
  let end = lines.length;
  if (!proseLanguage) {
    while (end > start && (lines[end - 1].trim() === '' || prose(lines[end - 1]))) end--;
  }
  if (start >= end) return undefined;
  const code = lines.slice(start, end);
  // A one-liner wrapped in inline backticks: `x + 1`
  if (code.length === 1) {
    const inline = /^(\s*)`([^`]+)`\s*$/.exec(code[0]);
    if (inline) return [inline[1] + inline[2]];
  }
  return code;
}

// ---------------------------------------------------------------------------------------------------
// 4. Repeated context

/** Drops lines at the start (end) of the code that repeat the end of `before` (start of `after`). */
function dropRepeatedContext(code: string[], ctx: ExtractContext, selectionLines: string[]): string[] {
  const selTrim = selectionLines.map((l) => l.trim());
  let out = code;

  if (ctx.before) {
    const beforeLines = splitLines(ctx.before.replace(/\r\n?/g, '\n'));
    // The before text's last line is the start of the selection's line unless it ends with a newline.
    if (beforeLines.length > 0 && lineTerminator(beforeLines[beforeLines.length - 1]) === '') beforeLines.pop();
    const context = beforeLines.map((l) => lineContent(l).trim());
    const k = repeatedHead(out, context, selTrim, selectionLines);
    out = out.slice(k);
  }
  if (ctx.after) {
    const afterLines = splitLines(ctx.after.replace(/\r\n?/g, '\n'));
    // Unless the selection ends with a newline, the after text starts with the rest of its last line.
    if (!/\n$/.test(ctx.selection) && afterLines.length > 0) afterLines.shift();
    const context = afterLines.map((l) => lineContent(l).trim()).reverse();
    const k = repeatedHead([...out].reverse(), context, [...selTrim].reverse(), selectionLines);
    out = out.slice(0, out.length - k);
  }
  return out;
}

/**
 * How many of the code's first lines repeat the context's last lines (compared trimmed): the largest
 * k < code.length that matches and is believable. Lines with words in them must not simply be the
 * selection's own first lines; punctuation-only lines (a lone "}") only go when that balances the
 * brackets of the code like the selection's.
 */
function repeatedHead(code: string[], context: string[], selectionTrimmed: string[], selectionLines: string[]): number {
  const codeTrim = code.map((l) => l.trim());
  const n = context.length;
  if (code.length < 2 || n === 0) return 0;
  for (let from = 0; from < n; from++) {
    const k = n - from;
    if (k >= code.length || context[from] !== codeTrim[0]) continue;
    let same = true;
    for (let i = 1; i < k && same; i++) same = codeTrim[i] === context[from + i];
    if (!same) continue;
    const head = codeTrim.slice(0, k);
    if (hasSubstance(head)) {
      const isSelection = k <= selectionTrimmed.length && head.every((l, i) => l === selectionTrimmed[i]);
      if (!isSelection) return k;
    } else if (balance(code) !== balance(selectionLines) && balance(code.slice(k)) === balance(selectionLines)) {
      return k;
    }
  }
  return 0;
}

function hasSubstance(trimmed: string[]): boolean {
  return trimmed.some((l) => /[A-Za-z0-9]/.test(l));
}

/** Bracket balance of some lines: + for openers, − for closers (strings and comments not excluded). */
function balance(lines: string[]): number {
  let b = 0;
  for (const line of lines) for (const ch of line) b += ch === '{' || ch === '(' || ch === '[' ? 1 : ch === '}' || ch === ')' || ch === ']' ? -1 : 0;
  return b;
}

// ---------------------------------------------------------------------------------------------------
// 6–7. Indentation, line endings, blank lines

export function leadingWhitespace(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** The longest leading-whitespace prefix shared by all non-blank lines. */
export function commonIndent(lines: readonly string[]): string {
  let base: string | undefined;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const ws = leadingWhitespace(line);
    if (base === undefined) {
      base = ws;
      continue;
    }
    let i = 0;
    while (i < base.length && i < ws.length && base[i] === ws[i]) i++;
    base = base.slice(0, i);
    if (base === '') break;
  }
  return base ?? '';
}

export type IndentStyle = 'tabs' | 'spaces' | undefined;

export function indentStyle(lines: readonly string[]): IndentStyle {
  let tabs = 0;
  let spaces = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    if (line.startsWith('\t')) tabs++;
    else if (line.startsWith(' ')) spaces++;
  }
  if (tabs === 0 && spaces === 0) return undefined;
  return tabs >= spaces ? 'tabs' : 'spaces';
}

/** The indent step of space-indented lines (the most common positive difference between indents), 2–8. */
export function indentUnit(lines: readonly string[]): number | undefined {
  const widths = lines.filter((l) => l.trim() !== '' && /^ *\S/.test(l)).map((l) => leadingWhitespace(l).length);
  const counts = new Map<number, number>();
  const sorted = [...new Set(widths)].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++) {
    const step = i === 0 ? sorted[0] : sorted[i] - sorted[i - 1];
    if (step >= 2 && step <= 8) counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  let best: number | undefined;
  for (const [step, n] of counts) if (best === undefined || n > counts.get(best)! || (n === counts.get(best) && step < best)) best = step;
  return best;
}

/** Rewrites the leading whitespace of each line in the `to` style, `unit` columns a level (inner whitespace untouched). */
export function convertIndentStyle(lines: readonly string[], to: 'tabs' | 'spaces', unit: number): string[] {
  return lines.map((line) => {
    const ws = leadingWhitespace(line);
    if (ws === '') return line;
    let width = 0;
    for (const ch of ws) width = ch === '\t' ? width - (width % unit) + unit : width + 1;
    const indent = to === 'tabs' ? '\t'.repeat(Math.floor(width / unit)) + ' '.repeat(width % unit) : ' '.repeat(width);
    return indent + line.slice(ws.length);
  });
}

export interface IndentPlan {
  style?: { to: 'tabs' | 'spaces'; unit: number };
  from: string;
  to: string;
}

/**
 * Re-bases model lines onto the selection's indentation: converts tabs/spaces to the document's style,
 * then replaces the model's common indent with the selection's. `selectionLines` should already carry
 * the indentation in front of a selection that starts mid-indentation (see indentBeforeSelection).
 */
export function planIndent(codeLines: readonly string[], selectionLines: readonly string[], contextLines: readonly string[] = []): IndentPlan {
  const docStyle = indentStyle(selectionLines) ?? indentStyle(contextLines);
  const codeStyle = indentStyle(codeLines);
  let style: IndentPlan['style'];
  let converted = codeLines;
  if (docStyle && codeStyle && docStyle !== codeStyle) {
    const unit =
      docStyle === 'tabs'
        ? indentUnit(codeLines) ?? 4
        : indentUnit(selectionLines) ?? indentUnit(contextLines) ?? 4;
    style = { to: docStyle, unit };
    converted = convertIndentStyle(codeLines, docStyle, unit);
  }
  return { style, from: commonIndent(converted), to: commonIndent(selectionLines) };
}

export function applyIndentPlan(line: string, plan: IndentPlan): string {
  let out = line;
  if (plan.style) out = convertIndentStyle([out], plan.style.to, plan.style.unit)[0];
  if (out.trim() === '' || plan.from === plan.to) return out;
  if (out.startsWith(plan.from)) return plan.to + out.slice(plan.from.length);
  return out;
}

/** The part of the selection's first line that lies before it in the document, when it is only whitespace. */
export function indentBeforeSelection(before: string | undefined): string {
  if (!before) return '';
  const lastLine = before.slice(before.lastIndexOf('\n') + 1);
  return /^[ \t]*$/.test(lastLine) ? lastLine : '';
}

function fitToSelection(code: string[], ctx: ExtractContext, eol: Eol): string {
  const selection = ctx.selection;
  const selLines = splitLines(selection);
  const selContent = selLines.map(lineContent);
  const firstNonBlank = selContent.findIndex((l) => l.trim() !== '');

  // Leading and trailing blank lines of the code give way to the selection's own.
  let start = 0;
  while (start < code.length && code[start].trim() === '') start++;
  code = trimTrailingBlank(code.slice(start));

  if (firstNonBlank < 0) {
    // Nothing but whitespace selected (a place to write into): keep the code as it came, ending with a
    // newline when the selection held one, or when it is inserted at the start of a line that has text.
    const body = code.join(eol);
    if (selection !== '') return /\n$/.test(selection) ? body + eol : body;
    const atLineStart = !ctx.before || ctx.before.endsWith('\n');
    const textFollows = !!ctx.after && !/^\r?\n/.test(ctx.after);
    return atLineStart && textFollows ? body + eol : body;
  }
  let lastNonBlank = selContent.length - 1;
  while (selContent[lastNonBlank].trim() === '') lastNonBlank--;
  const leading = selLines.slice(0, firstNonBlank).join('');
  const trailing = lineTerminator(selLines[lastNonBlank]) + selLines.slice(lastNonBlank + 1).join('');

  // A selection that starts after some indentation: measure with that indentation in place.
  const prefix = firstNonBlank === 0 ? indentBeforeSelection(ctx.before) : '';
  const effective = selContent.slice(firstNonBlank, lastNonBlank + 1);
  effective[0] = prefix + effective[0];
  // A selection that starts mid-line (after code): its first line says nothing about indentation.
  const midLine = firstNonBlank === 0 && !!ctx.before && !/(^|\n)[ \t]*$/.test(ctx.before);
  const measured = midLine ? effective.slice(1) : effective;
  const codeMeasured = midLine ? code.slice(1) : code;
  const context = [...splitLines(ctx.before ?? '').slice(-50), ...splitLines(ctx.after ?? '').slice(0, 50)].map(lineContent);

  const plan = planIndent(codeMeasured, measured, context);
  if (!measured.some((l) => l.trim() !== '')) {
    // A single line selected from mid-line: further lines of the rewrite sit at that line's indent.
    plan.to = leadingWhitespace(ctx.before!.slice(ctx.before!.lastIndexOf('\n') + 1));
  }
  const out = code.map((line, i) => (midLine && i === 0 ? line.trimStart() : applyIndentPlan(line, plan)));
  if (prefix && out.length > 0 && out[0].startsWith(prefix)) out[0] = out[0].slice(prefix.length);
  if (midLine) {
    // The model may repeat the start of the line that precedes the selection ("return " + selection).
    const lineStart = ctx.before!.slice(ctx.before!.lastIndexOf('\n') + 1).trim();
    if (out[0].startsWith(lineStart) && !selContent[0].trimStart().startsWith(lineStart)) {
      out[0] = out[0].slice(lineStart.length).trimStart();
    }
  }

  return leading + out.join(eol) + trailing;
}
