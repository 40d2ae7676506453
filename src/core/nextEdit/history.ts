/**
 * The recent edits of the session, as the next-edit model sees them: one entry per burst of typing in
 * one place, each an (old lines → new lines) pair at a line of the current text, rendered as a unified
 * diff. The history is bounded (entries and lines) and rebased as the user keeps typing: an edit next
 * to the latest entry grows that entry, an edit that restores the old text removes it, and entries
 * below an edit move with it.
 *
 * Plain data only: the editor layer hands in content changes (VS Code positions); a shadow copy of each
 * tracked document's lines gives the text that a change replaced.
 */

/** A contiguous line change: lines [start, start + oldLines.length) became newLines. Lines have no terminators. */
export interface LineChange {
  start: number;
  oldLines: string[];
  newLines: string[];
}

export interface HistoryEntry extends LineChange {
  path: string;
  /** Milliseconds (the caller's clock) of the last edit folded into this entry. */
  time: number;
}

/** One content change as VS Code reports it: a range of the text before the change, and its new text. */
export interface TextChange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
  text: string;
}

export interface HistoryOptions {
  /** Entries kept, newest last. */
  maxEntries: number;
  /** Entries larger than this (old + new lines) are dropped: a paste or a reformat says nothing about the next edit. */
  maxEntryLines: number;
  /** An edit this many lines or fewer from the latest entry joins it. */
  mergeGapLines: number;
}

export const DEFAULT_HISTORY_OPTIONS: HistoryOptions = { maxEntries: 8, maxEntryLines: 80, mergeGapLines: 2 };

/** Splits text into line contents ("\r\n" and "\n" end a line). "" is one empty line. */
export function toLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** Trims the lines a change did not alter from its head and tail; undefined when nothing changed. */
export function trimChange(change: LineChange): LineChange | undefined {
  const { oldLines, newLines } = change;
  let head = 0;
  while (head < oldLines.length && head < newLines.length && oldLines[head] === newLines[head]) head++;
  let tail = 0;
  while (
    tail < oldLines.length - head &&
    tail < newLines.length - head &&
    oldLines[oldLines.length - 1 - tail] === newLines[newLines.length - 1 - tail]
  )
    tail++;
  if (head === oldLines.length && head === newLines.length) return undefined;
  return {
    start: change.start + head,
    oldLines: oldLines.slice(head, oldLines.length - tail),
    newLines: newLines.slice(head, newLines.length - tail),
  };
}

/**
 * Applies one content change to `lines` in place; returns the whole lines it touched before and after
 * (not trimmed). Positions are clamped to the text, as VS Code's model does.
 */
export function applyTextChange(lines: string[], change: TextChange): LineChange {
  const last = lines.length - 1;
  const sl = Math.min(Math.max(0, change.startLine), last);
  const el = Math.min(Math.max(sl, change.endLine), last);
  const sc = Math.min(Math.max(0, change.startCharacter), lines[sl].length);
  const ec = Math.min(Math.max(0, change.endCharacter), lines[el].length);
  const oldLines = lines.slice(sl, el + 1);
  const replaced = lines[sl].slice(0, sc) + change.text + lines[el].slice(ec);
  const newLines = toLines(replaced);
  lines.splice(sl, el - sl + 1, ...newLines);
  return { start: sl, oldLines, newLines };
}

/** The edit history of a session, over several documents (keyed by workspace-relative path). */
export class EditHistory {
  private readonly shadows = new Map<string, string[]>();
  private entries: HistoryEntry[] = [];

  constructor(private readonly options: HistoryOptions = DEFAULT_HISTORY_OPTIONS) {}

  /** Starts (or restarts) tracking a document from its current text. */
  track(path: string, text: string): void {
    this.shadows.set(path, toLines(text));
  }

  isTracked(path: string): boolean {
    return this.shadows.has(path);
  }

  /** The tracked copy of a document's lines (for tests and prompts); do not modify. */
  lines(path: string): readonly string[] | undefined {
    return this.shadows.get(path);
  }

