import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main, runSuite } from '../../eval/run';

const SUITE = path.join(__dirname, '../../../eval/suites/edit.jsonl');

describe('eval: edit suite through the runner', () => {
  it('passes every recorded adversarial reply (diffs, split and nested fences, reasoning, cut-off, noise)', async () => {
    const lines: string[] = [];
    const summary = await runSuite(path.join(__dirname, '../../../eval/suites/edit-adversarial.jsonl'), { print: (l) => lines.push(l) });
    assert.ok(summary.cases >= 45, `${summary.cases} cases`);
    assert.deepStrictEqual(lines, [JSON.stringify({ suite: 'edit-adversarial', cases: summary.cases, passed: summary.cases, rate: 1 })]);
  });

  it('ships at least 45 edit cases and passes them all with the extension code', async () => {
    const lines: string[] = [];
    const summary = await runSuite(SUITE, { print: (l) => lines.push(l) });
    assert.ok(summary.cases >= 45, `${summary.cases} cases`);
    assert.deepStrictEqual(lines, [JSON.stringify({ suite: 'edit', cases: summary.cases, passed: summary.cases, rate: 1 })]);
  });

  describe('runner', () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redline-eval-'))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    function suite(name: string, cases: unknown[]): string {
      const file = path.join(dir, name);
      fs.writeFileSync(file, cases.map((c) => (typeof c === 'string' ? c : JSON.stringify(c))).join('\n') + '\n');
      return file;
    }

    it('prints one line per failing case, then the summary; --out records every case', async () => {
      fs.mkdirSync(path.join(dir, 'replies'));
      fs.writeFileSync(path.join(dir, 'replies', 'r1.txt'), '```\nb()\n```\n');
      const file = suite('mixed.jsonl', [
        { kind: 'edit', id: 'ok', selection: 'a()\n', reply: { $file: 'replies/r1.txt' }, expected: 'b()\n' },
        { kind: 'edit', id: 'wrong', selection: 'a()\n', reply: 'c()\n', expected: 'b()\n' },
        { kind: 'edit', id: 'refuse', selection: 'a()\n', reply: 'a()', expected: null, expectedReason: 'unchanged' },
        { kind: 'telepathy', id: 'unknown' },
        '{not json',
      ]);
      const out = path.join(dir, 'out', 'actual.jsonl');
      const printed: string[] = [];
      assert.strictEqual(await main(['--suite', file, '--out', out], (l) => printed.push(l)), 0);
      assert.strictEqual(printed.length, 4);
      assert.match(printed[0], /^FAIL mixed wrong: line 1: expected "b\(\)", got "c\(\)"$/);
      assert.match(printed[1], /^FAIL mixed unknown: unknown kind "telepathy"/);
      assert.match(printed[2], /^FAIL mixed line 5: error: /);
      assert.deepStrictEqual(JSON.parse(printed[3]), { suite: 'mixed', cases: 5, passed: 2, rate: 0.4 });
      const records = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.deepStrictEqual(records.slice(0, 3), [
        { suite: 'mixed', id: 'ok', pass: true, actual: 'b()\n' },
        { suite: 'mixed', id: 'wrong', pass: false, actual: 'c()\n' },
        { suite: 'mixed', id: 'refuse', pass: true, actual: { refused: 'unchanged' } },
      ]);
    });

    it('fails the run (exit 1) only when it cannot run', async () => {
      const errors: string[] = [];
      assert.strictEqual(await main(['--suite', path.join(dir, 'missing.jsonl')], () => undefined, (l) => errors.push(l)), 1);
      assert.strictEqual(await main(['--bogus'], () => undefined, (l) => errors.push(l)), 1);
      assert.match(errors[0], /no such suite/);
      assert.match(errors[1], /unknown argument --bogus/);
      const failing = suite('bad.jsonl', [{ kind: 'edit', id: 'x', selection: 'a\n', reply: 'b\n', expected: 'c\n' }]);
      assert.strictEqual(await main([`--suite=${failing}`], () => undefined), 0);
    });
  });
});
