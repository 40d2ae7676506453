/**
 * Token counting for prompt budgets: cl100k_base through js-tiktoken, loaded lazily, with a chars/4
 * estimate when the encoder is unavailable.
 *
 * The rank table (1 MB) is not bundled: code imports `js-tiktoken/lite` and the ranks are read on first
 * use from `cl100k_base.json` next to the bundle (esbuild.js copies it into dist/), or, when running from
 * source/tests, from the js-tiktoken package itself. Loading is synchronous (≈100 ms, once); call
 * warmUpTokenizer() at activation to pay it before the first keystroke needs a count.
 *
 * Counting is fast on repeated text: the text is cut at line starts that are also boundaries of the
 * tokenizer's own pre-split (a newline followed by a non-space character), so counting the pieces and
 * adding up gives exactly the count of the whole text, and each piece's count is memoised. Retyping one
 * line of a large prompt re-encodes only that line.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Tiktoken, TiktokenBPE } from 'js-tiktoken/lite';

export const RANKS_FILE = 'cl100k_base.json';
export const RANKS_MODULE = 'js-tiktoken/ranks/cl100k_base';

export type TokenizerStatus = 'unloaded' | 'exact' | 'estimate';

/** Returns the rank table, or undefined when it cannot be found (then counts are estimates). */
export type RanksLoader = () => TiktokenBPE | undefined;

/** Finds the ranks next to this module (the bundle), else in node_modules (source and tests). */
export const defaultRanksLoader: RanksLoader = () => {
  const beside = path.join(__dirname, RANKS_FILE);
  if (fs.existsSync(beside)) return JSON.parse(fs.readFileSync(beside, 'utf8')) as TiktokenBPE;
  try {
    // Kept out of the bundle on purpose: the name is not a literal esbuild can follow.
    const dynamicRequire = require;
    const name = [RANKS_MODULE][0];
    const mod = dynamicRequire(name) as TiktokenBPE | { default: TiktokenBPE };
    return 'default' in mod ? mod.default : mod;
  } catch {
    return undefined;
  }
};

let loader: RanksLoader = defaultRanksLoader;
let encoder: Tiktoken | undefined;
let status: TokenizerStatus = 'unloaded';
const NO_SPECIAL: string[] = [];

const CACHE_LIMIT = 20_000;
const CACHE_MAX_KEY = 4_000;
let cache = new Map<string, number>();

/** Replaces the rank loader (tests; an editor that knows its install folder) and forgets the encoder. */
export function setRanksLoader(next: RanksLoader): void {
  loader = next;
  encoder = undefined;
  status = 'unloaded';
  cache = new Map();
}

export function tokenizerStatus(): TokenizerStatus {
  return status;
}

function getEncoder(): Tiktoken | undefined {
  if (status === 'unloaded') {
    try {
      const ranks = loader();
      encoder = ranks ? new Tiktoken(ranks) : undefined;
    } catch {
      encoder = undefined;
    }
    status = encoder ? 'exact' : 'estimate';
  }
  return encoder;
}

/** Loads the encoder now (on a later tick) so the first real count does not pay for it. */
export function warmUpTokenizer(): Promise<TokenizerStatus> {
  return new Promise((resolve) =>
    setImmediate(() => {
      getEncoder();
      resolve(status);
    }),
  );
}

/** A fast approximation: one token per four characters. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Tokens in `text` for the cl100k_base encoding (special-token text counts as plain text). */
export function countTokens(text: string): number {
  if (text === '') return 0;
  const enc = getEncoder();
  if (!enc) return estimateTokens(text);
  let total = 0;
  for (const piece of pieces(text)) total += countPiece(enc, piece);
  return total;
}

function countPiece(enc: Tiktoken, piece: string): number {
  if (piece.length > CACHE_MAX_KEY) return enc.encode(piece, NO_SPECIAL, NO_SPECIAL).length;
  const hit = cache.get(piece);
  if (hit !== undefined) return hit;
  const n = enc.encode(piece, NO_SPECIAL, NO_SPECIAL).length;
  if (cache.size >= CACHE_LIMIT) cache = new Map();
  cache.set(piece, n);
  return n;
}

/**
 * Cuts text right after a "\n" that is followed by a non-whitespace character. No piece of the
 * tokenizer's pre-split crosses such a point, so per-piece counts add up to the whole count.
 */
export function pieces(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0 && nl + 1 < text.length; nl = text.indexOf('\n', nl + 1)) {
    const next = text.charCodeAt(nl + 1);
    // space, tab, CR, LF, VT, FF and other whitespace stay with the current piece
    if (next === 32 || next === 9 || next === 10 || next === 13 || next === 11 || next === 12 || /\s/.test(text[nl + 1])) continue;
    out.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/**
 * The longest part of `text` within `max` tokens, cut at one end:
 * `from: 'start'` drops the beginning and keeps the tail (code before a cursor),
 * `from: 'end'` drops the end and keeps the head (code after it).
 * The result is always an exact substring of `text` (never a broken character).
 */
export function truncateToTokens(text: string, max: number, from: 'start' | 'end'): string {
  if (max <= 0 || text === '') return '';
  const enc = getEncoder();
  if (!enc) {
    const chars = max * 4;
    if (text.length <= chars) return text;
    return from === 'start' ? text.slice(safeCut(text, text.length - chars, 1)) : text.slice(0, safeCut(text, chars, -1));
  }
  const parts = pieces(text);
  let budget = max;
  let kept = 0; // characters kept
  const order = from === 'start' ? [...parts].reverse() : parts;
  for (const part of order) {
    const n = countPiece(enc, part);
    if (n <= budget) {
      budget -= n;
      kept += part.length;
      continue;
    }
    // The piece that does not fit: keep as much of it as the budget allows.
    let lo = 0;
    let hi = part.length;
    const slice = (len: number) => (from === 'start' ? part.slice(part.length - len) : part.slice(0, len));
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (enc.encode(slice(mid), NO_SPECIAL, NO_SPECIAL).length <= budget) lo = mid;
      else hi = mid - 1;
    }
    kept += lo;
    break;
  }
  const cut = from === 'start' ? safeCut(text, text.length - kept, 1) : safeCut(text, kept, -1);
  return from === 'start' ? text.slice(cut) : text.slice(0, cut);
}

/** Moves a cut index off the middle of a surrogate pair (direction +1: forward, −1: back). */
function safeCut(text: string, index: number, direction: 1 | -1): number {
  const code = text.charCodeAt(index);
  const prev = text.charCodeAt(index - 1);
  if (index > 0 && index < text.length && code >= 0xdc00 && code <= 0xdfff && prev >= 0xd800 && prev <= 0xdbff) {
    return index + direction;
  }
  return index;
}
