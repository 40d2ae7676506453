/**
 * Cleaning a completion while it streams: a chain of small filters, one reason each. Every filter sees
 * the text the previous one let through (the whole text so far, not just the last delta) and returns
 * what it lets through plus whether the completion is finished. A filter that says `stop` ends the
 * stream: the caller stops reading and the HTTP request closes.
 *
 * While streaming (`final: false`) a filter may hold back a tail it cannot judge yet (half a stop
 * sequence, an unfinished first line of prose); on the final pass it decides. What a filter lets
 * through while streaming must not be undone by text that comes later: a later filter may end the
 * stream on it, and the result must not depend on where the chunks of the reply were split.
 */
import {
  CLOSE_TO_OPEN,
  type IndentStyle,
  type LineMode,
  OPEN_TO_CLOSE,
  indentWidth,
  inLineComment,
  leadingWhitespace,
  lineComment,
  linePrefixOf,
  lineSuffixOf,
  nextCodeLine,
  memberNamesAfter,
  openBrackets,
  scanBrackets,
  scanCode,
  type StatementShape,
  statementShape,
} from './position';
import { PREFACE, REASONING_OPEN, REASONING_TAGS, isProseLine, parseFenceOpen } from '../reply';
import { cursorCharEcho, loopEnd, prefixTailEcho } from './repeats';

export type ReplyStyle = 'fim' | 'chat';

export interface CleanContext {
  /** Text before the cursor (a window is enough: the cursor's line and the lines before it). */
  prefix: string;
  /** Text after the cursor. */
  suffix: string;
  languageId: string;
  lineMode: LineMode;
  /** Stop sequences of the prompt format. */
  stop: readonly string[];
  /** Chat replies may carry fences, prose and echoes of the code around the hole. */
  style: ReplyStyle;
  indent: IndentStyle;
}

export interface FilterStep {
  text: string;
  /** The completion is finished at `text`: stop reading the stream. */
  stop?: boolean;
}

export interface StreamFilter {
  readonly name: string;
  apply(text: string, ctx: CleanContext, final: boolean): FilterStep;
}

const keep = (text: string): FilterStep => ({ text });
const cut = (text: string): FilterStep => ({ text, stop: true });

/** Lines of a completion with the offset where each starts. */
function lines(text: string): { line: string; start: number }[] {
  const out: { line: string; start: number }[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      out.push({ line: text.slice(start), start });
      return out;
    }
    out.push({ line: text.slice(start, nl).replace(/\r$/, ''), start });
    start = nl + 1;
  }
}

/**
 * A model's control token (`<|im_end|>`, `<|file_sep|>`, `<｜end▁of▁sentence｜>`): never code, whatever
 * the prompt format, so it ends the completion like a stop sequence of the format would. (`<|cursor|>`
 * marks the hole itself: chat replies repeat it inside the code, and `chatWrapper` drops it.)
 */
const CONTROL_TOKEN = /<([|｜])(?!cursor[|｜])[a-z][a-z0-9_▁]*\1>/;
/** The start of a control token at the end of a text (`<|im_`), which the next chunk may complete. */
const CONTROL_TOKEN_START = /<(?:[|｜][a-z0-9_▁]*[|｜]?)?$/;

/**
 * Ends the completion at the first stop sequence or control token; holds back a tail that may be the
 * start of one.
 */
export const stopSequences: StreamFilter = {
  name: 'stopSequences',
  apply(text, ctx, final) {
    let at = CONTROL_TOKEN.exec(text)?.index ?? -1;
    for (const s of ctx.stop) {
      if (!s) continue;
      const i = text.indexOf(s);
      if (i >= 0 && (at < 0 || i < at)) at = i;
    }
    if (at >= 0) return cut(text.slice(0, at));
    if (final) return keep(text);
    let hold = CONTROL_TOKEN_START.exec(text)?.[0].length ?? 0;
    for (const s of ctx.stop) {
      for (let k = Math.min(s.length - 1, text.length); k > hold; k--) {
        if (text.endsWith(s.slice(0, k))) {
          hold = k;
          break;
        }
      }
    }
    return keep(text.slice(0, text.length - hold));
  },
};

