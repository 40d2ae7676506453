/**
 * Builds the context sent with a completion: the windows around the cursor plus snippets from several
 * sources (definitions, recent edits, open editors, the workspace index), each source under its own
 * time limit. Excluded files never contribute; secrets in everything sent are redacted; the parts are
 * fitted to the token budget by priority, without duplicates, in a stable order.
 */
import type { Logger } from '../log';
import { countTokens } from '../prompt/tokens';
import { isExcludedPath } from './exclude';
import { type PromptPart, fitParts } from './parts';
import { SecretVault, insidePrivateKey } from './redact';
import type { RetrievalQuery, Snippet } from './snippets';
import { cursorWindows, prefixWindow, snippetTokens } from './windows';

export interface ContextSource {
  /** Short name for logs and the prompt part ids: `definitions`, `recentEdits`, `openEditors`, `workspace`. */
  name: string;
  /** Milliseconds this source may take; after that its results are ignored (and its signal aborted). */
  timeLimitMs: number;
  /** Higher survives the budget longer. */
  priority: number;
  /** Place in the prompt (ascending); closer to the cursor's code means more influence. */
  order: number;
  fetch(query: RetrievalQuery, signal: AbortSignal): Snippet[] | Promise<Snippet[]>;
}

export interface ContextBudget {
  /** Everything sent as context (windows + snippets), in tokens. */
  totalTokens: number;
  /** Most of the budget the prefix window may take. */
  prefixShare: number;
  /** Most of the budget the suffix window may take. */
  suffixShare: number;
  /** Least of the budget the prefix window keeps when definitions of the names at the cursor need room. */
  prefixFloor?: number;
}

/** Sources at this priority or above (definitions, symbols) are precise enough to take room from the prefix window. */
export const PRECISE_PRIORITY = 4;

export const DEFAULT_BUDGET: ContextBudget = { totalTokens: 2048, prefixShare: 0.6, suffixShare: 0.15, prefixFloor: 0.35 };

export interface ContextInput {
  path: string;
  languageId: string;
  /** The whole text before and after the cursor (windows are cut here). */
  prefix: string;
  suffix: string;
  /** Text the snippets should resemble (usually `queryText(prefix, suffix)`). */
  query: string;
  /** 0-based cursor line. */
  line?: number;
}

export interface ContextSnippet extends Snippet {
  source: string;
}

export interface SourceReport {
  ms: number;
  outcome: 'ok' | 'timeout' | 'error' | 'aborted';
  offered: number;
  kept: number;
}

export interface GatheredContext {
  prefix: string;
  suffix: string;
  snippets: ContextSnippet[];
  tokens: number;
  redactions: number;
  /**
   * The vault everything sent was redacted with (one per request, so a placeholder names one secret):
   * a reply's placeholders are mapped back with it.
   */
  secrets: SecretVault;
  sources: Record<string, SourceReport>;
}

interface SnippetPart extends PromptPart {
  snippet: ContextSnippet;
}

