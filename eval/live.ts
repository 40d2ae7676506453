/**
 * Live eval: the offline suites' cases sent to a live OpenAI-compatible endpoint. Each case's prompt is
 * built by the product code (buildEditPrompt, buildCompletionPrompt), sent by the product's model
 * client, and the live reply goes through the same extraction/cleaning and scoring as a recorded one.
 *
 *   npm run eval -- --live --base-url URL --model NAME [--mode chat|completions|infill|fim-template]
 *                   [--fim-template NAME] [--suite FILE.jsonl]... [--sample N] [--record FILE]
 *                   [--price-in USD_PER_M --price-out USD_PER_M] [--context-window N] [--api-key-env VAR]
 *
 * Per suite it prints one JSON line: cases, passed, rate, meanSimilarity, ttft p50/p95 (ms), tokens
 * per second, prompt and completion tokens, and the estimated cost when prices are given. `--record`
 * writes the cases with the live replies (and the mode they were asked with), so a live run becomes an
 * offline suite. `--mode` applies to completion cases (edit cases always use the chat endpoint).
 * Suites without a model step (retrieval) are skipped.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { CompletionMode, FimPresetName } from '../src/core/completion/settings';
import { COMPLETION_MODES, DEFAULT_COMPLETION_SETTINGS, FIM_PRESET_NAMES } from '../src/core/completion/settings';
import { buildCompletionPrompt } from '../src/core/completion/prompt';
import { decideLineMode } from '../src/core/completion/position';
import type { Logger } from '../src/core/log';
import { createModelClient } from '../src/core/model/client';
import { type ModelClient, ModelError, type ModelResult } from '../src/core/model/types';
import { buildEditPrompt } from '../src/core/prompt/editPrompt';
import { parseFlags } from './args';
import { editSimilarity } from './kinds/completion';
import { evaluators } from './kinds';
import type { CaseResult, EvalCase } from './types';

export interface LiveArgs {
  baseURL: string;
  model: string;
  mode: CompletionMode;
  fimTemplate: FimPresetName;
  suites: string[];
  sample?: number;
  record?: string;
  priceIn?: number;
  priceOut?: number;
  contextWindow: number;
  apiKey?: string;
  timeoutMs: number;
  deadlineMs: number;
  completionMaxTokens: number;
}

export interface LiveSuiteSummary {
  suite: string;
  mode: string;
  model: string;
  cases: number;
  passed: number;
  rate: number;
  errors: number;
  meanSimilarity: number;
  ttftMsP50: number | null;
  ttftMsP95: number | null;
  tokensPerSecond: number | null;
  promptTokens: number;
  completionTokens: number;
  usageEstimated: boolean;
  costUsd?: number;
}

const SUITES_DIR = path.resolve(__dirname, '../../eval/suites');
/** Kinds whose cases ask a model; others (retrieval) have nothing to ask. */
const LIVE_KINDS = new Set(['edit', 'completion']);

export function parseLiveArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): LiveArgs {
  const args: Partial<LiveArgs> & { suites: string[] } = { suites: [], mode: 'chat', fimTemplate: DEFAULT_COMPLETION_SETTINGS.fimTemplate };
  let apiKeyEnv = 'OPENAI_API_KEY';
  parseFlags(argv, (flag, value) => {
    switch (flag) {
      case '--live':
        break;
      case '--base-url':
        args.baseURL = value.string();
        break;
      case '--model':
        args.model = value.string();
        break;
      case '--mode': {
        const m = value.string();
        if (!(COMPLETION_MODES as readonly string[]).includes(m)) throw new Error(`--mode must be one of ${COMPLETION_MODES.join(', ')}`);
        args.mode = m as CompletionMode;
        break;
      }
      case '--fim-template': {
        const t = value.string();
        if (!(FIM_PRESET_NAMES as readonly string[]).includes(t) || t === 'custom') throw new Error(`--fim-template must be a preset: ${FIM_PRESET_NAMES.filter((n) => n !== 'custom').join(', ')}`);
        args.fimTemplate = t as FimPresetName;
        break;
      }
      case '--suite':
        args.suites.push(value.string());
        break;
      case '--sample':
        args.sample = Math.floor(value.number());
        break;
      case '--record':
        args.record = value.string();
        break;
      case '--price-in':
        args.priceIn = value.number();
        break;
      case '--price-out':
        args.priceOut = value.number();
        break;
      case '--context-window':
        args.contextWindow = Math.floor(value.number());
        break;
      case '--timeout-seconds':
        args.timeoutMs = value.number() * 1000;
        break;
      case '--completion-max-tokens':
        args.completionMaxTokens = Math.floor(value.number());
        break;
      case '--api-key-env':
        apiKeyEnv = value.string();
        break;
      default:
        return false;
    }
    return true;
  });
  if (!args.baseURL) throw new Error('--live needs --base-url URL');
  if (!args.model) throw new Error('--live needs --model NAME');
  return {
    baseURL: args.baseURL,
    model: args.model,
    mode: args.mode ?? 'chat',
    fimTemplate: args.fimTemplate ?? DEFAULT_COMPLETION_SETTINGS.fimTemplate,
    suites: args.suites,
    sample: args.sample,
    record: args.record,
    priceIn: args.priceIn,
    priceOut: args.priceOut,
    contextWindow: args.contextWindow ?? 4096,
    apiKey: env[apiKeyEnv] || undefined,
    timeoutMs: args.timeoutMs ?? 120_000,
    deadlineMs: Math.max(args.timeoutMs ?? 120_000, 300_000),
    completionMaxTokens: args.completionMaxTokens ?? DEFAULT_COMPLETION_SETTINGS.maxTokens,
  };
}

