/**
 * countTokens: loading the encoder, cold throughput on text never seen, and re-counting a 32 KB prompt
 * after a one-line edit (what budgeting on every keystroke costs).
 */
import { countTokens, defaultRanksLoader, setRanksLoader, tokenizerStatus } from '../../src/core/prompt/tokens';
import { Figures, median, round, sourceLines, timeMs } from '../util';

export function tokenCounting(): Figures {
  setRanksLoader(defaultRanksLoader);
  const loadMs = timeMs(() => countTokens('warm up'));
  const status = tokenizerStatus();

  const cold = sourceLines(6_000, 7).join(''); // fresh text: nothing cached
  let tokens = 0;
  const coldMs = timeMs(() => (tokens = countTokens(cold)));

  const prompt = sourceLines(900, 11).join('').slice(0, 32 * 1024);
  countTokens(prompt);
  const edits: number[] = [];
  for (let i = 0; i < 50; i++) {
    const edited = prompt.replace('compute(', `compute${i}(`);
    edits.push(timeMs(() => countTokens(edited)));
  }
  return {
    status,
    loadMs: round(loadMs),
    coldMBPerSec: round(cold.length / 1e6 / (coldMs / 1000)),
    coldTokensPerSec: Math.round(tokens / (coldMs / 1000)),
    prompt32KBAfterOneLineEditMedianMs: round(median(edits)),
  };
}