  /** Stops tracking a document; its entries stay in the history. */
  untrack(path: string): void {
    this.shadows.delete(path);
  }

  rename(from: string, to: string): void {
    const shadow = this.shadows.get(from);
    if (shadow) {
      this.shadows.delete(from);
      this.shadows.set(to, shadow);
    }
    for (const e of this.entries) if (e.path === from) e.path = to;
  }

  /** Recent entries, oldest first. */
  recent(): readonly HistoryEntry[] {
    return this.entries;
  }

  /** Entries of one document, newest first. */
  recentIn(path: string): HistoryEntry[] {
    return this.entries.filter((e) => e.path === path).reverse();
  }

  clear(): void {
    this.entries = [];
  }

  /**
   * Folds one document event (its content changes, in the order VS Code reports them: each range in
   * the text before the event) into the shadow and the history. An untracked document is ignored.
   */
  change(path: string, changes: readonly TextChange[], now: number): void {
    const lines = this.shadows.get(path);
    if (!lines) return;
    // Ranges of one event do not overlap; applying the lowest last keeps the others' positions valid.
    const ordered = [...changes].sort((a, b) => b.startLine - a.startLine || b.startCharacter - a.startCharacter);
    for (const change of ordered) {
      const whole = applyTextChange(lines, change);
      const trimmed = trimChange(whole);
      if (trimmed) this.record(path, trimmed, lines, now);
    }
  }

  /**
   * Adds a line change that already happened to `after` (the document's lines after it). Exposed for
   * replaying a recorded history (eval): `after` may then be any text the change fits.
   */
  record(path: string, change: LineChange, after: readonly string[], now: number): void {
    const delta = change.newLines.length - change.oldLines.length;
    const h0 = change.start;
    const h1 = change.start + change.oldLines.length;
    const latest = this.entries[this.entries.length - 1];
    const gap = this.options.mergeGapLines;
    // The entries this change joins: any of the document's entries it overlaps (they would no longer
    // fit the text otherwise), and the latest one when the change is within a few lines of it.
    const joined = this.entries.filter((e) => {
      if (e.path !== path) return false;
      if (touches(e, h0, h1)) return true;
      return e === latest && h0 <= e.start + e.newLines.length + gap && h1 + gap >= e.start;
    });
    if (joined.length === 0) {
      this.shift(path, h1, delta);
      this.push({ ...change, path, time: now });
      return;
    }
    // The union, in the text before this change; entries inside it join too.
    let u0 = Math.min(h0, ...joined.map((e) => e.start));
    let u1 = Math.max(h1, ...joined.map((e) => e.start + e.newLines.length));
    for (let grown = true; grown; ) {
      grown = false;
      for (const e of this.entries) {
        if (e.path !== path || joined.includes(e)) continue;
        if (touches(e, u0, u1)) {
          joined.push(e);
          u0 = Math.min(u0, e.start);
          u1 = Math.max(u1, e.start + e.newLines.length);
          grown = true;
        }
      }
    }
    // Its old text: the lines before this change, with each joined entry's lines put back to what they
    // were before that entry.
    joined.sort((a, b) => a.start - b.start || a.newLines.length - b.newLines.length);
    const oldLines: string[] = [];
    let i = u0;
    for (const e of joined) {
      oldLines.push(...linesBefore(after, change, i, e.start));
      oldLines.push(...e.oldLines);
      i = e.start + e.newLines.length;
    }
    oldLines.push(...linesBefore(after, change, i, u1));
    const newLines = after.slice(u0, u1 + delta);
    this.entries = this.entries.filter((e) => !joined.includes(e));
    this.shift(path, h1, delta);
    const trimmed = trimChange({ start: u0, oldLines, newLines });
    if (trimmed) this.push({ ...trimmed, path, time: now });
  }

  private push(entry: HistoryEntry): void {
    if (entry.oldLines.length + entry.newLines.length > this.options.maxEntryLines) return;
    this.entries.push(entry);
    while (this.entries.length > this.options.maxEntries) this.entries.shift();
  }