/** A completion's own introduction; the generic prefaces ("Here is", "Sure") are src/core/reply's `PREFACE`. */
const PROSE_START = /^(?:the (?:missing|completed?|completion|code|rest)\b|this (?:code|completion|fills)\b|to (?:complete|fill)\b|completion\s*:|answer\s*:|output\s*:|i(?: would| will|'d)\b)/i;
/** Marks of code: a line holding one is never prose (`summary = x;` is not the preface "Summary"). */
const CODE_MARK = /[;{}=<>[\]`|&]|=>|\(\)|::|->/;
const PROSE_AFTER = /^(?:this (?:code|completion|function|will|fills|adds|implementation)\b|note\b|explanation\b|the (?:above|code above|completion)\b|in this\b|i (?:have|added|used)\b|let me know\b)/i;
/** A fence line that opens (or, bare, closes) a block: the reply rules' opener with at most a language word after it. */
const FENCE_LINE = {
  test(line: string): boolean {
    const open = parseFenceOpen(line);
    return open !== undefined && /^[\w+#.-]*$/.test(open.info);
  },
};
const TAGS = /<\/?(?:COMPLETION|completion|FILL_HERE|CURSOR)>|\{\{FILL_HERE\}\}|<\|?cursor\|?>/g;

/**
 * Chat replies: drops `<COMPLETION>` tags, an introduction line ("Here is the completion:"), an opening
 * code fence and everything from the closing fence on, and a closing paragraph of explanation.
 * A reply in fill-in-the-middle style passes untouched unless it starts with a fence.
 */
export const chatWrapper: StreamFilter = {
  name: 'chatWrapper',
  apply(text, ctx, final) {
    const head = text.trimStart();
    const headLine = head.split('\n', 1)[0];
    const fenceFirst = FENCE_LINE.test(headLine) && head.includes('\n');
    // (as `parseFenceOpen` reads one: blanks may come before the language word.)
    const maybeFence = !final && !head.includes('\n') && /^(?:`+|~+)[ \t]*[\w+#.-]*[ \t]*\r?$/.test(headLine);
    // Whitespace alone cannot be judged yet either: a fence may follow it.
    if (ctx.style !== 'chat' && !fenceFirst) return keep(maybeFence || (!final && head === '') ? '' : text);
    let t = ctx.style === 'chat' ? text.replace(TAGS, '') : text;
    // The start of a tag (`<COMPL`) is not text yet: it may vanish once the tag is complete.
    if (ctx.style === 'chat' && !final) t = withoutPartialTag(t);
    // Introduction line(s) before a fence, or a prose line on its own.
    const ls = lines(t);
    // While every finished line is blank or prose, a fence may still come and make them all an
    // introduction to drop: they cannot be judged yet. Wait while the unfinished line could still be
    // blank, prose or a fence. (Letting them through would let a later filter end the stream on a line
    // the whole reply drops, e.g. lineMode on a blank first line before "```".)
    if (!final) {
      const done = ls.slice(0, -1);
      const open = ls[ls.length - 1].line;
      if (
        !done.some((l) => FENCE_LINE.test(l.line)) &&
        done.every((l) => l.line.trim() === '' || isProse(l.line)) &&
        (maybeFence || /^\s*(?:`|~)/.test(open) || couldBeProse(open))
      ) {
        return keep('');
      }
    }
    let i = 0;
    const fenceAt = ls.findIndex((l) => FENCE_LINE.test(l.line));
    if (fenceAt > 0 && ls.slice(0, fenceAt).every((l) => l.line.trim() === '' || isProse(l.line))) i = fenceAt;
    else if (ls.length > 1 && isProse(ls[0].line) && ctx.style === 'chat') i = 1;
    let body = i > 0 ? t.slice(ls[i].start) : t;
    let opened = false;
    const firstLine = body.split('\n', 1)[0];
    if (FENCE_LINE.test(firstLine)) {
      if (body.includes('\n')) {
        body = body.slice(firstLine.length + 1);
        opened = true;
      } else if (!final || ctx.style === 'chat') {
        return keep('');
      }
    }
    // A closing fence ends the completion.
    const bodyLines = lines(body);
    const closing = bodyLines.findIndex(
      (l, k) => (final || k < bodyLines.length - 1) && parseFenceOpen(l.line)?.info === '' && (opened || k > 0 || ctx.style === 'chat'),
    );
    // A paragraph of explanation after the code (before the closing fence, if there is one). Whichever
    // comes first ends the completion: the streaming pass sees the earlier one first.
    let explanation = -1;
    if (ctx.style === 'chat') {
      for (let k = 1; k < (closing >= 0 ? closing : bodyLines.length); k++) {
        const line = bodyLines[k].line.trim();
        // (`Note(a);` is code: a sentence does not end with `;` or `{`.)
        if (bodyLines[k - 1].line.trim() === '' && (final || k < bodyLines.length - 1) && PROSE_AFTER.test(line) && !/[;{]$/.test(line)) {
          explanation = k;
          break;
        }
      }
    }
    const explain = () => cut(body.slice(0, bodyLines[explanation - 1].start).replace(/\n$/, ''));
    if (closing >= 0) return explanation >= 0 ? explain() : cut(body.slice(0, Math.max(0, bodyLines[closing].start - 1)));
    // A fence line not finished yet (`, ``, ```…) may be the closing one: held back until it is.
    const halfFence = /(?:^|\n)[ \t]*(?:`+|~+)$/.exec(body);
    if (!final && opened && halfFence) return keep(body.slice(0, halfFence.index));
    // Blank lines between an introduction and the code: nothing to judge yet.
    if (ctx.style === 'chat' && !final && body.trim() === '') return keep('');
    // A chat reply that is only a sentence of prose (no code) is no suggestion, unless the cursor is in a comment or string.
    // While streaming it is held back until a line of code follows: had it gone through, a later filter
    // could end the stream on it (lineMode at its line break) and the final pass would then drop it.
    if (ctx.style === 'chat' && !body.trim().includes('\n') && isProse(body) && !inCommentOrString(linePrefixOf(ctx.prefix))) return keep('');
    if (explanation >= 0) return explain();
    return keep(body);
  },
};

/**
 * A line of prose: the reply rules' (src/core/reply: prefaces, sentences, headings) plus the openings
 * of a completion's own introduction ("The missing code:", "Completion:").
 */
function isProse(line: string): boolean {
  const t = line.trim();
  return PROSE_START.test(t) || (isProseLine(t) && !CODE_MARK.test(t));
}

function inCommentOrString(linePrefix: string): boolean {
  if (/^\s*(?:\/\/|#|\*|--|\/\*|<!--)/.test(linePrefix)) return true;
  for (const q of ['"', "'", '`']) if (linePrefix.split(q).length % 2 === 0) return true;
  return false;
}

/** True when an unfinished line may still turn out to be prose (`isProse`) once it is complete. */
function couldBeProse(partial: string): boolean {
  const trimmed = partial.trim();
  const t = trimmed.toLowerCase().replace(/\s+:/, ':');
  if (t === '') return true;
  const starts = ['sure', 'certainly', 'of course', "here's", 'here is', 'here are', 'the missing', 'the complet', 'the code', 'the rest', 'this code', 'this complet', 'this fills', 'to complete', 'to fill', 'completion:', 'answer:', 'output:', 'below', "i'", 'i have', 'i will', 'i would'];
  if (starts.some((s) => s.startsWith(t) || t.startsWith(s)) || (PREFACE.test(trimmed) && !CODE_MARK.test(trimmed))) return true;
  // A Markdown heading, bullet or bold label still being written.
  if (/^(?:#{2,6}(?:\s|$)|[-*+•](?:\s|$)|\d{1,2}[.)](?:\s|$)|\*\*)/.test(trimmed) && !CODE_MARK.test(trimmed)) return true;
  // The start of a sentence ("This returns the sum.").
  return !CODE_MARK.test(trimmed) && /^[A-Z“"'(]/.test(trimmed);
}

const TAG_NAMES = ['<COMPLETION>', '</COMPLETION>', '<completion>', '</completion>', '<FILL_HERE>', '</FILL_HERE>', '<CURSOR>', '</CURSOR>', '{{FILL_HERE}}', '<cursor>', '<|cursor|>'];

/** The text without the start of a tag (`<COMPL`) it may end with. */
function withoutPartialTag(text: string): string {
  for (let k = Math.min(text.length, 12); k > 0; k--) {
    const tail = text.slice(text.length - k);
    if (TAG_NAMES.some((tag) => tag.length > k && tag.startsWith(tail))) return text.slice(0, text.length - k);
  }
  return text;
}

/**
 * Reasoning at the start of a reply (`<think>…</think>`, the tags of src/core/reply): never code. While
 * the block (or its opening tag) is still arriving nothing goes through; once it closes, the answer
 * after it does; a reply that only thought gives nothing.
 */
export const reasoning: StreamFilter = {
  name: 'reasoning',
  apply(text, _ctx, final) {
    const head = text.trimStart();
    // Whitespace alone, or the start of an opening tag, cannot be judged yet.
    if (!final && (head === '' || REASONING_TAGS.some((tag) => `<${tag}>`.length > head.length && `<${tag}>`.startsWith(head.toLowerCase())))) return keep('');
    const open = REASONING_OPEN.exec(head);
    if (!open) return keep(text);
    const close = new RegExp(`</${open[1]}>`, 'i').exec(head);
    if (!close) return keep('');
    const answer = head.slice(close.index + close[0].length);
    // The line break after the closing tag is layout, not code; so are blank lines after it.
    return keep(!final && answer.trim() === '' ? '' : answer.replace(/^(?:[ \t]*\r?\n)+/, ''));
  },
};

/** A line of code ending like this is unfinished: what comes next belongs on the same line. */
const UNFINISHED = /(?:[-+*/%&|^=<>!?~.]\s*|\b(?:return|await|yield|new|throw|in|of|not|and|or|is|if|elif|while|for|case|import|from|as|extends|implements|instanceof|typeof|lambda|assert|raise|del)\s*|^(?:[\w$@.<>[\]?]+[ \t]+)+)$/;

/**
 * A reply that starts with a line break where none belongs: on a line of its own (the cursor after
 * indentation only), blank lines before the code are dropped and so is the indentation the cursor's
 * line already has; after an unfinished statement (`x = |`, `obj.|`, `public |`), the code the model
 * moved to the next line comes back to the cursor's line (blank and comment lines before it dropped).
 * After a finished statement, a block opener, a comma or an open bracket, a line break is the model's
 * own and stays. While the reply is only such lines, it is held back.
 */
export const leadingBreak: StreamFilter = {
  name: 'leadingBreak',
  apply(text, ctx, final) {
    const linePrefix = linePrefixOf(ctx.prefix);
    const code = linePrefix.trim();
    const shape = shapeOf(ctx);
    const blank = code === '';
    let joins = false;
    if (!blank && shape.kind === 'statement') {
      joins = shape.semicolons ? !/[;{},([)\]]$/.test(code) : UNFINISHED.test(linePrefix.trimStart()) && !(shape.colonBlocks && code.endsWith(':'));
    }
    // Code after the cursor on its line: the completion goes between, never on a line of its own.
    if (!blank && shape.kind === 'line' && lineSuffixOf(ctx.suffix).trim() !== '' && !inLineComment(linePrefix, ctx.languageId)) joins = true;
    if (!blank && !joins) return keep(text);
    const ls = lines(text);
    if (ls[0].line.trim() !== '') return keep(text);
    const skippable = (line: string) => line.trim() === '' || (!blank && isCommentLine(line.trimStart(), ctx.languageId));
    let k = 0;
    while (k < ls.length && (k < ls.length - 1 || final) && skippable(ls[k].line)) k++;
    if (k === ls.length) return keep('');
    // The first code line has not started yet (or may still turn into a comment).
    if (!final && k === ls.length - 1 && (ls[k].line.trim() === '' || /^\s*\/?$/.test(ls[k].line) || (!blank && couldBeComment(ls[k].line, ctx.languageId)))) return keep('');
    const body = text.slice(ls[k].start);
    if (!blank) return keep(body.trimStart());
    const lead = leadingWhitespace(body);
    return keep(body.slice(lead.startsWith(linePrefix) ? linePrefix.length : lead.length));
  },
};

function couldBeComment(partial: string, languageId: string): boolean {
  const t = partial.trimStart();
  const marker = lineComment(languageId) ?? '//';
  return marker.startsWith(t) || isCommentLine(t, languageId) || '/*'.startsWith(t);
}

/** Keywords that never follow themselves in code, so a reply that starts with the one before the cursor repeats it. */
const REPEATABLE_NEVER = new Set(
  'in out ref this return new public private protected internal static readonly const final var let val def async await yield throw import from class interface struct enum abstract override virtual sealed'.split(' '),
);

/** The cursor's line as the echo and member rules read it (once per cleaning context: they run on every streamed chunk). */
interface CursorLine {
  linePrefix: string;
  /** Not in a string or a line comment. */
  inCode: boolean;
  /** The line above the cursor's and the next line of code below it, for columns the code lines up with. */
  neighbours: readonly string[];
}
const cursorLines = new WeakMap<CleanContext, CursorLine>();
function cursorLineOf(ctx: CleanContext): CursorLine {
  let line = cursorLines.get(ctx);
  if (!line) {
    const linePrefix = linePrefixOf(ctx.prefix);
    const lineStart = ctx.prefix.length - linePrefix.length;
    const above = lineStart === 0 ? '' : linePrefixOf(ctx.prefix.slice(0, lineStart - 1));
    line = {
      linePrefix,
      inCode: openQuote(linePrefix, ctx.languageId) === undefined && !inLineComment(linePrefix, ctx.languageId),
      neighbours: [above, nextCodeLine(ctx.suffix) ?? ''],
    };
    cursorLines.set(ctx, line);
  }
  return line;
}

/**
 * Chat models often repeat the code before the hole: the cursor's line (with or without its
 * indentation), sometimes with a line or two above it. That echo is dropped. Fill-in-the-middle
 * replies lose a repeat of the cursor's line (from its first non-blank character).
 */
export const prefixEcho: StreamFilter = {
  name: 'prefixEcho',
  apply(text, ctx, final) {
    const { linePrefix, inCode, neighbours } = cursorLineOf(ctx);
    // The dot or space the cursor stands after, written again (a chat reply's echo of the whole line
    // is looked for first: it starts with the line's indentation).
    const withoutCharEcho = (t: string): FilterStep => {
      const again = cursorCharEcho(linePrefix, t, ctx.languageId, inCode, final, neighbours);
      return again === 'hold' ? keep('') : keep(again === undefined ? t : t.slice(again.drop));
    };
    if (ctx.style !== 'chat') {
      // (While it is held, the text is empty here, and every rule below lets nothing through.)
      text = withoutCharEcho(text).text;
      // Fill-in-the-middle models repeat the cursor's line too, after a leading break (`public ` →
      // `public int a;`): only a line long enough to tell an echo from code that starts alike.
      // The code of a line or more above the cursor written again before the completion.
      const tail = prefixTailEcho(ctx.prefix, text, final);
      if (tail === 'hold') return keep('');
      if (tail !== undefined) text = text.slice(tail.drop);
      const echo = linePrefix.trimStart();
      if (shapeOf(ctx).kind === 'statement' && echo.replace(/\s/g, '').length >= 3) {
        if (text.startsWith(echo)) return keep(text.slice(echo.length));
        if (!final && text !== '' && echo.startsWith(text)) return keep('');
      }
      // The keyword just before the cursor written again (`(this |` → `this List<T> items`), wherever
      // the cursor is: a keyword never follows itself. (A name may: `Color Color`, a property named
      // after its type.)
      const word = /(?:^|[^\w$])([a-z]+)[ \t]+$/.exec(linePrefix)?.[1];
      if (word !== undefined && REPEATABLE_NEVER.has(word)) {
        const again = new RegExp(`^${word}[ \\t]+`).exec(text);
        if (again) return keep(text.slice(again[0].length));
        if (!final && (word + ' ').startsWith(text)) return keep('');
      }
      return keep(text);
    }
    const prefixLines = ctx.prefix.split('\n');
    const candidates: string[] = [];
    for (let k = Math.min(3, prefixLines.length - 1); k >= 0; k--) {
      const block = prefixLines.slice(prefixLines.length - 1 - k).join('\n');
      if (block.trim().length >= 2) candidates.push(block);
    }
    for (const candidate of candidates) {
      for (const form of [candidate, candidate.trimStart()]) {
        if (form.trim() === '') continue;
        if (text.startsWith(form)) {
          // Only an echo if it is the whole cursor line so far (not a completion that happens to start alike).
          return keep(text.slice(form.length));
        }
        if (!final && form.startsWith(text) && text.trim() !== '') return keep('');
      }
    }
    // The cursor's line echoed when the cursor sits after indentation only: "    return x" at "    |".
    if (linePrefix.trim() === '' && linePrefix.length > 0 && text.startsWith(linePrefix)) return keep(text.slice(linePrefix.length));
    return withoutCharEcho(text);
  },
};

/**
 * After a member-access dot (`obj.|`), a completion must start with a member's name (spaces before it
 * are dropped: `anims. fuse(v, w)`). One that starts
 * with something else (a comment, an operator) or with a keyword that can never name a member (`import`,
 * `def`, `return` in Python) is code the model wrote for somewhere else: `obj.import os` or `obj.# for
 * x in y` would be shown. Nothing is suggested then. While the first word may still become such a
 * keyword (`de` of `def` or of `decode`), it waits.
 */
export const memberAccess: StreamFilter = {
  name: 'memberAccess',
  apply(text, ctx, final) {
    const { linePrefix, inCode } = cursorLineOf(ctx);
    // A dot in a string or a comment ends a sentence.
    const names = inCode ? memberNamesAfter(linePrefix, ctx.languageId) : undefined;
    if (names === undefined) return keep(text);
    // Spaces between the dot and the name are the model's tokens, not code (`anims. fuse(v, w)`).
    text = text.replace(/^[ \t]+/, '');
    if (text === '') return keep('');
    if (!names.start.test(text)) return cut('');
    const word = /^\w*/.exec(text)![0];
    if (!final && word.length === text.length) return [...names.never].some((k) => k.startsWith(word)) ? keep('') : keep(text);
    return names.never.has(word) ? cut('') : keep(text);
  },
};

/**
 * Indentation in the file's style: tabs or spaces as the editor uses, and no second copy of the
 * indentation the cursor's line already has ("    |" + "    return" → "return").
 */
export const indentStyle: StreamFilter = {
  name: 'indentStyle',
  apply(text, ctx) {
    const linePrefix = linePrefixOf(ctx.prefix);
    let t = text;
    if (ctx.style === 'chat' && linePrefix.length > 0 && linePrefix.trim() === '') {
      const lead = leadingWhitespace(t);
      if (lead.length > 0) {
        t = t.slice(Math.min(lead.length, linePrefix.length));
      } else {
        // Written as if the hole started at column 0: the lines after the first are indented relative
        // to it. Shift them to the cursor's column. The second line decides (less indented than the
        // cursor, or no deeper than it right after a line that opens a block), and nothing later may:
        // a later line can lie past where another filter ends the stream, and must not re-indent the
        // lines before it (the streamed and the whole-reply results would differ).
        const ls = lines(t);
        const second = ls.slice(1).find((l) => l.line.trim() !== '');
        const tab = ctx.indent.tabSize;
        if (second) {
          const w = indentWidth(second.line, tab);
          const base = indentWidth(linePrefix, tab);
          const opensBlock = /(?:[{([:]|=>)\s*$/.test(ls[0].line) && !CLOSER_LINE.test(second.line);
          if (w < base || (opensBlock && w <= base)) t = t.replace(/\n(?=[^\n]*\S)/g, '\n' + linePrefix);
        }
      }
    }
    const { insertSpaces, tabSize } = ctx.indent;
    const unit = ' '.repeat(tabSize);
    return keep(
      t.replace(/\n([ \t]+)/g, (_m, ws: string) => {
        if (insertSpaces) return '\n' + ws.replace(/\t/g, unit);
        const width = indentWidth(ws, tabSize);
        return '\n' + '\t'.repeat(Math.floor(width / tabSize)) + ' '.repeat(width % tabSize);
      }),
    );
  },
};

/** Whether the file writes `a = b`, `a == b` with a space on each side and never `a= b` (computed once per cleaning context). */
const spacedInequality = new WeakMap<CleanContext, boolean>();
/** `a!= b`: the space before the operator lost, the one after it kept. */
const LOST_SPACE = /([\w)\]])!= /g;

/**
 * The space before `!=` that a server's detokenizer dropped (Hugging Face's "clean up tokenization
 * spaces" turns ` !` into `!`, so `a != b` arrives as `a!= b`) comes back when the file itself writes
 * assignments, comparisons and logical operators with a space on each side (`a = b`, `a && b`), and
 * never with one after only (`a= b`).
 * While streaming, a `!` or `!=` at the end waits for what follows it.
 */
export const operatorSpacing: StreamFilter = {
  name: 'operatorSpacing',
  apply(text, ctx, final) {
    let spaced = spacedInequality.get(ctx);
    if (spaced === undefined) {
      spaced = / (?:[!=<>]?=|&&|\|\|) /.test(ctx.prefix) && !/[\w)\]](?:[!=<>]?=|&&|\|\|) /.test(ctx.prefix);
      spacedInequality.set(ctx, spaced);
    }
    if (!spaced) return keep(text);
    const held = final ? '' : (/[\w)\]]!=?$/.exec(text)?.[0].slice(1) ?? '');
    return keep(text.slice(0, text.length - held.length).replace(LOST_SPACE, '$1 != '));
  },
};

/** The cursor's position in the statements around it (computed once per cleaning context). */
const shapes = new WeakMap<CleanContext, StatementShape>();
export function shapeOf(ctx: CleanContext): StatementShape {
  let shape = shapes.get(ctx);
  if (!shape) {
    shape = statementShape(ctx.prefix, ctx.suffix, ctx.languageId, ctx.lineMode);
    shapes.set(ctx, shape);
  }
  return shape;
}

/**
 * One line when the cursor's position asks for one and no statement rule applies (code after the cursor
 * on its line, a comment, a language without rules): the stream stops once the line is complete.
 */
export const lineMode: StreamFilter = {
  name: 'lineMode',
  apply(text, ctx) {
    const kind = shapeOf(ctx).kind;
    if (ctx.lineMode !== 'single' || (kind !== 'line' && kind !== 'legacy')) return keep(text);
    const nl = text.indexOf('\n');
    if (nl < 0) return keep(text);
    return cut(text.slice(0, nl).replace(/\r$/, ''));
  },
};

/** A line that ends a statement in progress can still be continued by the next line starting with one of these. */
const CONTINUES_LINE = /^(?:\.(?!\.)|\?|:|&&|\|\||[-+*/%&|^=<>,])/;
/** True when a line starting with `head` goes on with the statement of the line before. */
function continuesLine(head: string, shape: Extract<StatementShape, { kind: 'statement' }>): boolean {
  return shape.leadingContinues && CONTINUES_LINE.test(head);
}

/** After a block the completion opened and closed, these continue the same statement. */
const CONTINUES_BLOCK = /^(?:else|catch|finally|except|elif)\b/;
/** A line ending with one of these goes on on the next line. */
const OPEN_END = /(?:[-+*/%&|^=<>,.?:!~]|\b(?:return|await|yield|new|throw|in|of|not|and|or|is|instanceof|typeof|extends|implements|as|case|lambda)|\\)$/;

/**
 * One statement: at a cursor in the middle of a statement or on a line of its own (not the start of an
 * empty block), the completion ends where its statement ends, even past a line break: at a `;` outside
 * brackets; at the end of a line that leaves no bracket open and is not continued (a line break ends a
 * statement only in languages without mandatory `;`); after a block it opens and closes (unless `else`,
 * `catch`… follow); or after a block opener (`{`, Python's `:`) whose body the code after the cursor
 * already holds. A closer of a block the statement is in ends it too. While streaming, a decision that
 * depends on the next line waits for that line to start.
 */
export const statement: StreamFilter = {
  name: 'statement',
  apply(text, ctx, final) {
    const shape = shapeOf(ctx);
    if (shape.kind !== 'statement') return keep(text);
    const end = statementEnd(text, ctx, shape, final);
    if (end === undefined) return keep(text);
    if (end.hold) return keep(text.slice(0, end.at));
    return cut(text.slice(0, end.at).replace(/\s+$/, ''));
  },
};

type Open = { char: string; mine: boolean };

/** Where the statement ends in `text` (`hold`: it may end there, the rest must wait), or undefined. */
function statementEnd(text: string, ctx: CleanContext, shape: Extract<StatementShape, { kind: 'statement' }>, final: boolean): { at: number; hold?: boolean } | undefined {
  const linePrefix = linePrefixOf(ctx.prefix);
  const ls = lines(text);
  const stack: Open[] = shape.open.map((char) => ({ char, mine: false }));
  const tab = ctx.indent.tabSize;
  const body = nextCodeLine(ctx.suffix);
  const bodyBelow = body !== undefined && indentWidth(body, tab) > shape.indent;
  let started = false;
  /** Python: in the body of a compound statement the completion opened. */
  let inBody = false;
  /** The previous line may have ended the statement, unless this line continues it (`pending` says how). */
  let pending: 'line' | 'block' | undefined;
  let lastEnd = 0;
  /** The end of the first complete line of code that leaves the fewest brackets open. */
  let shallowest: { end: number; depth: number } | undefined;
  for (let i = 0; i < ls.length; i++) {
    const { line, start } = ls[i];
    const complete = final || i < ls.length - 1;
    const head = line.trimStart();
    const isCode = head !== '' && !isCommentLine(head, ctx.languageId);
    // What ends the statement before this line is decided by the line's first word: wait for it.
    if ((pending || inBody) && !complete && (!isCode || /^[A-Za-z_]*$/.test(head))) return { at: lastEnd, hold: true };
    if ((pending || inBody) && isCode) {
      if (inBody) {
        if (indentWidth(line, tab) <= shape.indent) {
          if (!CONTINUES_BLOCK.test(head)) return { at: lastEnd };
          inBody = false;
        }
      } else if (pending === 'block' ? !CONTINUES_BLOCK.test(head) && !continuesLine(head, shape) : !continuesLine(head, shape)) {
        return { at: lastEnd };
      }
      pending = undefined;
    } else if (head !== '' && !isCode && complete && started && lastEnd > 0 && stack.length === 0 && !inBody) {
      // A comment line after the statement's code, outside its brackets, is not part of it.
      return { at: lastEnd };
    }
    // Scan the line (the first one together with the code before the cursor, for strings).
    let stop: { at: number } | undefined;
    let last: { index: number; char: string; closedMine: boolean } | undefined;
    if (i === 0 && head !== '') started = true;
    scanLine(i === 0 ? linePrefix : '', line, '', ctx.languageId, ({ index, char }) => {
      const at = start + index;
      started = true;
      if (char in OPEN_TO_CLOSE) {
        stack.push({ char, mine: true });
        last = { index: at, char, closedMine: false };
        return true;
      }
      if (char in CLOSE_TO_OPEN) {
        const top = stack[stack.length - 1];
        if (!top || top.char !== CLOSE_TO_OPEN[char]) {
          stop = { at };
          return false;
        }
        stack.pop();
        last = { index: at, char, closedMine: top.mine && char === '}' && stack.length === 0 };
        return true;
      }
      if (char === ';' && stack.length === 0) {
        stop = { at: at + 1 };
        return false;
      }
      last = { index: at, char, closedMine: false };
      return true;
    });
    if (stop) {
      if (!complete) return { at: stop.at, hold: true };
      // A closer that closes none of the completion's brackets while some are still open: the
      // completion is unbalanced there too, and ends where it ends at the end of a reply.
      return stack.length > 0 && shallowest && text.slice(shallowest.end, stop.at).trim() !== '' ? { at: shallowest.end } : stop;
    }
    if (!complete) return undefined;
    if (!started || !last) continue;
    lastEnd = start + line.length;
    if (!shallowest || stack.length < shallowest.depth) shallowest = { end: lastEnd, depth: stack.length };
    const lastCode = last;
    const tail = text.slice(start, lastCode.index + 1);
    if (stack.length > 0) {
      // A block (or list) opened at the end of the line whose contents and closers follow the cursor already.
      const top = stack[stack.length - 1];
      if (top.mine && lastCode.char in OPEN_TO_CLOSE && bodyBelow && suffixCloses(stack, ctx)) return { at: lastEnd };
      // Where the cursor asks for one line, a block opened inside the statement's brackets (the body of
      // a lambda or an anonymous class passed as an argument) is not written out: the suggestion ends
      // with the line that opens it, and the body is the next suggestion's, at that block opener.
      if (ctx.lineMode === 'single' && top.mine && lastCode.char === '{' && stack.slice(0, -1).some((o) => o.mine && o.char !== '{')) return { at: lastEnd };
      continue;
    }
    if (inBody) continue;
    if (shape.colonBlocks && lastCode.char === ':') {
      if (bodyBelow) return { at: lastEnd };
      inBody = true;
      continue;
    }
    if (lastCode.closedMine) {
      pending = 'block';
      continue;
    }
    // A preprocessor line ends at its line break, `;` or not.
    const directive = shape.semicolons && head.startsWith('#');
    if (!directive && (shape.semicolons || OPEN_END.test(tail))) continue;
    pending = 'line';
  }
  // The reply ended with the statement's brackets still open: the model ran on (a list it keeps
  // extending, unrelated code) or was cut off. It ends after the first line that leaves the fewest open
  // (cleaning that again changes nothing: it is one line, or its brackets are balanced from there).
  if (final && shallowest && stack.length > 0 && text.slice(shallowest.end).trim() !== '') return { at: shallowest.end };
  return undefined;
}

/** The quote of a string the cursor's line leaves open before the cursor, if any. */
function openQuote(linePrefix: string, languageId: string): string | undefined {
  let quote: string | undefined;
  scanCode(linePrefix, languageId, ({ char, unclosed }) => {
    if (unclosed) {
      quote = char;
      return false;
    }
    return true;
  });
  return quote;
}

/**
 * Scans the code of `line` (offsets relative to it), read after `before` (the cursor's line up to the
 * cursor, for strings and comments it opens) and before `after` (the rest of that line, which may
 * close a string). Code in a string the cursor is in, up to where it closes, is not visited.
 */
function scanLine(before: string, line: string, after: string, languageId: string, visit: (event: { index: number; char: string }) => boolean): void {
  const quote = before ? openQuote(before, languageId) : undefined;
  if (quote !== undefined && !(line + after).includes(quote)) return;
  scanCode(before + line + after, languageId, ({ index, char }) => (index < before.length ? true : index >= before.length + line.length ? false : visit({ index: index - before.length, char })));
}

function isCommentLine(head: string, languageId: string): boolean {
  const marker = lineComment(languageId);
  return (marker !== undefined && head.startsWith(marker)) || /^(?:\/\*|\*)/.test(head);
}

/** True when the code after the cursor closes every bracket in `stack` (and nothing it does not open). */
function suffixCloses(stack: readonly Open[], ctx: CleanContext): boolean {
  const open = stack.map((o) => o.char);
  let closes = false;
  const start = ctx.suffix.indexOf('\n') + 1;
  scanCode(ctx.suffix.slice(start, start + 20_000), ctx.languageId, ({ char }) => {
    if (char in OPEN_TO_CLOSE) open.push(char);
    else if (char in CLOSE_TO_OPEN) {
      if (open.pop() !== CLOSE_TO_OPEN[char]) return false;
      if (open.length === 0) {
        closes = true;
        return false;
      }
    }
    return true;
  });
  return closes;
}

/**
 * Brackets: a closing bracket with nothing open to close ends the completion before it, and so does a
 * closer on the cursor's line that the text after the cursor already provides (`foo(|)` + `a, b)` →
 * `a, b`).
 */
export const bracketBalance: StreamFilter = {
  name: 'bracketBalance',
  apply(text, ctx, final) {
    const stack = openBrackets(ctx.prefix, ctx.languageId).map((c) => ({ char: c, fromPrefix: true }));
    const afterCursor = lineSuffixOf(ctx.suffix).trimStart();
    // While streaming, only complete lines are judged: the end of a line can still close a string.
    const judged = final ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    let cutAt = -1;
    const visit = ({ index, char }: { index: number; char: string }): boolean => {
      if (char in OPEN_TO_CLOSE) {
        stack.push({ char, fromPrefix: false });
        return true;
      }
      const top = stack[stack.length - 1];
      if (!top || top.char !== CLOSE_TO_OPEN[char]) {
        cutAt = index;
        return false;
      }
      const onCursorLine = text.lastIndexOf('\n', index) < 0;
      if (top.fromPrefix && onCursorLine && afterCursor.startsWith(char)) {
        cutAt = index;
        return false;
      }
      stack.pop();
      return true;
    };
    // The cursor's line is lexed together with the rest of that line, whose quotes may close a string.
    const firstEnd = text.indexOf('\n');
    const firstLine = firstEnd < 0 ? text : text.slice(0, firstEnd);
    if (final || firstEnd >= 0) {
      scanLine(linePrefixOf(ctx.prefix), firstLine, lineSuffixOf(ctx.suffix), ctx.languageId, (e) => (e.char in OPEN_TO_CLOSE || e.char in CLOSE_TO_OPEN ? visit(e) : true));
    }
    if (cutAt < 0 && firstEnd >= 0 && judged.length > firstEnd) {
      scanBrackets(judged.slice(firstEnd), ctx.languageId, (e) => visit({ index: e.index + firstEnd, char: e.char }));
    }
    if (cutAt < 0) return keep(text);
    return cut(text.slice(0, cutAt).replace(/[ \t]+$/, ''));
  },
};

/** The text already after the cursor: a completion line equal to the next line of the file ends the completion before it. */
export const suffixOverlap: StreamFilter = {
  name: 'suffixOverlap',
  apply(text, ctx, final) {
    const ls = lines(text);
    const suffixLines = ctx.suffix.split('\n');
    const next = suffixLines.slice(1).find((l) => l.trim() !== '')?.replace(/\r$/, '').trimEnd();
    if (next !== undefined) {
      // On an empty line, a first line that is the next line of the file is a duplicate.
      const blankLine = linePrefixOf(ctx.prefix).trim() === '' && lineSuffixOf(ctx.suffix).trim() === '';
      if (blankLine && (ls.length > 1 || final) && ls[0].line.trim() !== '' && ls[0].line.trim() === next.trim()) return cut('');
      for (let k = 1; k < ls.length; k++) {
        const complete = k < ls.length - 1 || final;
        if (complete && ls[k].line.trimEnd() === next) return cut(text.slice(0, ls[k].start).replace(/\n[ \t]*$/, ''));
      }
    }
    return keep(text);
  },
};

/**
 * The rest of the cursor's line: a single-line completion ending with it (a `;`, a closing quote or
 * bracket the editor already has after the cursor, or `get; set; }` after `{`) loses that ending, when
 * the line then closes no more than it opens (`foo(|)` + `g(x))` → `g(x)`, but `g(x)` stays). Runs last,
 * on the final text.
 */
export const restOfLine: StreamFilter = {
  name: 'restOfLine',
  apply(text, ctx, final) {
    const rest = lineSuffixOf(ctx.suffix).trim();
    if (!final || !rest || text.trimEnd().includes('\n')) return keep(text);
    // Dropped as long as dropping helps, so that cleaning the result again drops nothing more
    // (`"a|)` + `a))`: each `)` only adds to the line's imbalance).
    let current = text;
    // The model wrote the rest of the line and went on past it (`{| get; set; }` + `Name { get; set; } =
    // new();`): what it wrote after the rest would land after it, not at the cursor. A rest with a word
    // in it only, so that a lone `)` or `;` inside the completion is not taken for it.
    // (`dropRestOfLine` refuses a text that is the rest alone; with nothing after the rest, the loop
    // below drops the same.)
    const at = /\w/.test(rest) && rest.length >= 4 ? current.indexOf(rest) : -1;
    const upTo = at < 0 ? undefined : dropRestOfLine(current.slice(0, at + rest.length), rest, ctx);
    if (upTo !== undefined) current = upTo;
    for (let next = dropRestOfLine(current, rest, ctx); next !== undefined; next = dropRestOfLine(current, rest, ctx)) current = next;
    return keep(current);
  },
};

/** `text` without the repeated rest of the line at its end, or undefined when it should keep it. */
function dropRestOfLine(text: string, rest: string, ctx: CleanContext): string | undefined {
  const t = text.trimEnd();
  if (!t.endsWith(rest) || t.length <= rest.length) return undefined;
  const stripped = t.slice(0, t.length - rest.length);
  const linePrefix = linePrefixOf(ctx.prefix);
  const kept = imbalance(linePrefix, t + rest, ctx.languageId);
  const dropped = imbalance(linePrefix, stripped + rest, ctx.languageId);
  if (dropped > kept) return undefined;
  // `a;;` before `;` (or `a))` before `)` where brackets cannot tell): which one is the duplicate is a
  // guess; leave it. (Dropping one would leave a text that loses another when cleaned again.)
  if (dropped === kept && stripped.trimEnd().endsWith(rest)) return undefined;
  return stripped.trimEnd();
}

/**
 * How badly the cursor's line would be bracketed with `text` after the cursor: closers that close
 * nothing or close a bracket of an earlier line, brackets the line leaves open, quotes left open.
 */
function imbalance(linePrefix: string, text: string, languageId: string): number {
  const stack: string[] = [];
  let bad = 0;
  const line = linePrefix + text;
  scanBrackets(line, languageId, ({ char }) => {
    if (char in OPEN_TO_CLOSE) stack.push(char);
    else if (stack[stack.length - 1] === CLOSE_TO_OPEN[char]) stack.pop();
    else bad++;
  });
  for (const q of ['"', "'", '`']) if ((line.split(q).length - 1) % 2 === 1) bad++;
  return bad + stack.length;
}

function significant(line: string): boolean {
  return line.trim().replace(/[\s)\]};,]/g, '').length >= 2;
}

/**
 * A model that starts repeating itself: a line equal to the one before it, or a group of two or three
 * lines repeating the group before; also a first line that repeats the line above the cursor.
 */
export const repeatedLines: StreamFilter = {
  name: 'repeatedLines',
  apply(text, ctx, final) {
    const ls = lines(text);
    const complete = final ? ls.length : ls.length - 1;
    const prefixLines = ctx.prefix.split('\n');
    const above = prefixLines.length >= 2 ? prefixLines[prefixLines.length - 2].trimEnd() : undefined;
    const cursorLineBlank = linePrefixOf(ctx.prefix).trim() === '';
    // The first line starts at the cursor: with the cursor's line before it, it compares like the others.
    const full = (i: number) => (i === 0 ? linePrefixOf(ctx.prefix) + ls[0].line : ls[i].line).trimEnd();
    for (let i = 0; i < complete; i++) {
      const line = ls[i].line.trimEnd();
      if (!significant(line)) continue;
      if (i === 0 && cursorLineBlank && above !== undefined && (linePrefixOf(ctx.prefix) + line) === above) return cut('');
      if (i === 1 && ls[0].line.trim() === '' && cursorLineBlank && line === above) return cut(text.slice(0, ls[i].start).replace(/\n[ \t]*$/, ''));
      for (const k of [1, 2, 3]) {
        if (i + 1 < 2 * k) continue;
        let same = true;
        for (let j = 0; j < k && same; j++) same = full(i - j) === full(i - j - k);
        if (same && ls.slice(i - k + 1, i + 1).some((l) => significant(l.line))) {
          return cut(text.slice(0, ls[i - k + 1].start).replace(/\n[ \t]*$/, ''));
        }
      }
    }
    return keep(text);
  },
};

/** True when `text` opens more brackets than it closes. */
function opensMore(text: string, languageId: string): boolean {
  let depth = 0;
  scanBrackets(text, languageId, ({ char }) => void (depth += char in OPEN_TO_CLOSE ? 1 : -1));
  return depth > 0;
}

const CLOSER_LINE = /^\s*(?:[)\]}]+[)\]};,]*|end|fi|done|esac|endif|endfunction|end\s+\w+)\s*$/;

