/** Small helpers for benchmarks: timing, median, percentiles. Figures are milliseconds unless named otherwise. */
import { performance } from 'perf_hooks';

export type Figures = Record<string, number | string | boolean>;

/** A named benchmark: returns its figures (registered in cases/index.ts). */
export type Benchmark = () => Figures | Promise<Figures>;

export function timeMs(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Rounds to 3 decimals for readable JSON. */
export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** A deterministic pseudo-random generator (mulberry32), so runs are comparable. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A plausible source file of `lines` lines (functions with bodies, blank lines, braces). */
export function sourceLines(lines: number, seed = 1): string[] {
  const rnd = seeded(seed);
  const out: string[] = [];
  let fn = 0;
  while (out.length < lines) {
    out.push(`export function handler${fn}(input: Input${fn}): Output {`);
    const body = 3 + Math.floor(rnd() * 8);
    for (let i = 0; i < body && out.length < lines; i++) {
      out.push(`  const value${fn}_${i} = compute(input.field${i}, ${Math.floor(rnd() * 1000)});`);
    }
    out.push('  return value;', '}', '');
    fn++;
  }
  return out.slice(0, lines).map((l) => l + '\n');
}

/** Copies `lines` with about one change (edit, insertion or deletion) every `every` lines. */
export function scatterChanges(lines: string[], every: number, seed = 2): string[] {
  const rnd = seeded(seed);
  const out: string[] = [];
  for (const line of lines) {
    if (rnd() < 1 / every) {
      const kind = Math.floor(rnd() * 3);
      if (kind === 0) out.push(line.replace('compute', 'computeFast'));
      else if (kind === 1) out.push('  log("inserted");\n', line);
      // kind 2: deleted
    } else {
      out.push(line);
    }
  }
  return out;
}
