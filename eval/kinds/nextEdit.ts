/**
 * "next-edit" cases: a recorded raw model reply to a next-edit request, run through the code the
 * extension runs: the region is selected around the cursor as in the editor, the reply parsed and
 * checked (markers, no-op, undoing the user's recent edit) and diffed to hunks, and every hunk
 * applied. Scored by exact match of the resulting text with `expected.after`, and by changed-line
 * precision and recall (the lines the proposal removes and adds against those the expected text does).
 *
 * {"kind":"next-edit","id","language","path","history":[{"path","diff"}],"text",
 *  "cursor":{"line","character"},"reply","expected":{"after"}}
 * A reply that must be dropped has `expected.after` equal to `text`.
 */
import { type HistoryEntry, parseUnifiedDiff, toLines } from '../../src/core/nextEdit/history';
import { selectRegion } from '../../src/core/nextEdit/region';
import { applyLineHunks, lineHunks, proposalFromReply } from '../../src/core/nextEdit/reply';
import type { CaseResult, EvalCase, Evaluator } from '../types';

interface NextEditCase extends EvalCase {
  language?: string;
  path: string;
  history: { path: string; diff: string }[];
  text: string;
  cursor: { line: number; character: number };
  reply: string;
  expected: { after: string };
}

/**
 * The changed lines of `before` → `after`: removed lines by index, added lines by what they say and the
 * old line they stand in for (paired in order within a hunk; the rest at the hunk's end).
 */
export function changedLines(before: readonly string[], after: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const h of lineHunks(before, after, 0)) {
    h.oldLines.forEach((_, i) => out.add(`-${h.start + i}`));
    h.newLines.forEach((line, i) => {
      const anchor = h.start + Math.min(i, h.oldLines.length);
      let key = `+${anchor}:${line}`;
      for (let n = 1; out.has(key); n++) key = `+${anchor}:${line}#${n}`;
      out.add(key);
    });
  }
  return out;
}

/** Precision and recall of predicted changes against expected ones (1 when there is nothing to count). */
export function precisionRecall(predicted: Set<string>, expected: Set<string>): { precision: number; recall: number } {
  let hit = 0;
  for (const p of predicted) if (expected.has(p)) hit++;
  return { precision: predicted.size === 0 ? 1 : hit / predicted.size, recall: expected.size === 0 ? 1 : hit / expected.size };
}

function check(c: NextEditCase): CaseResult {
  if (typeof c.text !== 'string' || typeof c.reply !== 'string' || typeof c.expected?.after !== 'string' || !c.cursor) {
    return { pass: false, actual: null, detail: 'the case needs "text", "cursor", "reply" and "expected.after"' };
  }
  const lines = toLines(c.text);
  // The history, newest first, as the editor keeps it for this document.
  const recent: HistoryEntry[] = [];
  for (const h of c.history ?? []) {
    if (h.path !== c.path) continue;
    for (const change of parseUnifiedDiff(h.diff)) recent.unshift({ ...change, path: h.path, time: 0 });
  }
  const region = selectRegion(lines, c.cursor.line);
  const result = proposalFromReply(c.reply, lines, region, recent);
  const afterLines = result.ok ? applyLineHunks(lines, result.proposal.hunks) : lines;
  const after = afterLines.join('\n');
  const { precision, recall } = precisionRecall(changedLines(lines, afterLines), changedLines(lines, toLines(c.expected.after)));
  const actual = { after, dropped: result.ok ? undefined : result.reason, hunks: result.ok ? result.proposal.hunks.length : 0, precision, recall };
  const scores = { precision, recall };
  if (after === c.expected.after) return { pass: true, actual, scores };
  return {
    pass: false,
    actual,
    scores,
    detail: `${result.ok ? `${result.proposal.hunks.length} hunk(s)` : `dropped (${result.reason})`}, precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)}`,
  };
}

export const nextEditEvaluator: Evaluator = {
  evaluate: (testCase) => check(testCase as NextEditCase),
};