/**
 * Indentation decides where a block suggestion ends: a line indented less than the cursor's block ends
 * it, and once the suggestion has opened a block and come back to the cursor's level it ends after a
 * closing line (`}`, `end`) or before anything else.
 */
export const blockScope: StreamFilter = {
  name: 'blockScope',
  apply(text, ctx, final) {
    if (ctx.lineMode !== 'multi' || shapeOf(ctx).kind === 'statement') return keep(text);
    const tab = ctx.indent.tabSize;
    const linePrefix = linePrefixOf(ctx.prefix);
    const base = indentWidth(linePrefix, tab);
    const cursorLineBlank = linePrefix.trim() === '';
    const ls = lines(text);
    const complete = final ? ls.length : ls.length - 1;
    // Columns of the first line: the cursor's column plus the line's own leading whitespace.
    const firstWidth = cursorLineBlank ? indentWidth(linePrefix + ls[0].line, tab) : base;
    let entered = firstWidth > base || (!cursorLineBlank && ls.length > 1);
    let deepest = firstWidth;
    for (let i = 1; i < complete; i++) {
      const line = ls[i].line;
      if (line.trim() === '') continue;
      const w = indentWidth(line, tab);
      if (w < base) return cut(text.slice(0, ls[i].start).replace(/\n[ \t]*$/, '').replace(/\n+$/, ''));
      // The statement on the cursor's line ended on that line: what follows at its level is another one.
      if (w === base && !cursorLineBlank && ls[0].line.trim() !== '' && deepest <= base) {
        return cut(text.slice(0, ls[i].start).replace(/\n[ \t]*$/, '').replace(/\n+$/, ''));
      }
      if (w > base) {
        entered = true;
        deepest = Math.max(deepest, w);
        continue;
      }
      // back at the cursor's level
      if (entered && deepest > base) {
        // A closing line ends the block the completion opened; a bracket it did not open is closed by
        // the code after the cursor already.
        if (CLOSER_LINE.test(line) && (!/^\s*[)\]}]/.test(line) || opensMore(text.slice(0, ls[i].start), ctx.languageId))) {
          return cut(text.slice(0, ls[i].start + line.length));
        }
        return cut(text.slice(0, ls[i].start).replace(/\n[ \t]*$/, '').replace(/\n+$/, ''));
      }
    }
    return keep(text);
  },
};

