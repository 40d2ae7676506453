/**
 * The live diff while the model is still writing.
 *
 * `push()` takes the model's RAW reply deltas, split anywhere. Two stages run per complete line:
 *
 * 1. ReplyLineFilter, an incremental cut of extractRewrite: it skips blank lines, prose ("Here is the
 *    updated code:") and `<think>…</think>` blocks until the code starts, either at an opening fence (then
 *    everything up to the closing fence is code and the rest of the reply is ignored) or at the first line
 *    that reads as code (unfenced reply: everything after it is code). If an unfenced start turns out to be
 *    wrong because a fence opens later, the filter restarts at that fence and the live diff is rebuilt.
 *    Code lines get the selection's line ending and indent style; when the first code line is indented
 *    less than the selection's first line, every line gets the missing base indent.
 * 2. A greedy matcher folds each code line into the hunks in O(log n): a line equal to the next original
 *    line is unchanged; otherwise a distinctive line is looked up in an index of the original lines ahead
 *    (within LOOKAHEAD lines, or anywhere if it occurs once in the original): the original lines skipped
 *    to reach it are removed, and a line found nowhere is added. Ambiguous lines (blank, braces, `else`)
 *    are held back until the next distinctive line decides where they go; they are reported as pending.
 *
 * The fence, prose and reasoning rules are src/core/reply's, as in extractRewrite. A reply that turns out
 * to be a unified diff or SEARCH/REPLACE blocks shows no live diff (it cannot be read line by line as
 * the new code); finish() applies it.
 *
 * Original lines at or after `consumedOldLines` are not reached yet (show them unchanged). `finish()`
 * throws the provisional hunks away and returns the proper diff of extractRewrite(whole reply).
 */
import { diffHunks, LineHunk } from './diff';
import { FenceTracker, isLanguageTagLine, isProseLine, parseFenceOpen, REASONING_CLOSE, REASONING_OPEN, startsPatch } from '../reply';
import {
  applyIndentPlan,
  convertIndentStyle,
  ExtractContext,
  ExtractResult,
  extractRewrite,
  indentBeforeSelection,
  indentStyle,
  indentUnit,
  IndentPlan,
  leadingWhitespace,
} from './extract';
import { detectEol, Eol, lineContent, splitLines } from './lines';

export interface StreamingSnapshot {
  /** Provisional hunks over original lines [0, consumedOldLines) and the proposal lines placed so far. */
  hunks: LineHunk[];
  /** Original lines from this index on have not been reached by the stream yet. */
  consumedOldLines: number;
  /**
   * Proposal text received but not placed yet, in order, to show as provisional insertions before
   * original line `consumedOldLines`: held ambiguous lines (with line endings), then the line being written
   * (without one).
   */
  pendingNewLines: string[];
  /** The code has ended (closing fence seen): later deltas cannot change the live diff. */
  codeComplete: boolean;
}

export interface StreamingDiffOptions extends Omit<ExtractContext, 'selection'> {
  /** How far ahead (in original lines) a repeated line may match. */
  lookahead?: number;
}

const DEFAULT_LOOKAHEAD = 200;
const MAX_HELD = 8;

type FilterState = 'start' | 'reasoning' | 'fence' | 'raw' | 'done';

/** What ReplyLineFilter.line returns when the code so far was not code after all (never a code line's text). */
export const RESTART: unique symbol = Symbol('restart');

/** Step 1: raw reply lines in, code lines out (see the file comment). */
export class ReplyLineFilter {
  private state: FilterState = 'start';
  private fence: FenceTracker | undefined;
  private closingTag = '';
  private previous = '';
  private sawLanguageTag = false;
  private readonly selectionTrimmed: Set<string>;

  constructor(
    selection: string,
    private readonly languageId?: string,
  ) {
    this.selectionTrimmed = new Set(splitLines(selection).map((l) => l.trim()).filter((l) => l !== ''));
  }

