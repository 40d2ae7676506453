import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { changedLines, nextEditEvaluator, precisionRecall } from '../../eval/kinds/nextEdit';
import { type CaseRecord, runSuite } from '../../eval/run';
import type { EvalCase } from '../../eval/types';

const SUITE = path.join(__dirname, '../../../eval/suites/next-edit.jsonl');

describe('eval: next-edit suite through the runner', () => {
  it('ships at least 40 cases; only the imperfect replies miss, and the means are reported', async () => {
    const printed: string[] = [];
    const records: CaseRecord[] = [];
    const summary = await runSuite(SUITE, { print: (l) => printed.push(l), record: (r) => records.push(r) });
    assert.ok(summary.cases >= 40, `${summary.cases} cases`);
    const failed = records.filter((r) => !r.pass).map((r) => r.id);
    assert.deepEqual(failed, records.filter((r) => r.id.startsWith('imperfect-')).map((r) => r.id));
    assert.ok(failed.length >= 3);
    assert.ok(summary.means && summary.means.precision < 1 && summary.means.recall < 1 && summary.means.precision > 0.8);
    assert.equal(printed.at(-1), JSON.stringify(summary));
  });

  it('covers the edit sequences and reply shapes the issue names', () => {
    const cases = fs.readFileSync(SUITE, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as EvalCase & { reply: string; text: string; expected: { after: string } });
    for (const word of ['rename', 'added-param', 'repeat', 'import', 'missing-markers', 'noop', 'undo-the-user', 'prose', 'fenced', 'zeta']) {
      assert.ok(cases.some((c) => c.id.includes(word)), `no case about ${word}`);
    }
    // Dropped replies leave the text as it is.
    for (const c of cases.filter((c) => /noop|undo-the-user|missing/.test(c.id))) assert.equal(c.expected.after, c.text, c.id);
  });

  it('scores a dropped reply and a partial one', async () => {
    const base = { kind: 'next-edit', language: 'typescript', path: 'a.ts', history: [], cursor: { line: 0, character: 0 } };
    const text = 'let a = 1;\nf(a);\ng(a);';
    const dropped = await nextEditEvaluator.evaluate({ ...base, id: 'd', text, reply: 'no markers', expected: { after: text } }, { suiteDir: '', suiteName: '' });
    assert.equal(dropped.pass, true);
    assert.deepEqual(dropped.scores, { precision: 1, recall: 1 });
    const partial = await nextEditEvaluator.evaluate(
      { ...base, id: 'p', text, reply: '<|editable_region_start|>\nlet b = 1;\nf(b);\ng(a);\n<|editable_region_end|>', expected: { after: 'let b = 1;\nf(b);\ng(b);' } },
      { suiteDir: '', suiteName: '' },
    );
    assert.equal(partial.pass, false);
    assert.deepEqual(partial.scores, { precision: 1, recall: 4 / 6 });
  });

  it('precision and recall count the changed lines', () => {
    const before = ['a', 'b', 'c'];
    const gold = changedLines(before, ['A', 'b', 'C']);
    assert.deepEqual(precisionRecall(changedLines(before, ['A', 'b', 'c']), gold), { precision: 1, recall: 0.5 });
    assert.deepEqual(precisionRecall(changedLines(before, ['A', 'B', 'C']), gold), { precision: 4 / 6, recall: 1 });
    assert.deepEqual(precisionRecall(new Set(), new Set()), { precision: 1, recall: 1 });
  });
});
