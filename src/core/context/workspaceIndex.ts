/**
 * A lazily built, incrementally updated BM25 index over sliding windows of the workspace's files.
 * Nothing happens at construction: `start()` builds it in the background in small batches (yielding
 * to the event loop between them), and `upsert`/`remove` keep it current as files change. Terms are
 * interned to integers and windows store typed arrays, so 2,000 files take a few megabytes.
 */
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { isExcludedPath } from './exclude';
import { BM25_B, BM25_K1, terms } from './similarity';
import type { Snippet } from './snippets';
import { WINDOW_LINES, WINDOW_STRIDE, bestNonOverlapping } from './snippets';

/** File extensions worth indexing (source code, not data or binaries). */
export const INDEXED_EXTENSIONS = [
  'ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'py', 'java', 'kt', 'kts', 'scala', 'go', 'rs', 'c', 'h', 'cc', 'cpp', 'hpp',
  'cs', 'fs', 'rb', 'php', 'swift', 'm', 'mm', 'dart', 'lua', 'sh', 'bash', 'zsh', 'ps1', 'sql', 'r', 'jl', 'ex', 'exs',
  'erl', 'hs', 'ml', 'clj', 'vue', 'svelte', 'html', 'css', 'scss', 'less', 'proto', 'graphql', 'tf', 'zig', 'nim',
];

/** A glob for the editor's file search. */
export const INDEX_GLOB = `**/*.{${INDEXED_EXTENSIONS.join(',')}}`;

/** Folders never worth indexing (besides `redline.exclude`). */
export const INDEX_SKIP = ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/out/**', '**/build/**', '**/target/**', '**/.venv/**', '**/vendor/**', '**/*.min.js'];

/** Extension family: snippets from the same family rank higher (a .ts file learns from .js more than from .py). */
export function languageFamily(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  if (['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'vue', 'svelte'].includes(ext)) return 'js';
  if (['c', 'h', 'cc', 'cpp', 'hpp', 'm', 'mm'].includes(ext)) return 'c';
  if (['java', 'kt', 'kts', 'scala'].includes(ext)) return 'jvm';
  if (['sh', 'bash', 'zsh'].includes(ext)) return 'sh';
  if (['css', 'scss', 'less'].includes(ext)) return 'css';
  return ext;
}

export interface WorkspaceIndexOptions {
  /** Workspace-relative paths of candidate files. */
  listFiles(): Promise<string[]>;
  /** File text, or undefined when unreadable. */
  readFile(path: string): Promise<string | undefined>;
  /** `redline.exclude`, read fresh. */
  exclude(): readonly string[];
  log?: Logger;
  windowLines?: number;
  stride?: number;
  /** Larger files are skipped (generated or data files). */
  maxFileChars?: number;
  maxFiles?: number;
  /** Files read per batch before yielding. */
  batchSize?: number;
  /** Yields to the event loop between batches. */
  yieldToLoop?: () => Promise<void>;
}

interface IndexedFile {
  path: string;
  text: string;
  /** Offsets of line starts. */
  lineStarts: Uint32Array;
  windowIds: number[];
  /** Names declared in the file (for removal from the declaration map). */
  declared: string[];
}

/** A named declaration found in an indexed file. */
export interface Declaration {
  path: string;
  /** 0-based line of the declaration. */
  line: number;
  kind: string;
}

/**
 * Declaration lines in the common languages: `export class X`, `interface X`, `function x`,
 * `const x =`, `def x`, `class X:`, `func (r T) X`, `type X struct`, `pub fn x`, `data class X`, …
 */
const DECLARATION =
  /^\s*(?:(?:export|default|declare|abstract|async|public|private|protected|internal|static|final|sealed|data|open|override|pub(?:\([^)]*\))?|unsafe|extern)\s+)*(class|interface|type|enum|function\*?|const|let|var|namespace|def|fn|struct|trait|mod|record|object|fun|func(?:\s*\([^)]*\))?)\s+([A-Za-z_$][\w$]*)/;

interface IndexedWindow {
  fileId: number;
  startLine: number;
  endLine: number;
  termIds: Uint32Array;
  length: number;
}

export type IndexStatus = 'idle' | 'building' | 'ready' | 'disposed';

export interface IndexSearchOptions {
  k?: number;
  /** Paths to leave out (the current file, files covered by other sources). */
  skipPaths?: ReadonlySet<string>;
  /** Snippets from other language families score lower. */
  family?: string;
  /** Stop scoring past this time (performance.now()). */
  deadline?: number;
  /** Files the current file imports: their windows score higher. */
  boostPaths?: ReadonlySet<string>;
}