/** Nearest-rank percentile of a list of numbers (null for none). */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

interface Asked {
  /** The case with `reply` set to the live reply (and the mode it was asked with). */
  liveCase: EvalCase;
  result: ModelResult;
}

function str(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** Sends one case's prompt, built by the product code, and returns the case carrying the live reply. */
export async function askLive(client: ModelClient, c: EvalCase, args: Pick<LiveArgs, 'model' | 'mode' | 'fimTemplate' | 'contextWindow' | 'completionMaxTokens'>): Promise<Asked> {
  if (c.kind === 'edit') {
    const prompt = buildEditPrompt({
      instruction: str(c.instruction, 'Improve this code'),
      languageId: str(c.language, 'plaintext'),
      filePath: str(c.path, `eval/${c.id}`),
      before: str(c.before, ''),
      selection: str(c.selection, ''),
      after: str(c.after, ''),
      diagnostics: [],
      contextWindowTokens: args.contextWindow,
    });
    if (!prompt.ok) throw new Error(prompt.message);
    const result = await client.streamChat({ feature: 'eval-edit', model: args.model, messages: prompt.messages, temperature: 0.1, maxTokens: prompt.maxTokens }).result;
    return { liveCase: { ...c, reply: result.text }, result };
  }
  if (c.kind === 'completion') {
    const prefix = str(c.prefix, '');
    const suffix = str(c.suffix, '');
    const languageId = str(c.language, 'plaintext');
    const lineMode = decideLineMode(prefix, suffix, languageId);
    const built = buildCompletionPrompt(
      { path: str(c.path, 'eval'), languageId, prefix, suffix, snippets: [], lineMode },
      { mode: args.mode, fimTemplate: args.fimTemplate, customFimTemplate: DEFAULT_COMPLETION_SETTINGS.customFimTemplate },
    );
    const base = { feature: 'eval-completion', model: args.model, maxTokens: args.completionMaxTokens, temperature: 0.1, stop: built.stop.slice(0, 4) };
    const stream =
      built.endpoint === 'chat'
        ? client.streamChat({ ...base, messages: built.messages })
        : built.endpoint === 'infill'
          ? client.streamInfill({ ...base, prefix: built.prefix, suffix: built.suffix, extra: built.extra })
          : client.streamCompletion({ ...base, prompt: built.prompt, ...(built.suffix !== undefined && { suffix: built.suffix }) });
    const result = await stream.result;
    return { liveCase: { ...c, reply: result.text, mode: args.mode, ...(args.mode === 'fim-template' && { fimTemplate: args.fimTemplate }) }, result };
  }
  throw new Error(`kind ${c.kind} has no live step`);
}

/** How close the product's output is to `expected` (1 for a refusal expected and given). */
function similarityOf(c: EvalCase, r: CaseResult): number {
  const expected = c.expected;
  const actual = r.actual;
  const text = typeof actual === 'string' ? actual : actual && typeof actual === 'object' && typeof (actual as { text?: unknown }).text === 'string' ? (actual as { text: string }).text : undefined;
  if (expected === null) return r.pass ? 1 : 0;
  if (typeof expected !== 'string' || text === undefined) return 0;
  return editSimilarity(text, expected);
}

function readCases(file: string, sample?: number): EvalCase[] {
  const cases = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as EvalCase)
    .filter((c) => LIVE_KINDS.has(c.kind));
  return sample === undefined ? cases : cases.slice(0, sample);
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function runLive(
  args: LiveArgs,
  print: (line: string) => void,
  options: { client?: ModelClient; logger?: Logger } = {},
): Promise<LiveSuiteSummary[]> {
  const logger: Logger = options.logger ?? { trace() {}, debug() {}, info() {}, warn: (m) => print(`# ${m}`), error: (m) => print(`# ${String(m)}`) };
  const client =
    options.client ??
    createModelClient({ baseURL: args.baseURL, apiKey: args.apiKey, headers: {}, timeoutMs: args.timeoutMs, deadlineMs: args.deadlineMs, maxRetries: 2 }, { logger });
  const suites = args.suites.length
    ? args.suites
    : fs.readdirSync(SUITES_DIR).filter((f) => f.endsWith('.jsonl')).sort().map((f) => path.join(SUITES_DIR, f));
  const recorded: string[] = [];
  const summaries: LiveSuiteSummary[] = [];
  for (const file of suites) {
    const cases = readCases(file, args.sample);
    if (cases.length === 0) continue;
    const suite = path.basename(file).replace(/\.jsonl$/, '');
    let passed = 0;
    let errors = 0;
    const similarities: number[] = [];
    const ttfts: number[] = [];
    let promptTokens = 0;
    let completionTokens = 0;
    let generationMs = 0;
    let generatedTokens = 0;
    let estimated = false;
    for (const c of cases) {
      let asked: Asked;
      try {
        asked = await askLive(client, c, args);
      } catch (err) {
        errors++;
        similarities.push(0);
        print(`ERROR ${suite} ${c.id}: ${err instanceof ModelError ? err.userMessage : err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      const { liveCase, result } = asked;
      const evaluator = evaluators[c.kind];
      const scored = await evaluator.evaluate(liveCase, { suiteDir: path.dirname(path.resolve(file)), suiteName: suite });
      if (scored.pass) passed++;
      else print(`FAIL ${suite} ${c.id}: ${scored.detail ?? 'failed'}`);
      similarities.push(similarityOf(c, scored));
      if (result.timeToFirstTokenMs !== undefined) {
        ttfts.push(result.timeToFirstTokenMs);
        const genMs = result.totalMs - result.timeToFirstTokenMs;
        if (genMs > 0 && result.usage.completionTokens > 1) {
          generationMs += genMs;
          generatedTokens += result.usage.completionTokens - 1;
        }
      }
      promptTokens += result.usage.promptTokens;
      completionTokens += result.usage.completionTokens;
      estimated ||= result.usage.estimated;
      recorded.push(JSON.stringify({ ...liveCase, recorded: { model: args.model, mode: c.kind === 'edit' ? 'chat' : args.mode, pass: scored.pass } }));
    }
    const summary: LiveSuiteSummary = {
      suite,
      mode: cases.every((c) => c.kind === 'edit') ? 'chat' : args.mode,
      model: args.model,
      cases: cases.length,
      passed,
      rate: round(passed / cases.length, 4),
      errors,
      meanSimilarity: round(similarities.reduce((a, b) => a + b, 0) / Math.max(1, similarities.length)),
      ttftMsP50: percentile(ttfts, 50),
      ttftMsP95: percentile(ttfts, 95),
      tokensPerSecond: generationMs > 0 ? round(generatedTokens / (generationMs / 1000), 1) : null,
      promptTokens,
      completionTokens,
      usageEstimated: estimated,
      ...(args.priceIn !== undefined || args.priceOut !== undefined
        ? { costUsd: round((promptTokens * (args.priceIn ?? 0) + completionTokens * (args.priceOut ?? 0)) / 1e6, 6) }
        : {}),
    };
    summaries.push(summary);
    print(JSON.stringify(summary));
  }
  if (args.record) {
    fs.mkdirSync(path.dirname(path.resolve(args.record)), { recursive: true });
    fs.writeFileSync(args.record, recorded.join('\n') + (recorded.length ? '\n' : ''));
  }
  return summaries;
}

/** `npm run eval -- --live …`: exit code 0 when the run completed (whatever the scores), 1 when it could not. */
export async function liveMain(argv: string[], print: (line: string) => void, error: (line: string) => void): Promise<number> {
  let args: LiveArgs;
  try {
    args = parseLiveArgs(argv);
  } catch (err) {
    error(`eval --live: ${(err as Error).message}`);
    return 1;
  }
  const missing = args.suites.filter((s) => !fs.existsSync(s));
  if (missing.length) {
    error(`eval --live: no such suite: ${missing.join(', ')}`);
    return 1;
  }
  const summaries = await runLive(args, print);
  // Every case failing to get an answer means the endpoint did not work: that is a failed run.
  return summaries.length > 0 && summaries.every((s) => s.errors === s.cases) ? 1 : 0;
}
