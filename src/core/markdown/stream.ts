/**
 * Renders a Markdown answer as it streams, doing only the work the new text needs. The answer is cut
 * into pieces at places where Markdown cannot join what comes before and after (a blank line followed
 * by a new top-level block, the end of a fenced code block); a finished piece is rendered once and its
 * HTML kept, and only the unfinished last piece is rendered again on the next frame.
 *
 * A long fenced code block would make that last piece long: it is shown in pieces of its own
 * (`PIECE_CHARS` each, escaped, not highlighted: colour is not worth freezing the editor), the first
 * carrying the block's id for Copy and Apply, the rest marked as its continuation. The work per frame
 * is therefore bounded by the new text plus one piece, however long the answer grows.
 *
 * The webview keeps the pieces as separate elements: an update says from which piece on the HTML
 * changed (`from`) and gives the pieces from there (`segments`); earlier ones stay as they are.
 */
import { answerSoFar, REASONING_TAGS } from '../reply/reasoning';
import { codeBlockHtml, renderMarkdown, safeLanguage, sanitize, type CodeBlock } from './render';

export interface StreamLimits {
  /** A fenced code block longer than this is shown in pieces of about this size. */
  pieceChars: number;
  /** Prose that runs longer than this without a place to cut is cut at a line end anyway. */
  proseChars: number;
  /** The unfinished last piece is highlighted only up to this size (it is re-rendered every frame). */
  tailHighlightChars: number;
}

export const DEFAULT_LIMITS: StreamLimits = { pieceChars: 16_000, proseChars: 16_000, tailHighlightChars: 8_000 };

export interface StreamUpdate {
  /** Pieces before this index are unchanged; the webview replaces the rest with `segments`. */
  from: number;
  segments: string[];
}

interface Fence {
  marker: string;
  /** Offset of the fence's first code line. */
  codeStart: number;
  language: string;
  /** The block's number and id (given when the fence opens). */
  id: string;
  /** Offset up to which the code was already shown in finished pieces (big blocks only). */
  shownUpTo: number;
  /** Whether the block is shown in pieces (it outgrew `pieceChars`). */
  pieces: boolean;
}

