/**
 * Cheap checks that a reply is plausibly code of the selection (and not a small model's noise) before
 * it is proposed as a rewrite. Each check names what it saw; none parses the language for real:
 *
 * - prose: most of its lines read as sentences, or it is words without a single symbol;
 * - brackets: (), [] and {} balance far worse than in the selection (string literals and line comments
 *   left out of the count);
 * - repetition: one token makes up most of a long reply (a model stuck in a loop);
 * - identifiers: it keeps almost none of the selection's names (when the selection has enough of them).
 */
import { isProseLine } from './prose';

export type Implausible = { why: 'prose' | 'brackets' | 'repetition' | 'identifiers'; detail: string };

const COMMON_WORDS = new Set(
  ('a an the of to in on for and or is are be it as at by with from this that not if else return const let var function ' +
    'def class new true false null none undefined self int str void public private static import export').split(' '),
);

/** undefined when the code is plausible; else the first check it fails. */
export function implausibleCode(code: readonly string[], selection: readonly string[], options: { proseLanguage?: boolean } = {}): Implausible | undefined {
  if (options.proseLanguage) return undefined;
  const codeLines = code.filter((l) => l.trim() !== '');
  if (codeLines.length === 0) return undefined;
  const selectionTrimmed = new Set(selection.map((l) => l.trim()).filter((l) => l !== ''));

  const prose = codeLines.filter((l) => isProseLine(l, selectionTrimmed)).length;
  if (prose * 2 > codeLines.length) return { why: 'prose', detail: `${prose} of ${codeLines.length} lines read as sentences` };

  const words = codeLines.join(' ').split(/\s+/).filter((w) => /\w/.test(w)).length;
  if (words >= 6 && !/[^\w\s]/.test(codeLines.join('')) && selection.some((l) => /[^\w\s]/.test(l))) {
    return { why: 'prose', detail: 'words without any syntax' };
  }

  const drift = Math.abs(bracketBalance(code) - bracketBalance(selection));
  if (drift >= 3) return { why: 'brackets', detail: `brackets are off by ${drift} compared with the selection` };

  const tokens = code.join('\n').match(/[A-Za-z_$][\w$]*|\d+|[^\s\w]/g) ?? [];
  if (tokens.length >= 24) {
    const counts = new Map<string, number>();
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    const top = Math.max(...counts.values());
    if (top * 2 > tokens.length) return { why: 'repetition', detail: `one token is ${Math.round((100 * top) / tokens.length)}% of the reply` };
  }

  const wanted = identifiers(selection);
  if (wanted.size >= 4) {
    const have = identifiers(code);
    let shared = 0;
    for (const id of wanted) if (have.has(id)) shared++;
    if (shared / wanted.size < 0.2) return { why: 'identifiers', detail: `it keeps ${shared} of the selection's ${wanted.size} names` };
  }
  return undefined;
}

/** Distinct names (two characters or more, common keywords left out) of some lines. */
function identifiers(lines: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const line of lines) for (const id of line.match(/[A-Za-z_$][\w$]+/g) ?? []) if (!COMMON_WORDS.has(id.toLowerCase())) out.add(id);
  return out;
}

/** + for openers, − for closers, outside string literals and `//` / `#` line comments (a rough cut). */
export function bracketBalance(lines: readonly string[]): number {
  let b = 0;
  for (const raw of lines) {
    const line = raw
      .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""')
      .replace(/(^|\s)(\/\/|#).*$/, '');
    for (const ch of line) b += ch === '{' || ch === '(' || ch === '[' ? 1 : ch === '}' || ch === ')' || ch === ']' ? -1 : 0;
  }
  return b;
}
