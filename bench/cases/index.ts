/**
 * name → benchmark. Adding one is one line here plus its module in this folder.
 */
import type { Benchmark } from '../util';
import { bundleSize } from './bundle';
import { completionIndex } from './completionIndex';
import { completionLatency } from './completionLatency';
import { completionTyping } from './completionTyping';
import { diffLargeSelection } from './diff';
import { explainStream } from './explainStream';
import { nextEditLatency, nextEditTyping } from './nextEdit';
import { streamingFold } from './streamingFold';
import { tokenCounting } from './tokens';

export const benchmarks: Record<string, Benchmark> = {
  diff10kLines: diffLargeSelection,
  streamingFold1kLines: streamingFold,
  countTokens: tokenCounting,
  bundle: bundleSize,
  completionLatency,
  completionTyping,
  completionIndex,
  explainStream2Mb: explainStream,
  nextEditLatency,
  nextEditTyping,
};