/** Longest stretch of indexing work between two yields to the event loop. */
const SLICE_MS = 8;

/** A posting is `windowId × TF_SLOTS + term frequency` (capped), so scoring needs no lookup. */
const TF_SLOTS = 1024;

/** Postings a query may visit before it stops adding terms (rarest terms come first). */
const MAX_POSTINGS_PER_QUERY = 12_000;

const defaultYield = () => new Promise<void>((resolve) => setImmediate(resolve));

export class WorkspaceIndex {
  private readonly termIds = new Map<string, number>();
  private df: Int32Array = new Int32Array(1024);
  /** Term count of each window by id, 0 once removed: scoring reads lengths from here, not the window objects. */
  private lengths: Float64Array = new Float64Array(1024);
  private postings: number[][] = [];
  private readonly files = new Map<string, number>();
  /** Score accumulator reused across queries (zeroed after each). */
  private scratch = new Float64Array(0);
  private readonly declarations = new Map<string, { fileId: number; line: number; kind: string }[]>();
  private readonly fileList: (IndexedFile | undefined)[] = [];
  private windows: (IndexedWindow | undefined)[] = [];
  private liveWindows = 0;
  private deadWindows = 0;
  private totalLength = 0;
  private building: Promise<void> | undefined;
  private statusValue: IndexStatus = 'idle';
  private readonly windowLines: number;
  private readonly stride: number;
  private readonly log: Logger;

  constructor(private readonly options: WorkspaceIndexOptions) {
    this.windowLines = options.windowLines ?? WINDOW_LINES;
    this.stride = options.stride ?? WINDOW_STRIDE;
    this.log = options.log ?? silentLogger;
  }

  get status(): IndexStatus {
    return this.statusValue;
  }

  /** Starts the background build once; later calls return the same promise. */
  start(): Promise<void> {
    if (!this.building) {
      this.statusValue = 'building';
      this.building = this.build().then(
        () => {
          if (this.statusValue === 'building') this.statusValue = 'ready';
        },
        (error: unknown) => {
          this.log.warn(`[completion] workspace index failed: ${String(error)}`);
          if (this.statusValue === 'building') this.statusValue = 'ready';
        },
      );
    }
    return this.building;
  }

  private async build(): Promise<void> {
    const started = performance.now();
    const maxFiles = this.options.maxFiles ?? 5000;
    const batch = this.options.batchSize ?? 16;
    const yieldToLoop = this.options.yieldToLoop ?? defaultYield;
    const paths = (await this.options.listFiles()).slice(0, maxFiles);
    let sliceStart = performance.now();
    for (let i = 0; i < paths.length; i += batch) {
      if (this.statusValue === 'disposed') return;
      const group = paths.slice(i, i + batch).filter((p) => !this.files.has(p));
      const texts = await Promise.all(group.map((p) => this.options.readFile(p).catch(() => undefined)));
      for (let j = 0; j < group.length; j++) {
        const text = texts[j];
        // A file changed while we read it was indexed by upsert(): keep that version.
        if (text !== undefined && !this.files.has(group[j])) this.upsert(group[j], text);
        // Never hold the event loop for long: typing must not wait on the index.
        if (performance.now() - sliceStart > SLICE_MS) {
          await yieldToLoop();
          if ((this.statusValue as IndexStatus) === 'disposed') return;
          sliceStart = performance.now();
        }
      }
    }
    this.log.debug(`[completion] indexed ${this.files.size} files, ${this.liveWindows} windows in ${Math.round(performance.now() - started)} ms`);
  }