  get codeComplete(): boolean {
    return this.state === 'done';
  }

  get inCode(): boolean {
    return this.state === 'fence' || this.state === 'raw';
  }

  /** Inside a reasoning block: the model is thinking. */
  get thinking(): boolean {
    return this.state === 'reasoning';
  }

  /** No code yet (and not thinking). */
  get waiting(): boolean {
    return this.state === 'start';
  }

  /**
   * Feeds one raw line (no terminator). Returns the code line it yields, undefined for none, or
   * RESTART when the code seen so far was not code after all (a fence opened after unfenced lines, or
   * the reply is a patch).
   */
  line(raw: string): string | undefined | typeof RESTART {
    const previous = this.previous;
    this.previous = raw;
    if (this.state !== 'done' && this.state !== 'reasoning' && this.languageId !== 'diff' && startsPatch(previous, raw)) {
      this.state = 'done';
      return RESTART;
    }
    switch (this.state) {
      case 'done':
        return undefined;
      case 'reasoning': {
        const at = raw.toLowerCase().indexOf(this.closingTag);
        if (at < 0) return undefined;
        this.state = 'start';
        return this.line(raw.slice(at + this.closingTag.length));
      }
      case 'fence':
        if (this.fence!.line(raw) === 'close') {
          this.state = 'done';
          return undefined;
        }
        return this.fence!.open.indent && raw.startsWith(this.fence!.open.indent) ? raw.slice(this.fence!.open.indent.length) : raw;
      case 'raw': {
        const open = parseFenceOpen(raw);
        if (open) {
          this.state = 'fence';
          this.fence = new FenceTracker(open);
          return RESTART;
        }
        return raw;
      }
      case 'start': {
        const trimmed = raw.trim();
        if (trimmed === '') return undefined;
        const tag = REASONING_OPEN.exec(trimmed);
        if (tag) {
          this.closingTag = `</${tag[1].toLowerCase()}>`;
          this.state = 'reasoning';
          return this.line(trimmed.slice(tag[0].length));
        }
        const orphanClose = REASONING_CLOSE.exec(raw);
        if (orphanClose) return this.line(raw.slice(orphanClose.index + orphanClose[0].length));
        const open = parseFenceOpen(raw);
        if (open) {
          // A diff block is a patch: finish() applies it; it has no live view.
          this.state = /^(diff|patch|udiff)$/i.test(open.info) && this.languageId !== 'diff' ? 'done' : 'fence';
          this.fence = new FenceTracker(open);
          return undefined;
        }
        if (isProseLine(raw, this.selectionTrimmed)) return undefined;
        // Maybe a diff's file header: wait for the next line to tell.
        if (/^--- (a\/|\S+\.\w+\s*$)/.test(raw) && !this.selectionTrimmed.has(trimmed)) return undefined;
        if (!this.sawLanguageTag && !this.selectionTrimmed.has(trimmed) && isLanguageTagLine(raw, this.languageId)) {
          this.sawLanguageTag = true;
          return undefined;
        }
        this.state = 'raw';
        return raw;
      }
    }
  }
}

/** Step 2 and the glue: raw deltas in, live hunks out. */
export class StreamingDiff {
  private readonly original: string[];
  private readonly originalKeys: string[];
  private readonly positions = new Map<string, number[]>();
  private readonly eol: Eol;
  private readonly lookahead: number;
  private readonly context: ExtractContext;

  private filter: ReplyLineFilter;
  /** The reply so far, as received (joined lazily: a growing string would be re-flattened per delta). */
  private readonly chunks: string[] = [];
  /** The unfinished last line. */
  private partial = '';

  private cursor = 0;
  private placed = 0;
  private hunks: LineHunk[] = [];
  private open: LineHunk | undefined;
  private held: string[] = [];

