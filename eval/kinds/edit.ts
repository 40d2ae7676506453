/**
 * "edit" cases: a recorded raw model reply to an Edit Selection request, run through decideEdit (the
 * decision the extension makes on a finished reply: extractRewrite plus how the stream ended).
 * `expected: null` means the reply must be refused (empty, no code, no change, cut off, noise…).
 *
 * {"kind":"edit","id","language","before","selection","after","instruction","reply","expected"}
 * Optional: "expectedReason" (with expected null), "eol" ("\n" | "\r\n", the document's line ending),
 * "finishReason" (default "stop"; null: the stream closed without one), "reasoning" (reasoning sent apart
 * from the content, as `reasoning_content`), "completionTokens".
 */
import { decideEdit } from '../../src/core/edit/outcome';
import type { CaseResult, EvalCase, Evaluator } from '../types';

interface EditCase extends EvalCase {
  language?: string;
  before?: string;
  selection: string;
  after?: string;
  instruction?: string;
  reply: string;
  expected: string | null;
  /** Optional, with expected null: the refusal reason it must be ("empty" | "noCode" | "unchanged"). */
  expectedReason?: string;
  eol?: '\n' | '\r\n';
  finishReason?: string | null;
  reasoning?: string;
  completionTokens?: number;
}

function check(c: EditCase): CaseResult {
  for (const field of ['selection', 'reply'] as const) {
    if (typeof c[field] !== 'string') return { pass: false, actual: null, detail: `the case has no "${field}" string` };
  }
  if (c.expected !== null && typeof c.expected !== 'string') {
    return { pass: false, actual: null, detail: 'the case has no "expected" (a string, or null for a refusal)' };
  }
  const verdict = decideEdit(
    { text: c.reply, reasoning: c.reasoning, finishReason: 'finishReason' in c ? (c.finishReason ?? null) : 'stop', completionTokens: c.completionTokens },
    { selection: c.selection, languageId: c.language, before: c.before, after: c.after, eol: c.eol },
  );
  const result = verdict.kind === 'proposal' ? { ok: true as const, text: verdict.text } : { ok: false as const, reason: verdict.reason };
  const actual = result.ok ? result.text : { refused: result.reason };
  if (c.expected === null) {
    if (result.ok) return { pass: false, actual, detail: `expected a refusal, got ${JSON.stringify(abbreviate(result.text))}` };
    if (c.expectedReason && c.expectedReason !== result.reason) {
      return { pass: false, actual, detail: `refused as ${result.reason}, expected ${c.expectedReason}` };
    }
    return { pass: true, actual };
  }
  if (!result.ok) return { pass: false, actual, detail: `refused (${result.reason}) a reply that should give the rewrite` };
  if (result.text === c.expected) return { pass: true, actual };
  return { pass: false, actual, detail: firstDifference(c.expected, result.text) };
}

function firstDifference(expected: string, actual: string): string {
  const e = expected.split('\n');
  const a = actual.split('\n');
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    if (e[i] !== a[i]) return `line ${i + 1}: expected ${JSON.stringify(e[i] ?? '<end>')}, got ${JSON.stringify(a[i] ?? '<end>')}`;
  }
  return 'texts differ';
}

function abbreviate(text: string): string {
  return text.length > 80 ? text.slice(0, 77) + '...' : text;
}

export const editEvaluator: Evaluator = {
  evaluate: (testCase) => check(testCase as EditCase),
};
