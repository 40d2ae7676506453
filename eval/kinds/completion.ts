/**
 * "completion" cases: a recorded raw model reply for an inline suggestion, cleaned exactly as in the
 * editor (the same streaming filter chain, fed in small chunks, with the line mode, stop sequences
 * and reply style the editor would use). Scored by exact match; the edit similarity to `expected`
 * (1 − Levenshtein distance / longer length) is reported per case in `actual` and in failure lines.
 *
 * {"kind":"completion","id","language","prefix","suffix","reply","expected"}
 * Optional: "mode" ("completions" default | "chat" | "fim-template"), "fimTemplate" (preset name).
 */
import { cleanCompletion } from '../../src/core/completion/filters';
import { decideLineMode, guessIndentStyle } from '../../src/core/completion/position';
import { buildCompletionPrompt } from '../../src/core/completion/prompt';
import { type CompletionMode, DEFAULT_COMPLETION_SETTINGS, type FimPresetName } from '../../src/core/completion/settings';
import type { CaseResult, EvalCase, Evaluator } from '../types';

interface CompletionCase extends EvalCase {
  language?: string;
  prefix: string;
  suffix: string;
  reply: string;
  expected: string;
  mode?: CompletionMode;
  fimTemplate?: FimPresetName;
}

/** Levenshtein distance over UTF-16 code units, two rows. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** 1 for equal texts, 0 for nothing in common (two empty texts are equal). */
export function editSimilarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - editDistance(a, b) / longer;
}

/** Length of the longest common subsequence of two strings (two rows). */
function lcs(a: string, b: string): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = 0;
    for (let j = 1; j <= b.length; j++) cur[j] = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/**
 * CrossCodeEval's edit similarity, 0..1: 2·LCS / (total length) of the two texts with their ends
 * trimmed (the figure `../shared/evals/score.py` reports ×100).
 */
export function lcsSimilarity(a: string, b: string): number {
  const x = a.trim();
  const y = b.trim();
  if (x.length + y.length === 0) return 1;
  return (2 * lcs(x, y)) / (x.length + y.length);
}

/** CrossCodeEval's exact match: the same non-blank lines, each trimmed. */
export function sameLines(a: string, b: string): boolean {
  const norm = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean).join('\n');
  return norm(a) === norm(b);
}

/** Cleans a recorded reply the way the editor would for this cursor and mode. */
export function cleanRecordedReply(c: Pick<CompletionCase, 'language' | 'prefix' | 'suffix' | 'reply' | 'mode' | 'fimTemplate'>): string {
  const languageId = c.language ?? 'plaintext';
  const lineMode = decideLineMode(c.prefix, c.suffix, languageId);
  const prompt = buildCompletionPrompt(
    { path: 'eval', languageId, prefix: c.prefix, suffix: c.suffix, snippets: [], lineMode },
    { mode: c.mode ?? 'completions', fimTemplate: c.fimTemplate ?? DEFAULT_COMPLETION_SETTINGS.fimTemplate, customFimTemplate: DEFAULT_COMPLETION_SETTINGS.customFimTemplate },
  );
  return cleanCompletion(c.reply, {
    prefix: c.prefix,
    suffix: c.suffix,
    languageId,
    lineMode,
    stop: prompt.stop,
    style: prompt.style,
    indent: guessIndentStyle(c.prefix),
  }).text;
}

function check(c: CompletionCase): CaseResult {
  for (const field of ['prefix', 'suffix', 'reply', 'expected'] as const) {
    if (typeof c[field] !== 'string') return { pass: false, actual: null, detail: `the case has no "${field}" string` };
  }
  const text = cleanRecordedReply(c);
  const similarity = Math.round(lcsSimilarity(text, c.expected) * 10_000) / 10_000;
  const exact = sameLines(text, c.expected);
  const actual = { text, similarity, exact };
  const scores = { similarity, exact: exact ? 1 : 0 };
  if (text === c.expected) return { pass: true, actual, scores };
  return { pass: false, actual, scores, detail: `similarity ${similarity}: expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(text)}` };
}

export const completionEvaluator: Evaluator = {
  evaluate: (testCase) => check(testCase as CompletionCase),
};
