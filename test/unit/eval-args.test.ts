import * as assert from 'node:assert/strict';
import { parseFlags } from '../../eval/args';
import { parseLiveArgs } from '../../eval/live';
import { parseArgs } from '../../eval/run';

/** The eval runners' shared flag parsing (eval/args.ts). */
describe('eval command-line flags', () => {
  function collect(argv: string[], known: string[]): Array<[string, string]> {
    const seen: Array<[string, string]> = [];
    parseFlags(argv, (flag, value) => {
      if (!known.includes(flag)) return false;
      seen.push([flag, flag === '--n' ? String(value.number()) : flag === '--on' ? '' : value.string()]);
      return true;
    }, '--a X --n N --on');
    return seen;
  }

  it('takes values after the flag or after =, in order', () => {
    assert.deepEqual(collect(['--a', 'x', '--on', '--n=3', '--a=y=z'], ['--a', '--n', '--on']), [['--a', 'x'], ['--on', ''], ['--n', '3'], ['--a', 'y=z']]);
  });

  it('names a missing value, a bad number and an unknown flag', () => {
    assert.throws(() => collect(['--a'], ['--a']), /^Error: --a needs a value$/);
    assert.throws(() => collect(['--n', 'many'], ['--n']), /^Error: --n needs a number$/);
    assert.throws(() => collect(['--n=-1'], ['--n']), /^Error: --n needs a number$/);
    assert.throws(() => collect(['--b', '1'], ['--a']), /^Error: unknown argument --b \(usage: --a X --n N --on\)$/);
  });

  it('drives both runners', () => {
    assert.deepEqual(parseArgs(['--suite', 'a.jsonl', '--suite=b.jsonl', '--out', 'o.jsonl']), { suites: ['a.jsonl', 'b.jsonl'], out: 'o.jsonl' });
    assert.throws(() => parseArgs(['--live-ish']), /unknown argument --live-ish \(usage: --suite FILE.jsonl \[--out FILE\]\)/);
    const live = parseLiveArgs(['--live', '--base-url=http://h/v1', '--model', 'm', '--sample', '2.7', '--timeout-seconds', '3', '--mode', 'fim-template'], {});
    assert.equal(live.baseURL, 'http://h/v1');
    assert.equal(live.sample, 2);
    assert.equal(live.timeoutMs, 3000);
    assert.equal(live.mode, 'fim-template');
    assert.throws(() => parseLiveArgs(['--live', '--base-url', 'u', '--model', 'm', '--bogus'], {}), /unknown argument --bogus/);
  });
});
