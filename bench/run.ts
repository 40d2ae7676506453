/**
 * npm run bench [-- --only NAME[,NAME]]: runs the benchmarks of cases/index.ts in turn and prints ONE
 * JSON object, { name: figures }. A benchmark that throws reports { error } and makes the exit code 1.
 */
import { benchmarks } from './cases';
import type { Figures } from './util';

export async function runBenchmarks(only?: string[]): Promise<{ results: Record<string, Figures | { error: string }>; failed: boolean }> {
  const results: Record<string, Figures | { error: string }> = {};
  let failed = false;
  for (const [name, bench] of Object.entries(benchmarks)) {
    if (only && !only.includes(name)) continue;
    try {
      results[name] = await bench();
    } catch (err) {
      failed = true;
      results[name] = { error: err instanceof Error ? err.message : String(err) };
    }
  }
  return { results, failed };
}

if (require.main === module) {
  const at = process.argv.indexOf('--only');
  const only = at >= 0 ? process.argv[at + 1]?.split(',') : undefined;
  runBenchmarks(only).then(
    ({ results, failed }) => {
      console.log(JSON.stringify(results));
      process.exitCode = failed ? 1 : 0;
    },
    (err) => {
      console.error('bench: runner failed:', err);
      process.exitCode = 1;
    },
  );
}