  private indent: IndentPlan | undefined;
  /** Spaces per level of a reply indented with spaces for a document indented with tabs: decided on its first indented line. */
  private replyUnit: number | undefined;
  private readonly selectionFirstIndent: string;
  /** Indentation before a selection that starts mid-indentation: the first code line must not repeat it. */
  private readonly selectionPrefix: string;
  private readonly docStyle: 'tabs' | 'spaces' | undefined;
  private readonly docUnit: number;

  constructor(originalSelection: string, options: StreamingDiffOptions = {}) {
    const { lookahead, ...context } = options;
    this.context = { ...context, selection: originalSelection };
    this.lookahead = lookahead ?? DEFAULT_LOOKAHEAD;
    this.eol = context.eol ?? detectEol(originalSelection);
    this.original = splitLines(originalSelection);
    this.originalKeys = this.original.map(lineContent);
    this.originalKeys.forEach((key, i) => {
      const list = this.positions.get(key);
      if (list) list.push(i);
      else this.positions.set(key, [i]);
    });
    this.filter = new ReplyLineFilter(originalSelection, context.languageId);

    const contents = this.originalKeys;
    const first = contents.findIndex((l) => l.trim() !== '');
    this.selectionPrefix = first === 0 ? indentBeforeSelection(context.before) : '';
    this.selectionFirstIndent = first < 0 ? '' : this.selectionPrefix + leadingWhitespace(contents[first]);
    const around = [...splitLines(context.before ?? '').slice(-50), ...splitLines(context.after ?? '').slice(0, 50)];
    this.docStyle = indentStyle(contents) ?? indentStyle(around.map(lineContent));
    this.docUnit = indentUnit(contents) ?? indentUnit(around.map(lineContent)) ?? 4;
  }

