/**
 * Similarity between code fragments, over identifier-like terms. Two well-known measures:
 * Jaccard over term sets (what Copilot's neighbouring-tab snippets use) and Okapi BM25 over a corpus
 * of sliding windows (what the workspace index uses). Plain functions of strings and arrays.
 */

const TERM = /[A-Za-z_$][A-Za-z0-9_$]*|[0-9]+/g;

/** Very common keywords that say nothing about what the code is about. */
const STOP_WORDS = new Set([
  'if', 'else', 'for', 'while', 'do', 'return', 'const', 'let', 'var', 'function', 'def', 'class', 'new',
  'this', 'self', 'true', 'false', 'null', 'none', 'undefined', 'import', 'from', 'export', 'public',
  'private', 'protected', 'static', 'void', 'int', 'string', 'in', 'of', 'is', 'and', 'or', 'not', 'the',
  'a', 'an', 'to', 'fn', 'let', 'mut', 'pub', 'use', 'func', 'package', 'type', 'interface', 'async',
  'await', 'try', 'catch', 'finally', 'throw', 'end', 'then', 'elif', 'with', 'as', 'break', 'continue',
]);

/** Sub-words per identifier, remembered (the same names recur in every query and window). */
const SUBWORD_MEMO_LIMIT = 50_000;
let subwordMemo = new Map<string, readonly string[]>();

/** Splits `parseHTTPResponse_v2` into `parse`, `http`, `response`, `v2` (all lower case). */
function subwords(identifier: string): readonly string[] {
  let parts = subwordMemo.get(identifier);
  if (parts) return parts;
  parts = splitSubwords(identifier);
  if (subwordMemo.size >= SUBWORD_MEMO_LIMIT) subwordMemo = new Map();
  subwordMemo.set(identifier, parts);
  return parts;
}

function splitSubwords(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_$]+/)
    .filter((w) => w.length > 1)
    .map((w) => w.toLowerCase());
}

/**
 * Terms of a code fragment: every identifier (lower-cased) plus its sub-words when it is a compound,
 * without keywords and one-letter names.
 */
export function terms(text: string): string[] {
  const out: string[] = [];
  TERM.lastIndex = 0;
  for (let m = TERM.exec(text); m; m = TERM.exec(text)) {
    const word = m[0];
    if (word.length < 2) continue;
    const lower = word.toLowerCase();
    if (STOP_WORDS.has(lower) || /^[0-9]+$/.test(word)) continue;
    out.push(lower);
    const parts = subwords(word);
    if (parts.length > 1) for (const p of parts) if (!STOP_WORDS.has(p)) out.push(p);
  }
  return out;
}

export function termSet(text: string): Set<string> {
  return new Set(terms(text));
}

/** |A ∩ B| / |A ∪ B|; 0 for two empty sets. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let inter = 0;
  for (const t of small) if (large.has(t)) inter++;
  return inter / (a.size + b.size - inter);
}

export interface TextWindow {
  /** Where the window comes from (workspace-relative path). */
  path: string;
  /** 0-based first line and exclusive end line. */
  startLine: number;
  endLine: number;
  text: string;
}

/**
 * Sliding windows of `size` lines every `stride` lines, the last one aligned to the end of the text.
 * Blank-only windows are skipped.
 */
export function slidingWindows(path: string, text: string, size: number, stride: number): TextWindow[] {
  const lines = text.split(/\r?\n/);
  const out: TextWindow[] = [];
  if (lines.length === 0) return out;
  const push = (start: number) => {
    const end = Math.min(lines.length, start + size);
    const body = lines.slice(start, end).join('\n');
    if (body.trim().length > 0) out.push({ path, startLine: start, endLine: end, text: body });
  };
  let start = 0;
  for (; start + size < lines.length; start += stride) push(start);
  push(Math.max(0, lines.length - size));
  return out;
}

/** BM25 parameters: k1 saturates term frequency, b normalises by length (the usual defaults). */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

export interface Bm25Document {
  /** Term frequencies. */
  tf: Map<string, number>;
  length: number;
}

export function bm25Document(text: string): Bm25Document {
  const tf = new Map<string, number>();
  const ts = terms(text);
  for (const t of ts) tf.set(t, (tf.get(t) ?? 0) + 1);
  return { tf, length: ts.length };
}

/**
 * Corpus statistics for BM25, updatable one document at a time (the workspace index adds and removes
 * windows as files change).
 */
export class Bm25Stats {
  private readonly df = new Map<string, number>();
  private docs = 0;
  private totalLength = 0;

  add(doc: Bm25Document): void {
    this.docs++;
    this.totalLength += doc.length;
    for (const t of doc.tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
  }

  remove(doc: Bm25Document): void {
    this.docs--;
    this.totalLength -= doc.length;
    for (const t of doc.tf.keys()) {
      const n = (this.df.get(t) ?? 0) - 1;
      if (n <= 0) this.df.delete(t);
      else this.df.set(t, n);
    }
  }

  get size(): number {
    return this.docs;
  }

  get averageLength(): number {
    return this.docs === 0 ? 0 : this.totalLength / this.docs;
  }

  documentFrequency(term: string): number {
    return this.df.get(term) ?? 0;
  }

  /** The BM25 idf with the +1 that keeps it positive (as in Lucene). */
  idf(term: string): number {
    const n = this.df.get(term) ?? 0;
    return Math.log(1 + (this.docs - n + 0.5) / (n + 0.5));
  }

  /** BM25 score of `doc` for the query terms (each distinct term counted once). */
  score(queryTerms: Iterable<string>, doc: Bm25Document): number {
    const avg = this.averageLength || 1;
    let s = 0;
    for (const t of queryTerms) {
      const f = doc.tf.get(t);
      if (!f) continue;
      s += (this.idf(t) * f * (BM25_K1 + 1)) / (f + BM25_K1 * (1 - BM25_B + (BM25_B * doc.length) / avg));
    }
    return s;
  }
}
