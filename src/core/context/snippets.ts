/**
 * Snippets that resemble the code at the cursor: from open editors (sliding windows ranked by Jaccard
 * similarity of identifier sets, the neighbouring-tabs approach) and from recent edits (the lines
 * around where the developer last changed code). Windows are cached per document version, so a
 * keystroke only re-windows the document that changed.
 */
import { jaccard, slidingWindows, termSet, terms } from './similarity';

export const WINDOW_LINES = 16;
export const WINDOW_STRIDE = 8;

export interface Snippet {
  /** Workspace-relative path. */
  path: string;
  text: string;
  /** 0-based first line in its file, when known. */
  startLine?: number;
  endLine?: number;
  score?: number;
  /** The symbol a definition snippet defines. */
  symbol?: string;
}

export interface RetrievalQuery {
  /** Workspace-relative path of the file being edited. */
  path: string;
  languageId: string;
  /** The code the retrieval should resemble: the lines around the cursor. */
  text: string;
  /** Cursor line (0-based) in the file, to skip windows that overlap the cursor's own windows. */
  line?: number;
}

/** The lines right around the cursor, the text snippets are compared with. */
export function queryText(prefix: string, suffix: string, linesBefore = 12, linesAfter = 3): string {
  let start = prefix.length;
  for (let i = 0; i <= linesBefore && start > 0; i++) start = prefix.lastIndexOf('\n', start - 1);
  let end = 0;
  for (let i = 0; i < linesAfter && end >= 0; i++) end = suffix.indexOf('\n', end + 1);
  return prefix.slice(Math.max(0, start + 1)) + (end < 0 ? suffix : suffix.slice(0, end));
}

export interface OpenDocument {
  path: string;
  languageId: string;
  /** Changes whenever the text changes (VS Code's document version). */
  version: number;
  getText(): string;
}

interface CachedWindows {
  version: number;
  windows: { startLine: number; endLine: number; text: string; terms: Set<string> }[];
}

/** Ranks windows of open documents by Jaccard similarity to the query; caches windows per version. */
export class OpenEditorSnippets {
  private readonly cache = new Map<string, CachedWindows>();

  constructor(private readonly windowLines = WINDOW_LINES, private readonly stride = WINDOW_STRIDE) {}

  rank(query: RetrievalQuery, documents: readonly OpenDocument[], options: { k?: number; deadline?: number; now?: () => number } = {}): Snippet[] {
    const k = options.k ?? 4;
    const now = options.now ?? (() => performance.now());
    const q = termSet(query.text);
    if (q.size === 0) return [];
    const scored: Snippet[] = [];
    const live = new Set<string>();
    for (const doc of documents) {
      live.add(doc.path);
      if (options.deadline !== undefined && now() > options.deadline) break;
      const windows = this.windowsOf(doc);
      const sameFile = doc.path === query.path;
      for (const w of windows) {
        if (sameFile) continue;
        const score = jaccard(q, w.terms);
        if (score > 0) scored.push({ path: doc.path, text: w.text, startLine: w.startLine, endLine: w.endLine, score });
      }
    }
    for (const path of this.cache.keys()) if (!live.has(path)) this.cache.delete(path);
    return bestNonOverlapping(scored, k);
  }

  private windowsOf(doc: OpenDocument): CachedWindows['windows'] {
    const hit = this.cache.get(doc.path);
    if (hit && hit.version === doc.version) return hit.windows;
    const windows = slidingWindows(doc.path, doc.getText(), this.windowLines, this.stride).map((w) => ({
      startLine: w.startLine,
      endLine: w.endLine,
      text: w.text,
      terms: termSet(w.text),
    }));
    this.cache.set(doc.path, { version: doc.version, windows });
    return windows;
  }
}

/** The best `k` snippets, at most one of any overlapping group of windows from the same file. */
export function bestNonOverlapping(scored: Snippet[], k: number): Snippet[] {
  scored.sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || (a.startLine ?? 0) - (b.startLine ?? 0));
  const out: Snippet[] = [];
  for (const s of scored) {
    if (out.length >= k) break;
    const overlaps = out.some((o) => o.path === s.path && (o.startLine ?? 0) < (s.endLine ?? 0) && (s.startLine ?? 0) < (o.endLine ?? 0));
    if (!overlaps) out.push(s);
  }
  return out;
}

export interface EditLocation {
  path: string;
  /** 0-based line of the edit. */
  line: number;
  /** Monotonic sequence number or timestamp. */
  at: number;
}

/**
 * Where the developer edited recently, most recent first; edits close together in a file are one
 * location. Plain bookkeeping: the editor layer reports changes, and reads the lines when asked.
 */
export class RecentEdits {
  private edits: EditLocation[] = [];

  constructor(private readonly capacity = 16, private readonly mergeLines = 8) {}

  record(path: string, line: number, at: number): void {
    const same = this.edits.findIndex((e) => e.path === path && Math.abs(e.line - line) <= this.mergeLines);
    if (same >= 0) this.edits.splice(same, 1);
    this.edits.unshift({ path, line, at });
    if (this.edits.length > this.capacity) this.edits.length = this.capacity;
  }

  /** Moves or drops recorded lines when a file is renamed or deleted. */
  rename(from: string, to: string | undefined): void {
    this.edits = this.edits.flatMap((e) => (e.path !== from ? [e] : to ? [{ ...e, path: to }] : []));
  }

  list(): readonly EditLocation[] {
    return this.edits;
  }

  /**
   * Snippets around the recent edits, best first: similarity to the query, then recency. Edits inside
   * the cursor's own neighbourhood are skipped (that code is in the prompt already).
   */
  snippets(
    query: RetrievalQuery,
    readLines: (path: string, start: number, end: number) => { text: string; start: number; end: number } | undefined,
    options: { k?: number; before?: number; after?: number; nearLines?: number } = {},
  ): Snippet[] {
    const { k = 3, before = 4, after = 6, nearLines = 40 } = options;
    const q = termSet(query.text);
    const out: Snippet[] = [];
    this.edits.forEach((e, rank) => {
      if (e.path === query.path && query.line !== undefined && Math.abs(e.line - query.line) <= nearLines) return;
      const read = readLines(e.path, Math.max(0, e.line - before), e.line + after + 1);
      if (!read || read.text.trim() === '') return;
      const similarity = q.size > 0 ? jaccard(q, termSet(read.text)) : 0;
      out.push({ path: e.path, text: read.text, startLine: read.start, endLine: read.end, score: similarity + 1 / (rank + 2) });
    });
    return bestNonOverlapping(out, k);
  }
}

/** Number of distinct identifier terms two texts share (a cheap relevance check for tests and evals). */
export function sharedTerms(a: string, b: string): number {
  const sa = new Set(terms(a));
  let n = 0;
  for (const t of new Set(terms(b))) if (sa.has(t)) n++;
  return n;
}