/**
 * A reply that ends in a loop (`QuestQuestQuest…`, `a2, a3, a4, …` cut off by the token limit) keeps
 * only the first copy of what it repeats (see `loopEnd`). Decided on the whole text.
 */
export const loop: StreamFilter = {
  name: 'loop',
  apply(text, _ctx, final) {
    if (!final) return keep(text);
    const end = loopEnd(text);
    return end === undefined ? keep(text) : cut(text.slice(0, end));
  },
};

/** The filters in the order they run. */
export const DEFAULT_FILTERS: readonly StreamFilter[] = [
  stopSequences,
  reasoning,
  chatWrapper,
  leadingBreak,
  prefixEcho,
  memberAccess,
  indentStyle,
  operatorSpacing,
  lineMode,
  statement,
  bracketBalance,
  suffixOverlap,
  repeatedLines,
  blockScope,
  restOfLine,
  loop,
];

export interface ChainResult {
  text: string;
  /** Name of the filter that ended the completion, if one did. */
  stoppedBy?: string;
}

/** Runs the filters once over the text so far. */
export function runFilters(raw: string, ctx: CleanContext, final: boolean, filters: readonly StreamFilter[] = DEFAULT_FILTERS): ChainResult {
  let text = raw;
  let stoppedBy: string | undefined;
  for (const filter of filters) {
    const step = filter.apply(text, ctx, final || stoppedBy !== undefined);
    text = step.text;
    if (step.stop && stoppedBy === undefined) stoppedBy = filter.name;
  }
  return { text, stoppedBy };
}