async function runSource(source: ContextSource, query: RetrievalQuery, signal: AbortSignal): Promise<{ snippets: Snippet[]; report: SourceReport }> {
  const started = performance.now();
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const report = (outcome: SourceReport['outcome'], offered = 0): SourceReport => ({ ms: performance.now() - started, outcome, offered, kept: 0 });
  try {
    const result = source.fetch(query, controller.signal);
    if (Array.isArray(result)) return { snippets: result, report: report('ok', result.length) };
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), source.timeLimitMs);
    });
    const aborted = new Promise<'aborted'>((resolve) => {
      if (signal.aborted) resolve('aborted');
      signal.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
    const raced = await Promise.race([result, timeout, aborted]);
    if (raced === 'timeout' || raced === 'aborted') {
      controller.abort();
      result.catch(() => undefined);
      return { snippets: [], report: report(raced) };
    }
    return { snippets: raced, report: report('ok', raced.length) };
  } catch {
    return { snippets: [], report: report(signal.aborted ? 'aborted' : 'error') };
  } finally {
    if (timer) clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/** Gathers, filters, redacts and fits the context for one cursor position. */
export async function gatherContext(
  input: ContextInput,
  sources: readonly ContextSource[],
  options: { budget?: ContextBudget; exclude: readonly string[]; signal?: AbortSignal; log?: Logger },
): Promise<GatheredContext> {
  const budget = options.budget ?? DEFAULT_BUDGET;
  const signal = options.signal ?? new AbortController().signal;
  const query: RetrievalQuery = { path: input.path, languageId: input.languageId, text: input.query, line: input.line };

  // Sources start first and run while the windows are cut.
  const running = sources.map((s) => runSource(s, query, signal));

  const windows = cursorWindows(
    input.prefix,
    input.suffix,
    Math.floor(budget.totalTokens * budget.prefixShare),
    Math.floor(budget.totalTokens * budget.suffixShare),
  );
  // A window cut inside a private key (its BEGIN line above the cut) still hides the key's lines: the
  // prefix window cut above the cursor, and the suffix window when the cursor itself is inside a key (its
  // END line may lie beyond the window). The suffix window's block without its END line is caught by the
  // redaction itself.
  const cutAt = input.prefix.length - windows.prefix.length;
  const secrets = new SecretVault();
  const prefix = secrets.redact(windows.prefix, { startsInsideKey: windows.prefixCut && insidePrivateKey(input.prefix, cutAt) });
  const suffix = secrets.redact(windows.suffix, { startsInsideKey: insidePrivateKey(input.prefix, input.prefix.length) });
  let redactions = prefix.redactions + suffix.redactions;
  const prefixTokens = prefix.redactions ? countTokens(prefix.text) : windows.prefixTokens;
  const suffixTokens = suffix.redactions ? countTokens(suffix.text) : windows.suffixTokens;

  const results = await Promise.all(running);
  const reports: Record<string, SourceReport> = {};
  const parts: SnippetPart[] = [];
  sources.forEach((source, i) => {
    const { snippets, report } = results[i];
    reports[source.name] = report;
    snippets.forEach((snippet, rank) => {
      if (isExcludedPath(snippet.path, options.exclude)) return;
      // A snippet is a piece of a file: it may start inside a key block, too.
      const clean = secrets.redact(snippet.text, { startsInsideKey: true });
      redactions += clean.redactions;
      parts.push({
        id: `${source.name}:${snippet.path}:${snippet.startLine ?? rank}`,
        priority: source.priority - rank * 0.01,
        order: source.order * 1000 + rank,
        text: clean.text,
        tokens: snippetTokens(clean.text),
        snippet: { ...snippet, text: clean.text, source: source.name },
      });
    });
  });

  // Definitions of the names at the cursor are worth more than the far end of the prefix window: that
  // window gives up room for them, down to `prefixFloor` of the budget (from its top, far from the cursor).
  const precise = parts.filter((p) => p.priority > PRECISE_PRIORITY - 0.5).reduce((n, p) => n + (p.tokens ?? 0), 0);
  const floor = Math.floor(budget.totalTokens * (budget.prefixFloor ?? DEFAULT_BUDGET.prefixFloor ?? 0));
  const room = budget.totalTokens - prefixTokens - suffixTokens;
  let prefixText = prefix.text;
  let prefixCount = prefixTokens;
  if (precise > room && prefixTokens > floor) {
    const trimmed = prefixWindow(prefixText, Math.max(floor, prefixTokens - (precise - room)));
    prefixText = trimmed.text;
    prefixCount = trimmed.tokens;
  }
  // Code already in the windows is not repeated: a part contained in them counts as a duplicate.
  const windowParts: SnippetPart[] = [
    { id: 'window:prefix', priority: Infinity, order: -2, text: prefixText, tokens: prefixCount, snippet: undefined as never },
    { id: 'window:suffix', priority: Infinity, order: -1, text: suffix.text, tokens: suffixTokens, snippet: undefined as never },
  ];
  const fitted = fitParts([...windowParts, ...parts], budget.totalTokens);
  const snippets = fitted.kept.filter((p) => !p.id.startsWith('window:')).map((p) => p.snippet);
  for (const s of snippets) reports[s.source].kept++;
  return { prefix: prefixText, suffix: suffix.text, snippets, tokens: fitted.tokens, redactions, secrets, sources: reports };
}