  /** Indexes (or re-indexes) one file. Excluded and oversized files are removed instead. */
  upsert(path: string, text: string): void {
    if (this.statusValue === 'disposed') return;
    this.remove(path);
    if (text.length > (this.options.maxFileChars ?? 400_000) || isExcludedPath(path, this.options.exclude())) return;
    const lineStarts = computeLineStarts(text);
    const fileId = this.fileList.length;
    const file: IndexedFile = { path, text, lineStarts, windowIds: [], declared: [] };
    this.fileList.push(file);
    this.files.set(path, fileId);
    const lineCount = lineStarts.length;
    for (let line = 0; line < lineCount; line++) {
      const m = DECLARATION.exec(sliceLines(file, line, line + 1));
      if (!m || m[2].length < 2) continue;
      const list = this.declarations.get(m[2]) ?? [];
      if (list.length < 8) list.push({ fileId, line, kind: m[1].split(/\s|\(/)[0] });
      this.declarations.set(m[2], list);
      file.declared.push(m[2]);
    }
    const starts: number[] = [];
    for (let s = 0; s + this.windowLines < lineCount; s += this.stride) starts.push(s);
    starts.push(Math.max(0, lineCount - this.windowLines));
    let lastStart = -1;
    for (const startLine of starts) {
      if (startLine === lastStart) continue;
      lastStart = startLine;
      const endLine = Math.min(lineCount, startLine + this.windowLines);
      const body = sliceLines(file, startLine, endLine);
      const ts = terms(body);
      if (ts.length === 0) continue;
      const tf = new Map<number, number>();
      for (const t of ts) {
        const id = this.intern(t);
        tf.set(id, (tf.get(id) ?? 0) + 1);
      }
      const termIds = new Uint32Array(tf.size);
      let j = 0;
      const windowId = this.windows.length;
      for (const [id, c] of tf) {
        termIds[j] = id;
        j++;
        this.df[id]++;
        this.postings[id].push(windowId * TF_SLOTS + Math.min(c, TF_SLOTS - 1));
      }
      this.windows.push({ fileId, startLine, endLine, termIds, length: ts.length });
      if (windowId >= this.lengths.length) {
        const grown = new Float64Array(Math.max(windowId + 1, this.lengths.length * 2));
        grown.set(this.lengths);
        this.lengths = grown;
      }
      this.lengths[windowId] = ts.length;
      file.windowIds.push(windowId);
      this.liveWindows++;
      this.totalLength += ts.length;
    }
  }

  remove(path: string): void {
    const fileId = this.files.get(path);
    if (fileId === undefined) return;
    const file = this.fileList[fileId]!;
    for (const id of file.windowIds) {
      const w = this.windows[id]!;
      for (const t of w.termIds) this.df[t]--;
      this.totalLength -= w.length;
      this.windows[id] = undefined;
      this.lengths[id] = 0;
      this.liveWindows--;
      this.deadWindows++;
    }
    for (const name of file.declared) {
      const list = this.declarations.get(name)?.filter((d) => d.fileId !== fileId);
      if (list && list.length > 0) this.declarations.set(name, list);
      else this.declarations.delete(name);
    }
    this.fileList[fileId] = undefined;
    this.files.delete(path);
    if (this.deadWindows > 1000 && this.deadWindows > this.liveWindows) this.compactPostings();
  }

  rename(from: string, to: string): void {
    const fileId = this.files.get(from);
    if (fileId === undefined) return;
    const text = this.fileList[fileId]!.text;
    this.remove(from);
    this.upsert(to, text);
  }

  /** Where `name` is declared in the indexed files (at most 8 places). */
  declarationsOf(name: string): Declaration[] {
    return (this.declarations.get(name) ?? []).map((d) => ({ path: this.fileList[d.fileId]!.path, line: d.line, kind: d.kind }));
  }

  /** Lines `start` (inclusive) to `end` (exclusive) of an indexed file. */
  lines(path: string, start: number, end: number): string[] | undefined {
    const id = this.files.get(path);
    if (id === undefined) return undefined;
    const file = this.fileList[id]!;
    const last = Math.min(end, file.lineStarts.length);
    if (start >= last) return [];
    return sliceLines(file, start, last).split('\n').map((l) => l.replace(/\r$/, ''));
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  /**
   * The `k` windows most similar to `queryText` by BM25, at most one per overlapping group. Terms are
   * scored rarest first; terms in more than a tenth of a large index (the vocabulary every file
   * shares) are skipped, and so are the commonest terms past a fixed amount of work: they change
   * little in the ranking, and a query stays in the milliseconds.
   */
  search(queryText: string, options: IndexSearchOptions = {}): Snippet[] {
    const k = options.k ?? 4;
    const n = this.liveWindows;
    if (n === 0) return [];
    const avg = this.totalLength / n;
    const qTerms: { id: number; df: number }[] = [];
    for (const t of new Set(terms(queryText))) {
      const id = this.termIds.get(t);
      if (id === undefined || this.df[id] <= 0) continue;
      if (n >= 500 && this.df[id] > n * 0.1) continue;
      qTerms.push({ id, df: this.df[id] });
    }
    qTerms.sort((a, b) => a.df - b.df);
    if (this.scratch.length < this.windows.length) this.scratch = new Float64Array(Math.max(1024, this.windows.length * 2));
    const scores = this.scratch;
    const lengths = this.lengths;
    const touched: number[] = [];
    // BM25's length normalisation, K1 × (1 − B + B × length / avg) = base + slope × length.
    const base = BM25_K1 * (1 - BM25_B);
    const slope = (BM25_K1 * BM25_B) / avg;
    let checked = 0;
    let visited = 0;
    for (const { id, df } of qTerms) {
      // Rarest terms first; past a fixed amount of work the common ones are not worth their cost.
      if (visited > MAX_POSTINGS_PER_QUERY) break;
      visited += this.postings[id].length;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5)) * (BM25_K1 + 1);
      const list = this.postings[id];
      for (let p = 0; p < list.length; p++) {
        const posting = list[p];
        const windowId = Math.floor(posting / TF_SLOTS);
        const length = lengths[windowId];
        if (length === 0) continue;
        const f = posting - windowId * TF_SLOTS;
        if (scores[windowId] === 0) touched.push(windowId);
        scores[windowId] += (idf * f) / (f + base + slope * length);
      }
      if (options.deadline !== undefined && (++checked & 3) === 0 && performance.now() > options.deadline) break;
    }
    // Best candidates first; a few times k of them is plenty to find k that do not overlap.
    const top = topByScore(touched, scores, k * 8, (windowId) => {
      const file = this.fileList[this.windows[windowId]!.fileId]!;
      if (options.skipPaths?.has(file.path)) return 0;
      return (options.family && languageFamily(file.path) !== options.family ? 0.5 : 1) * (options.boostPaths?.has(file.path) ? 1.5 : 1);
    });
    const hits: Snippet[] = top.map(({ id, score }) => {
      const w = this.windows[id]!;
      return { path: this.fileList[w.fileId]!.path, text: '', startLine: w.startLine, endLine: w.endLine, score };
    });
    for (const id of touched) scores[id] = 0;
    const best = bestNonOverlapping(hits, k);
    for (const b of best) b.text = sliceLines(this.fileList[this.files.get(b.path)!]!, b.startLine!, b.endLine!);
    return best;
  }