  /** Feeds a raw reply delta; complete lines are folded into the live diff at once. */
  push(delta: string): void {
    if (delta === '') return;
    this.chunks.push(delta);
    let text = this.partial + delta;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.feedLine(text.slice(start, nl).replace(/\r$/, ''));
      start = nl + 1;
    }
    this.partial = text.slice(start);
    text = '';
  }

  snapshot(): StreamingSnapshot {
    // Copies: the caller may change what it gets (cheap next to rendering it).
    const hunks = this.hunks.map((h) => ({ ...h, oldLines: h.oldLines.slice(), newLines: h.newLines.slice() }));
    const pendingNewLines = [...this.held];
    const partial = this.partial.replace(/\r$/, '');
    if (this.filter.inCode && partial !== '' && !/^\s*[`~]/.test(partial)) pendingNewLines.push(this.shape(partial, false));
    return { hunks, consumedOldLines: this.cursor, pendingNewLines, codeComplete: this.filter.codeComplete };
  }

  /** The model is writing its reasoning (a `<think>` block in the content). */
  get thinking(): boolean {
    return this.filter.thinking || (this.filter.waiting && REASONING_OPEN.test(this.partial.trimStart()));
  }

  /** The whole reply so far. */
  get reply(): string {
    if (this.chunks.length > 1) this.chunks.splice(0, this.chunks.length, this.chunks.join(''));
    return this.chunks[0] ?? '';
  }

  /** The final extraction and its proper diff (no hunks when the reply is refused). */
  finishResult(): { extract: ExtractResult; hunks: LineHunk[] } {
    const extract = extractRewrite(this.reply, this.context);
    return { extract, hunks: extract.ok ? diffHunks(this.context.selection, extract.text) : [] };
  }

  /** The proper diff of the extracted reply; [] when the reply is refused (see finishResult for why). */
  finish(): LineHunk[] {
    return this.finishResult().hunks;
  }

  // -------------------------------------------------------------------------------------------------

  private feedLine(rawLine: string): void {
    const out = this.filter.line(rawLine);
    if (out === RESTART) {
      this.resetMatcher();
      return;
    }
    if (out === undefined) return;
    this.place(this.shape(out) + this.eol);
  }

  private resetMatcher(): void {
    this.cursor = 0;
    this.placed = 0;
    this.hunks = [];
    this.open = undefined;
    this.held = [];
    this.indent = undefined;
    this.replyUnit = undefined;
  }

  /** Re-bases a code line's indentation on the selection's, deciding the plan on the first non-blank line. */
  private shape(line: string, commit = true): string {
    if (line.trim() === '') return '';
    let converted = line;
    const ws = leadingWhitespace(line);
    const style = ws.startsWith('\t') ? 'tabs' : ws.startsWith(' ') ? 'spaces' : undefined;
    if (this.docStyle && style && style !== this.docStyle) {
      const unit = this.docStyle === 'spaces' ? this.docUnit : (this.replyUnit ??= ws.length % 4 === 0 ? 4 : 2);
      converted = convertIndentStyle([line], this.docStyle, unit)[0];
    }
    const firstLine = !this.indent;
    // Provisional: only a dedented start (the common case: the model drops the base indent) is re-based
    // while streaming; finish() re-bases with every line known.
    const from = leadingWhitespace(converted);
    const plan = this.indent ?? (from.length < this.selectionFirstIndent.length ? { from, to: this.selectionFirstIndent } : { from: '', to: '' });
    if (commit) this.indent = plan;
    const shaped = applyIndentPlan(converted, plan);
    return firstLine && this.selectionPrefix && shaped.startsWith(this.selectionPrefix)
      ? shaped.slice(this.selectionPrefix.length)
      : shaped;
  }

  private place(line: string): void {
    const key = lineContent(line);
    if (this.held.length === 0 && this.cursor < this.original.length && this.originalKeys[this.cursor] === key) {
      this.unchanged();
      return;
    }
    if (isAmbiguous(key)) {
      this.held.push(line);
      if (this.held.length > MAX_HELD) this.flushHeld(this.cursor);
      return;
    }
    const at = this.findAhead(key);
    if (at >= 0) {
      this.flushHeld(at);
      this.removeUpTo(at);
      this.unchanged();
    } else {
      this.flushHeld(this.cursor);
      this.added(line);
    }
  }

  /** Places the held lines in order, matching each within original lines [cursor, limit). */
  private flushHeld(limit: number): void {
    const held = this.held;
    this.held = [];
    for (const line of held) {
      const key = lineContent(line);
      let k = this.cursor;
      while (k < limit && this.originalKeys[k] !== key) k++;
      if (k < limit || (k === this.cursor && this.cursor < this.original.length && this.originalKeys[k] === key)) {
        this.removeUpTo(k);
        this.unchanged();
      } else {
        this.added(line);
      }
    }
  }

  private findAhead(key: string): number {
    const list = this.positions.get(key);
    if (!list) return -1;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] < this.cursor) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= list.length) return -1;
    const at = list[lo];
    return at - this.cursor <= this.lookahead || list.length === 1 ? at : -1;
  }

  private unchanged(): void {
    this.cursor++;
    this.placed++;
    this.open = undefined;
  }

  private removeUpTo(index: number): void {
    if (index <= this.cursor) return;
    const hunk = this.openHunk();
    for (; this.cursor < index; this.cursor++) hunk.oldLines.push(this.original[this.cursor]);
  }

  private added(line: string): void {
    this.openHunk().newLines.push(line);
    this.placed++;
  }

  private openHunk(): LineHunk {
    if (!this.open) {
      this.open = { oldStart: this.cursor, oldLines: [], newStart: this.placed, newLines: [] };
      this.hunks.push(this.open);
    }
    return this.open;
  }
}

/** Lines that say little about where they belong: blank, punctuation only, or a lone block keyword. */
function isAmbiguous(key: string): boolean {
  const t = key.trim();
  return !/[A-Za-z0-9]/.test(t) || BLOCK_KEYWORD.test(t);
}

const BLOCK_KEYWORD = /^[})\]]*\s*(else|end|fi|done|esac|pass|break|continue|return|try|finally|do|then|begin|default)\b\s*[:;{]?$/;
