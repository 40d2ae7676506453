/** diffHunks on a 10,000-line selection with scattered changes (aim: median < 50 ms). */
import { diffHunks } from '../../src/core/edit/diff';
import { Figures, median, round, scatterChanges, sourceLines, timeMs } from '../util';

export function diffLargeSelection(): Figures {
  const original = sourceLines(10_000);
  const proposal = scatterChanges(original, 100);
  const a = original.join('');
  const b = proposal.join('');
  let hunks = 0;
  diffHunks(a, b); // warm-up
  const runs = Array.from({ length: 9 }, () => timeMs(() => (hunks = diffHunks(a, b).length)));
  return { lines: original.length, hunks, medianMs: round(median(runs)), maxMs: round(Math.max(...runs)), aimMs: 50 };
}