  stats(): { files: number; windows: number; terms: number; textChars: number } {
    let textChars = 0;
    for (const f of this.fileList) if (f) textChars += f.text.length;
    return { files: this.files.size, windows: this.liveWindows, terms: this.termIds.size, textChars };
  }

  dispose(): void {
    this.statusValue = 'disposed';
    this.files.clear();
    this.fileList.length = 0;
    this.windows = [];
    this.lengths = new Float64Array(0);
    this.postings = [];
    this.termIds.clear();
    this.declarations.clear();
    this.liveWindows = 0;
  }

  private intern(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.termIds.size;
      this.termIds.set(term, id);
      this.postings.push([]);
      if (id >= this.df.length) {
        const grown = new Int32Array(this.df.length * 2);
        grown.set(this.df);
        this.df = grown;
      }
    }
    return id;
  }

  private compactPostings(): void {
    for (let t = 0; t < this.postings.length; t++) this.postings[t] = this.postings[t].filter((p) => this.windows[Math.floor(p / TF_SLOTS)] !== undefined);
    this.deadWindows = 0;
  }
}

/**
 * The `m` best of `ids` by `scores[id] × weight(id)` (weight 0 drops an id, weights are at most 1.5).
 * A bounded min-heap picks the best raw scores first (no sort of every touched window), then the
 * weights are applied to those candidates only.
 */
function topByScore(ids: number[], scores: Float64Array, m: number, weight: (id: number) => number): { id: number; score: number }[] {
  const size = m * 4;
  const heap: number[] = [];
  const less = (a: number, b: number) => scores[a] < scores[b];
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let s = i;
      if (l < heap.length && less(heap[l], heap[s])) s = l;
      if (r < heap.length && less(heap[r], heap[s])) s = r;
      if (s === i) return;
      [heap[i], heap[s]] = [heap[s], heap[i]];
      i = s;
    }
  };
  for (const id of ids) {
    if (heap.length < size) {
      heap.push(id);
      up(heap.length - 1);
    } else if (scores[id] > scores[heap[0]]) {
      heap[0] = id;
      down(0);
    }
  }
  return heap
    .map((id) => ({ id, score: scores[id] * weight(id) }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, m);
}


function computeLineStarts(text: string): Uint32Array {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  if (starts.length > 1 && starts[starts.length - 1] === text.length) starts.pop();
  return Uint32Array.from(starts);
}

function sliceLines(file: IndexedFile, startLine: number, endLine: number): string {
  const from = file.lineStarts[startLine] ?? file.text.length;
  const to = endLine < file.lineStarts.length ? file.lineStarts[endLine] - 1 : file.text.length;
  return file.text.slice(from, Math.max(from, to)).replace(/\r$/, '');
}
