import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CaseRecord, runSuite } from '../../eval/run';

/**
 * Replies of the real small model (Qwen2.5-Coder 0.5B Instruct on llama-server), recorded by
 * `npm run eval:live-ci -- --record-dir eval/suites/live-qwen2.5-coder-0.5b`: raw replies a real model
 * wrote, replayed offline through the same extraction and cleaning. A case the live run passed must
 * still pass (a regression otherwise); one it failed may start passing when the product improves.
 */
const DIR = path.join(__dirname, '../../../eval/suites/live-qwen2.5-coder-0.5b');

interface Recorded {
  id: string;
  reply: string;
  recorded: { model: string; mode: string; pass: boolean };
}

describe('eval: replies recorded from the real small model', () => {
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.jsonl')).sort();

  it('has the edit (chat) and completion (infill, fim-template) recordings', () => {
    assert.deepEqual(files, ['completion-fim-template.jsonl', 'completion-infill.jsonl', 'edit-chat.jsonl']);
  });

  for (const file of files) {
    it(`${file}: every case the live run passed passes offline`, async () => {
      const cases = fs.readFileSync(path.join(DIR, file), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Recorded);
      assert.ok(cases.length > 0);
      const records: CaseRecord[] = [];
      await runSuite(path.join(DIR, file), { print: () => undefined, record: (r) => records.push(r) });
      assert.deepEqual(records.map((r) => r.id), cases.map((c) => c.id));
      const regressed = cases.filter((c, i) => c.recorded.pass && !records[i].pass).map((c) => c.id);
      assert.deepEqual(regressed, [], 'cases the live run passed');
      for (const c of cases) assert.equal(c.recorded.model, 'qwen2.5-coder-0.5b-instruct');
    });
  }
});
