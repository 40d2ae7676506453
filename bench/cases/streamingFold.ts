/**
 * Folding one more streamed line into the live diff of a 1,000-line selection: StreamingDiff.push(line)
 * plus snapshot() (what the editor does per line), over a fenced raw reply with scattered changes
 * (aim: median and p95 < 2 ms).
 */
import { StreamingDiff } from '../../src/core/edit/streamingDiff';
import { Figures, median, percentile, round, scatterChanges, sourceLines, timeMs } from '../util';

export function streamingFold(): Figures {
  const original = sourceLines(1_000, 3);
  const selection = original.join('');
  const reply = ['Here is the updated code:\n', '\n', '```ts\n', ...scatterChanges(original, 40, 4), '```\n'];
  const perLine: number[] = [];
  let hunks = 0;
  for (let round_ = 0; round_ < 5; round_++) {
    const live = new StreamingDiff(selection);
    for (const line of reply) {
      const ms = timeMs(() => {
        live.push(line);
        hunks = live.snapshot().hunks.length;
      });
      if (round_ > 0) perLine.push(ms); // the first pass warms the JIT
    }
  }
  // Worst case for the live view: every line rewritten (one hunk that keeps growing).
  const rewritten = ['```ts\n', ...original.map((l) => l.replace('const', 'let')), '```\n'];
  const rewriteTimes: number[] = [];
  const live = new StreamingDiff(selection);
  for (const line of rewritten) rewriteTimes.push(timeMs(() => (live.push(line), live.snapshot())));
  return {
    fullRewriteMedianMs: round(median(rewriteTimes)),
    fullRewriteP95Ms: round(percentile(rewriteTimes, 95)),
    p99Ms: round(percentile(perLine, 99)),
    selectionLines: original.length, linesFolded: perLine.length, liveHunks: hunks, medianMs: round(median(perLine)), p95Ms: round(percentile(perLine, 95)), maxMs: round(Math.max(...perLine)), aimMs: 2 };
}
