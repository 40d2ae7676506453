/**
 * Offline eval: replays recorded suites through the product code.
 *
 *   npm run eval -- [--suite FILE.jsonl]... [--out FILE]
 *   npm run eval -- --live --base-url URL --model NAME [...]   (a live endpoint: see eval/live.ts)
 *
 * With no --suite, every eval/suites/*.jsonl runs. Each line of a suite is one case, dispatched on its
 * `kind` through kinds/index.ts. A field written as {"$file": "path"} is replaced by that file's text,
 * the path taken relative to the suite's folder. For each suite: one line per failing case, then one JSON
 * line {"suite","cases","passed","rate"}. --out writes one JSON line per case: suite, id, pass, actual.
 * Exit code: 0 when the runner ran (whatever the scores), 1 when it could not (bad arguments, missing file).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseFlags } from './args';
import { evaluators } from './kinds';
import type { CaseResult, EvalCase, EvalContext, Evaluator } from './types';

export interface SuiteSummary {
  suite: string;
  cases: number;
  passed: number;
  rate: number;
  /** Means of the cases' graded scores, when the kind reports any. */
  means?: Record<string, number>;
}

export interface CaseRecord {
  suite: string;
  id: string;
  pass: boolean;
  actual: unknown;
}

export interface RunOptions {
  /** Receives the human lines (failures and the summary JSON line). */
  print: (line: string) => void;
  /** Receives each case's record (for --out). */
  record?: (record: CaseRecord) => void;
  registry?: Record<string, Evaluator>;
}

export const DEFAULT_SUITES_DIR = path.resolve(__dirname, '../../eval/suites');

/** Replaces {"$file": "relative/path"} values (at any depth) with the file's text. */
export function resolveFileRefs(value: unknown, suiteDir: string): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveFileRefs(v, suiteDir));
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && keys[0] === '$file' && typeof obj.$file === 'string') {
      return fs.readFileSync(path.resolve(suiteDir, obj.$file), 'utf8');
    }
    return Object.fromEntries(keys.map((k) => [k, resolveFileRefs(obj[k], suiteDir)]));
  }
  return value;
}

export async function runSuite(file: string, options: RunOptions): Promise<SuiteSummary> {
  const registry = options.registry ?? evaluators;
  const suiteFile = path.resolve(file);
  const context: EvalContext = { suiteDir: path.dirname(suiteFile), suiteName: path.basename(suiteFile).replace(/\.jsonl$/, '') };
  const lines = fs.readFileSync(suiteFile, 'utf8').split('\n');
  let cases = 0;
  let passed = 0;
  const sums: Record<string, { total: number; count: number }> = {};
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    cases++;
    let id = `line ${i + 1}`;
    let result: CaseResult;
    try {
      const parsed = JSON.parse(lines[i]) as EvalCase;
      id = typeof parsed.id === 'string' ? parsed.id : id;
      const evaluator = registry[parsed.kind];
      if (!evaluator) {
        result = { pass: false, actual: null, detail: `unknown kind ${JSON.stringify(parsed.kind)} (known: ${Object.keys(registry).join(', ')})` };
      } else {
        result = await evaluator.evaluate(resolveFileRefs(parsed, context.suiteDir) as EvalCase, context);
      }
    } catch (err) {
      result = { pass: false, actual: null, detail: `error: ${err instanceof Error ? err.message : String(err)}` };
    }
    for (const [name, value] of Object.entries(result.scores ?? {})) {
      sums[name] ??= { total: 0, count: 0 };
      sums[name].total += value;
      sums[name].count++;
    }
    if (result.pass) passed++;
    else options.print(`FAIL ${context.suiteName} ${id}: ${result.detail ?? 'failed'}`);
    options.record?.({ suite: context.suiteName, id, pass: result.pass, actual: result.actual });
  }
  const summary: SuiteSummary = { suite: context.suiteName, cases, passed, rate: cases === 0 ? 0 : Math.round((passed / cases) * 10_000) / 10_000 };
  if (Object.keys(sums).length > 0) {
    summary.means = Object.fromEntries(Object.entries(sums).map(([name, s]) => [name, Math.round((s.total / s.count) * 10_000) / 10_000]));
  }
  options.print(JSON.stringify(summary));
  return summary;
}

interface Args {
  suites: string[];
  out?: string;
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { suites: [] };
  parseFlags(
    argv,
    (flag, value) => {
      if (flag === '--suite') args.suites.push(value.string());
      else if (flag === '--out') args.out = value.string();
      else return false;
      return true;
    },
    '--suite FILE.jsonl [--out FILE]',
  );
  return args;
}

export async function main(
  argv: string[],
  print: (line: string) => void = (l) => console.log(l),
  error: (line: string) => void = (l) => console.error(l),
): Promise<number> {
  // Live endpoints: eval/live.ts.
  if (argv.includes('--live')) return (await import('./live')).liveMain(argv, print, error);
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    error(`eval: ${(err as Error).message}`);
    return 1;
  }
  const suites = args.suites.length
    ? args.suites
    : fs.existsSync(DEFAULT_SUITES_DIR)
      ? fs.readdirSync(DEFAULT_SUITES_DIR).filter((f) => f.endsWith('.jsonl')).sort().map((f) => path.join(DEFAULT_SUITES_DIR, f))
      : [];
  if (suites.length === 0) {
    error(`eval: no suites (none given, none in ${DEFAULT_SUITES_DIR})`);
    return 1;
  }
  const missing = suites.filter((s) => !fs.existsSync(s));
  if (missing.length) {
    error(`eval: no such suite: ${missing.join(', ')}`);
    return 1;
  }
  const records: string[] = [];
  for (const suite of suites) {
    await runSuite(suite, { print, record: args.out ? (r) => records.push(JSON.stringify(r)) : undefined });
  }
  if (args.out) {
    fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
    fs.writeFileSync(args.out, records.join('\n') + (records.length ? '\n' : ''));
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
      console.error('eval: runner failed:', err);
      process.exitCode = 1;
    },
  );
}