/** The cleaned completion: trailing whitespace removed; whitespace only means nothing to show. */
export function finish(text: string): string {
  const t = text.replace(/\s+$/, '');
  return t.trim() === '' ? '' : t;
}

/**
 * Cleans a streaming completion: `push` each delta, read the cleaned text so far, stop reading when
 * `stopped` is set; `result()` gives the final text (the same as `cleanCompletion` on the whole reply,
 * whatever the size of the deltas).
 */
export class CompletionCleaner {
  private raw = '';
  private done: ChainResult | undefined;
  /** Cleaned text so far (may grow or, rarely, shrink as more arrives). */
  partial = '';

  constructor(
    private readonly ctx: CleanContext,
    private readonly filters: readonly StreamFilter[] = DEFAULT_FILTERS,
  ) {}

  get stopped(): string | undefined {
    return this.done?.stoppedBy;
  }

  push(delta: string): { text: string; stop: boolean } {
    if (this.done) return { text: this.partial, stop: true };
    this.raw += delta;
    const step = runFilters(this.raw, this.ctx, false, this.filters);
    if (step.stoppedBy) {
      this.done = runFilters(this.raw, this.ctx, true, this.filters);
      this.done.stoppedBy ??= step.stoppedBy;
      this.partial = finish(this.done.text);
      return { text: this.partial, stop: true };
    }
    this.partial = step.text;
    return { text: this.partial, stop: false };
  }

  result(): string {
    if (!this.done) this.done = runFilters(this.raw, this.ctx, true, this.filters);
    return finish(this.done.text);
  }
}

/** Cleans a whole reply as the editor would have while it streamed (`chunkSize` characters at a time). */
export function cleanCompletion(raw: string, ctx: CleanContext, chunkSize = 3): { text: string; stoppedBy?: string } {
  const cleaner = new CompletionCleaner(ctx);
  for (let i = 0; i < raw.length; i += chunkSize) {
    if (cleaner.push(raw.slice(i, i + chunkSize)).stop) break;
  }
  return { text: cleaner.result(), stoppedBy: cleaner.stopped };
}