/** A fence at the start of a line: a top-level code block (an indented one belongs to a list item). */
const FENCE_OPEN = /^(`{3,}|~{3,})(.*)$/;
const LIST_ITEM = /^(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;

export class MarkdownStream {
  private answer = '';
  /** HTML of the finished pieces. */
  private readonly finished: string[] = [];
  /** Code blocks of the finished pieces, in order. */
  private readonly finishedBlocks: CodeBlock[] = [];
  /** Offset where the unfinished piece starts; every line before it belongs to finished pieces. */
  private pieceStart = 0;
  /** Offset of the next line not looked at yet. */
  private scanned = 0;
  private fence: Fence | undefined;
  private previousBlank = false;
  private tailBlocks: CodeBlock[] = [];
  private tailHtml = '';
  /** Pieces the last update handed out as finished. */
  private sentFinished = 0;
  private blockCount = 0;

  constructor(
    private readonly idPrefix = '',
    private readonly limits: StreamLimits = DEFAULT_LIMITS,
  ) {}

  /**
   * Takes the answer so far (the previous one plus new text; anything else starts over) and returns
   * what changed. `final`: the answer is complete, so its last piece is finished too.
   */
  update(answer: string, final = false): StreamUpdate {
    if (!continues(answer, this.answer)) this.reset();
    this.answer = answer;
    const from = Math.min(this.sentFinished, this.finished.length);
    this.scan(final);
    if (final) this.finishTail();
    else this.renderTail();
    const segments = this.finished.slice(from);
    if (this.tailHtml !== '') segments.push(this.tailHtml);
    this.sentFinished = this.finished.length;
    return { from, segments };
  }

  /** Every piece as last rendered (for a webview that starts over, such as after a reload). */
  segments(): string[] {
    return this.tailHtml === '' ? [...this.finished] : [...this.finished, this.tailHtml];
  }

  /** The whole answer's HTML as last rendered. */
  html(): string {
    return this.finished.join('') + this.tailHtml;
  }

  /** Every code block rendered so far (those of the unfinished piece included). */
  codeBlocks(): CodeBlock[] {
    return [...this.finishedBlocks, ...this.tailBlocks];
  }

  private reset(): void {
    this.answer = '';
    this.finished.length = 0;
    this.finishedBlocks.length = 0;
    this.pieceStart = 0;
    this.scanned = 0;
    this.fence = undefined;
    this.previousBlank = false;
    this.tailBlocks = [];
    this.tailHtml = '';
    this.sentFinished = 0;
    this.blockCount = 0;
  }

  /** Looks at each complete line once, finishing pieces where Markdown allows a cut. */
  private scan(final: boolean): void {
    const text = this.answer;
    for (;;) {
      const start = this.scanned;
      if (start >= text.length) return;
      const newline = text.indexOf('\n', start);
      if (newline < 0 && !final) return; // the line is still being written
      const end = newline < 0 ? text.length : newline + 1;
      const line = text.slice(start, newline < 0 ? text.length : newline).replace(/\r$/, '');
      this.scanned = end;
      if (this.fence) {
        if (closesFence(line, this.fence.marker)) {
          this.finishFence(start, end);
        } else if (end - this.fence.shownUpTo >= this.limits.pieceChars) {
          this.fence.pieces = true;
          this.finishCodePiece(end);
        }
        continue;
      }
      const open = FENCE_OPEN.exec(line);
      if (open && !(open[1][0] === '`' && open[2].includes('`'))) {
        this.finishProse(start);
        this.fence = { marker: open[1], codeStart: end, language: safeLanguage(open[2]), id: this.nextId(), shownUpTo: end, pieces: false };
        this.previousBlank = false;
        continue;
      }
      const blank = line.trim() === '';
      if (!blank && this.previousBlank && !/^\s/.test(line) && !LIST_ITEM.test(line)) this.finishProse(start);
      else if (!blank && start - this.pieceStart >= this.limits.proseChars) this.finishProse(start);
      this.previousBlank = blank;
    }
  }

  private nextId(): string {
    return `${this.idPrefix}b${this.blockCount++}`;
  }

  /** Finishes the prose piece that ends at `end` (nothing when it is empty). */
  private finishProse(end: number): void {
    const markdown = this.answer.slice(this.pieceStart, end);
    this.pieceStart = end;
    if (markdown.trim() === '') return;
    const rendered = renderMarkdown(markdown, this.idPrefix, { firstBlock: this.blockCount });
    // Indented code blocks in prose are numbered too.
    this.blockCount += rendered.codeBlocks.length;
    this.finished.push(rendered.html);
    this.finishedBlocks.push(...rendered.codeBlocks);
  }

  /** The fence closed on the line [closeStart, closeEnd). */
  private finishFence(closeStart: number, closeEnd: number): void {
    const fence = this.fence!;
    this.fence = undefined;
    const code = this.answer.slice(fence.codeStart, closeStart);
    this.finishedBlocks.push({ id: fence.id, language: fence.language, code });
    if (fence.pieces) {
      const rest = this.answer.slice(fence.shownUpTo, closeStart);
      if (rest !== '') this.finished.push(codeBlockHtml(rest, fence.language, { highlight: false }));
    } else {
      // Highlighted HTML goes through the allow-list like everything renderMarkdown makes; escaped
      // pieces are text in fixed tags and need not.
      this.finished.push(sanitize(codeBlockHtml(code, fence.language, { id: fence.id, highlight: true })));
    }
    this.pieceStart = closeEnd;
    this.previousBlank = false;
  }

  /** Shows the code of a long open fence up to `end` as a finished piece. */
  private finishCodePiece(end: number): void {
    const fence = this.fence!;
    const first = fence.shownUpTo === fence.codeStart;
    const code = this.answer.slice(fence.shownUpTo, end);
    this.finished.push(codeBlockHtml(code, fence.language, { ...(first ? { id: fence.id } : {}), highlight: false }));
    fence.shownUpTo = end;
  }

  /** The unfinished piece, rendered for this frame only. */
  private renderTail(): void {
    const fence = this.fence;
    if (fence) {
      const code = this.answer.slice(fence.shownUpTo);
      const first = fence.shownUpTo === fence.codeStart;
      this.tailBlocks = first ? [{ id: fence.id, language: fence.language, code: this.answer.slice(fence.codeStart) }] : [];
      const highlight = first && code.length <= this.limits.tailHighlightChars;
      const html = code === '' && !first ? '' : codeBlockHtml(code, fence.language, { ...(first ? { id: fence.id } : {}), highlight });
      this.tailHtml = highlight ? sanitize(html) : html;
      return;
    }
    const markdown = this.answer.slice(this.pieceStart);
    if (markdown.trim() === '') {
      this.tailBlocks = [];
      this.tailHtml = '';
      return;
    }
    const rendered = renderMarkdown(markdown, this.idPrefix, {
      firstBlock: this.blockCount,
      highlightLimit: markdown.length <= this.limits.tailHighlightChars ? undefined : 0,
    });
    this.tailBlocks = rendered.codeBlocks;
    this.tailHtml = rendered.html;
  }

  /** The answer is complete: whatever is open is finished as it stands. */
  private finishTail(): void {
    if (this.fence) {
      // A fence the answer never closed runs to the end, as Markdown has it.
      this.scanned = this.answer.length;
      this.finishFence(this.answer.length, this.answer.length);
    }
    this.finishProse(this.answer.length);
    this.tailBlocks = [];
    this.tailHtml = '';
  }
}

/**
 * True when `answer` is `previous` with text added. The panel only ever appends to an answer or starts
 * it again, so comparing the ends is enough, and keeps a frame from comparing megabytes.
 */
function continues(answer: string, previous: string): boolean {
  if (answer.length < previous.length) return false;
  const n = Math.min(previous.length, 256);
  return answer.startsWith(previous.slice(0, n)) && answer.startsWith(previous.slice(previous.length - n), previous.length - n);
}

function closesFence(line: string, marker: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return !!m && m[1][0] === marker[0] && m[1].length >= marker.length;
}

/** A reasoning tag in `text`, or the start of one at its end (cut between two deltas). */
function mayHoldReasoningTag(text: string): boolean {
  const lower = text.toLowerCase();
  if (REASONING_TAGS.some((tag) => lower.includes(`<${tag}>`) || lower.includes(`</${tag}>`))) return true;
  const at = lower.lastIndexOf('<');
  if (at < 0) return false;
  const tail = lower.slice(at);
  return REASONING_TAGS.some((tag) => `<${tag}>`.startsWith(tail) || `</${tag}>`.startsWith(tail));
}

/**
 * `answerSoFar(raw).answer` for a reply that grows by appending, without rescanning megabytes per
 * frame: while the reply holds no reasoning tag, the answer is the reply itself, and only the new text
 * (with a few characters before it, for a tag cut in two) is looked at. A tag means a full recompute.
 */
export class VisibleAnswer {
  private raw = '';
  private answer = '';
  /** The answer is the raw reply unchanged (no reasoning anywhere, not thinking). */
  private plain = false;

  update(raw: string): string {
    const appended = this.plain && continues(raw, this.raw);
    if (appended && !mayHoldReasoningTag(this.raw.slice(-12) + raw.slice(this.raw.length))) {
      this.raw = raw;
      this.answer = raw;
      return raw;
    }
    const result = answerSoFar(raw);
    this.raw = raw;
    this.answer = result.answer;
    this.plain = !result.thinking && result.answer === raw;
    return this.answer;
  }
}