  /** Moves the entries of `path` that start at or below `fromLine` (old coordinates) by `delta` lines. */
  private shift(path: string, fromLine: number, delta: number): void {
    if (delta === 0) return;
    for (const e of this.entries) if (e.path === path && e.start >= fromLine) e.start += delta;
  }
}

/**
 * Whether an entry's lines overlap lines [h0, h1) of the text. An entry that removed lines and left none
 * sits at a point: it joins a change that reaches that point from either side, since once both were
 * points at the same line, nothing would say which of them came first in the text (undoing them in
 * turn could put a deleted line on the wrong side of the other's).
 */
function touches(e: HistoryEntry, h0: number, h1: number): boolean {
  const e0 = e.start;
  const e1 = e.start + e.newLines.length;
  return (e0 < h1 && h0 < e1) || (e0 === e1 && h0 <= e0 && e0 <= h1);
}

/**
 * Lines [from, to) of the text as it was before `change`, read from `after` (the text after it): lines
 * above the change are the same, lines inside it come from its old lines, lines below it moved.
 */
function linesBefore(after: readonly string[], change: LineChange, from: number, to: number): string[] {
  const out: string[] = [];
  const delta = change.newLines.length - change.oldLines.length;
  for (let i = from; i < to; i++) {
    if (i < change.start) out.push(after[i] ?? '');
    else if (i < change.start + change.oldLines.length) out.push(change.oldLines[i - change.start]);
    else out.push(after[i + delta] ?? '');
  }
  return out;
}

/**
 * One entry as a unified diff with up to `context` lines of the current text around it:
 * `@@ -a,b +c,d @@` then ' ', '-', '+' lines.
 */
export function unifiedDiff(entry: LineChange, current: readonly string[] | undefined, context = 3): string {
  const before = current ? current.slice(Math.max(0, entry.start - context), entry.start) : [];
  const afterStart = entry.start + entry.newLines.length;
  const after = current ? current.slice(afterStart, afterStart + context) : [];
  const first = entry.start - before.length;
  const oldCount = before.length + entry.oldLines.length + after.length;
  const newCount = before.length + entry.newLines.length + after.length;
  const range = (start: number, count: number) => `${count === 0 ? start : start + 1},${count}`;
  const out = [`@@ -${range(first, oldCount)} +${range(first, newCount)} @@`];
  for (const l of before) out.push(` ${l}`);
  for (const l of entry.oldLines) out.push(`-${l}`);
  for (const l of entry.newLines) out.push(`+${l}`);
  for (const l of after) out.push(` ${l}`);
  return out.join('\n');
}

/**
 * Parses the hunks of a unified diff (the `@@` header and its lines; file headers are skipped) into
 * line changes at the new text's line numbers, trimmed of their context.
 */
export function parseUnifiedDiff(diff: string): LineChange[] {
  const out: LineChange[] = [];
  let current: { newStart: number; oldLines: string[]; newLines: string[] } | undefined;
  const flush = () => {
    if (!current) return;
    const trimmed = trimChange({ start: current.newStart, oldLines: current.oldLines, newLines: current.newLines });
    if (trimmed) out.push(trimmed);
    current = undefined;
  };
  for (const line of toLines(diff)) {
    const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (header) {
      flush();
      const count = header[2] === undefined ? 1 : Number(header[2]);
      // "+0,0" (empty new side) and "+c,0" name the line before; others are 1-based.
      const newStart = count === 0 ? Number(header[1]) : Number(header[1]) - 1;
      current = { newStart, oldLines: [], newLines: [] };
      continue;
    }
    if (!current || line.startsWith('---') || line.startsWith('+++') || line.startsWith('\\')) continue;
    if (line.startsWith('-')) current.oldLines.push(line.slice(1));
    else if (line.startsWith('+')) current.newLines.push(line.slice(1));
    else if (line.startsWith(' ') || line === '') {
      current.oldLines.push(line.slice(1));
      current.newLines.push(line.slice(1));
    }
  }
  flush();
  return out;
}
