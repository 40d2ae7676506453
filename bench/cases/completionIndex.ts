/**
 * The background workspace index: time to build it for 2,000 files (batches yielding to the event
 * loop, as in the extension), the memory it holds, the longest the event loop was blocked while it
 * built, and query time once built.
 */
import * as v8 from 'v8';
import * as vm from 'vm';
import { WorkspaceIndex } from '../../src/core/context/workspaceIndex';
import { DEFAULT_EXCLUDE } from '../../src/core/config';
import { type Figures, percentile, round } from '../util';
import { syntheticWorkspace } from './completionWorkspace';

function gcFunction(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose_gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

export async function completionIndex(): Promise<Figures> {
  const gc = gcFunction();
  const files = syntheticWorkspace(2000);
  const byPath = new Map(files.map((f) => [f.path, f.text]));
  const sourceMB = files.reduce((s, f) => s + f.text.length, 0) / 1e6;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;

  // The longest stretch the event loop could not run anything else while the index was being built.
  let longestBlockMs = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longestBlockMs = Math.max(longestBlockMs, now - last - 1);
    last = now;
  }, 1);
  const index = new WorkspaceIndex({ listFiles: async () => [...byPath.keys()], readFile: async (p) => byPath.get(p), exclude: () => DEFAULT_EXCLUDE });
  const started = performance.now();
  await index.start();
  const buildMs = performance.now() - started;
  clearInterval(ticker);

  gc?.();
  const heapMB = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
  const stats = index.stats();
  const queries: number[] = [];
  for (let i = 0; i < 200; i++) {
    const f = files[(i * 97) % files.length].text;
    const at = (i * 7919) % Math.max(1, f.length - 600);
    const q = f.slice(at, at + 600);
    const t = performance.now();
    index.search(q, { k: 3 });
    queries.push(performance.now() - t);
  }
  // one file changing, as on save
  const t = performance.now();
  index.upsert(files[0].path, files[0].text + '\nexport const added = 1;\n');
  const updateMs = performance.now() - t;
  return {
    files: stats.files,
    windows: stats.windows,
    terms: stats.terms,
    sourceMB: round(sourceMB),
    buildMs: Math.round(buildMs),
    longestEventLoopBlockMs: round(longestBlockMs),
    heapMB: round(heapMB),
    heldFileTextMB: round(stats.textChars / 1e6),
    gcMeasured: gc !== undefined,
    queryP50Ms: round(percentile(queries, 50)),
    queryP95Ms: round(percentile(queries, 95)),
    updateOneFileMs: round(updateMs),
  };
}
