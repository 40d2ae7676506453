/**
 * The inline-suggestion engine: plain data in (document text around the cursor, context sources,
 * settings), plain text out. It runs the request policy, gathers context while the debounce waits,
 * builds the prompt, answers from the cache when it can, streams the reply through the cleaning
 * filters (closing the stream as soon as a filter says the suggestion is complete) and keeps at most
 * one request in flight per document, aborting a superseded one at once.
 */
import type { Logger } from '../log';
import { type ContextBudget, type ContextSource, DEFAULT_BUDGET, gatherContext } from '../context/gather';
import { queryText } from '../context/snippets';
import type { SecretVault } from '../context/redact';
import type { ModelClient, ModelStream } from '../model/types';
import { ModelError } from '../model/types';
import { type CleanContext, CompletionCleaner } from './filters';
import { keepCompleteLines, replyEnding } from '../reply';
import { type Cursor, type Decision, LruCache, RequestPolicy, remainderAfterTyping } from './policy';
import { type IndentStyle, type LineMode, decideLineMode, guessIndentStyle, skipPosition } from './position';
import { type BuiltPrompt, buildCompletionPrompt, promptKey } from './prompt';
import type { CompletionSettings } from './settings';

/** What one provider call knows: plain data gathered by the editor layer. */
export interface ProvideInput {
  /** Identifies the document (its URI). */
  docKey: string;
  /** Workspace-relative path (for the prompt and for snippets' skip rules). */
  path: string;
  languageId: string;
  /** All text before / after the cursor. */
  prefix: string;
  suffix: string;
  /** 0-based cursor line. */
  line?: number;
  indent?: IndentStyle;
  /** Context sources for this call (definitions, open editors, recent edits, workspace index). */
  sources?: readonly ContextSource[];
}

export interface EngineSettings extends CompletionSettings {
  /** Model used when `model` is empty. */
  chatModel: string;
  exclude: readonly string[];
  budget?: ContextBudget;
}

export type Via = 'reuse' | 'follow' | 'cache' | 'model' | 'none';

export interface ProvideOutcome {
  /** The suggestion to show at the cursor; empty shows nothing. */
  text: string;
  via: Via;
  /** Why nothing is shown, when `via` is `none`. */
  reason?: 'superseded' | 'cancelled' | 'empty' | 'error' | 'skipped';
  /** Set when a model request was sent for this call. */
  requestId?: string;
  lineMode?: LineMode;
}

export interface EngineStats {
  provideCalls: number;
  requestsSent: number;
  /** Requests aborted before they finished (superseded or abandoned), not counting early stops. */
  requestsAborted: number;
  /** Requests closed by a filter once the suggestion was complete. */
  earlyStops: number;
  reused: number;
  followed: number;
  cacheHits: number;
  errors: number;
  timeouts: number;
}

export interface EngineOptions {
  client: () => ModelClient | Promise<ModelClient>;
  log: Logger;
  /** Reports model work to the status bar; returns the function that ends it. */
  busy?: (feature: string) => (outcome: 'ok' | 'error' | 'cancelled') => void;
  /** Debounce waits; resolves false when aborted. Tests and benchmarks may pass their own. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<boolean>;
  /** After the last caller waiting on a request goes away, how long before the request is aborted. */
  abandonGraceMs?: number;
  /** Reuse, follow and cache (off only for the plain-debounce baseline in the benchmark). */
  smart?: boolean;
  cacheSize?: number;
  /** Called when a request is handed to the client (benchmarks measure up to here). */
  onRequestSent?: (info: { docKey: string; id: number; prompt: BuiltPrompt }) => void;
  /** Called when a request ends, with its cleaned text and how it ended. */
  onRequestEnded?: (info: { docKey: string; id: number; text: string | undefined; outcome: 'ok' | 'stopped' | 'aborted' | 'error' }) => void;
}

/** Server-side stop sequences: most OpenAI-compatible servers accept four; the rest apply locally. */
const MAX_SERVER_STOPS = 4;

/**
 * A suggestion as it may go into the document. The model saw placeholders for redacted secrets: one
 * that stands for a secret the document itself holds is mapped back (the user's own text); a line
 * holding any other placeholder, and everything after it, is left out, so neither a placeholder nor a
 * secret from another file can reach the buffer with Tab.
 */
export function suggestionForDocument(text: string, secrets: SecretVault, document: string): string {
  const restored = secrets.restoreInto(text, document);
  if (restored.unresolved < 0) return restored.text;
  const lineBreak = restored.text.lastIndexOf('\n', restored.unresolved);
  return lineBreak < 0 ? '' : restored.text.slice(0, lineBreak);
}

export const defaultSleep = (ms: number, signal: AbortSignal): Promise<boolean> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    if (ms <= 0) return resolve(true);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

interface Flight {
  id: number;
  docKey: string;
  cursor: Cursor;
  controller: AbortController;
  /** Cleaned final text; undefined when the request failed or was aborted. */
  done: Promise<string | undefined>;
  waiters: number;
  listeners: Set<() => void>;
  finished: boolean;
  requestId?: string;
}

export class CompletionEngine {
  private readonly policy: RequestPolicy;
  private readonly cache: LruCache<string>;
  private readonly flights = new Map<number, Flight>();
  private readonly latest = new Map<string, number>();
  private nextFlightId = 1;
  private nextCall = 1;
  private disposed = false;
  readonly stats: EngineStats = {
    provideCalls: 0,
    requestsSent: 0,
    requestsAborted: 0,
    earlyStops: 0,
    reused: 0,
    followed: 0,
    cacheHits: 0,
    errors: 0,
    timeouts: 0,
  };

  constructor(private readonly options: EngineOptions) {
    this.policy = new RequestPolicy({ debounceMs: 0, typedThrough: options.smart !== false });
    this.cache = new LruCache(options.cacheSize ?? 256);
  }

  /** One provider call. Resolves with what to show; never throws. */
  async provide(input: ProvideInput, settings: EngineSettings, signal: AbortSignal): Promise<ProvideOutcome> {
    this.stats.provideCalls++;
    const call = this.nextCall++;
    this.latest.set(input.docKey, call);
    const smart = this.options.smart !== false;
    this.policy.setOptions({ debounceMs: settings.debounceMs, typedThrough: smart });
    const cursor: Cursor = { prefix: input.prefix, suffix: input.suffix };
    const superseded = () => this.latest.get(input.docKey) !== call || this.disposed;
    const none = (reason: ProvideOutcome['reason']): ProvideOutcome => ({ text: '', via: 'none', reason });

    let decision: Decision = this.policy.decide(input.docKey, cursor);
    for (let attempt = 0; attempt < 2; attempt++) {
      if (decision.kind === 'reuse') {
        this.stats.reused++;
        return { text: decision.text, via: 'reuse' };
      }
      if (decision.kind === 'follow') {
        const flight = this.flights.get(decision.flightId);
        const text = flight ? await this.follow(flight, decision.typed, signal) : undefined;
        if (signal.aborted || superseded()) return none(signal.aborted ? 'cancelled' : 'superseded');
        const rest = flight && text !== undefined ? remainderAfterTyping(text, decision.typed, flight.cursor, cursor) : undefined;
        if (rest !== undefined && rest.trim() !== '') {
          this.stats.followed++;
          this.policy.shown(input.docKey, cursor, rest);
          return { text: rest, via: 'follow', requestId: flight?.requestId };
        }
        decision = this.policy.decide(input.docKey, cursor);
        continue;
      }
      break;
    }
    if (decision.kind !== 'request') return none('empty');
    if (decision.abortFlightId !== undefined) this.abortFlight(decision.abortFlightId);
    if (skipPosition(input.prefix, input.suffix)) return none('skipped');

    // Context is gathered while the debounce waits.
    const local = new AbortController();
    const onAbort = () => local.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const gathering = gatherContext(
        {
          path: input.path,
          languageId: input.languageId,
          prefix: input.prefix,
          suffix: input.suffix,
          query: queryText(input.prefix, input.suffix),
          line: input.line,
        },
        input.sources ?? [],
        { budget: settings.budget ?? DEFAULT_BUDGET, exclude: settings.exclude, signal: local.signal, log: this.options.log },
      );
      const waited = await (this.options.sleep ?? defaultSleep)(decision.delayMs, local.signal);
      if (!waited || superseded()) {
        local.abort();
        await gathering.catch(() => undefined);
        return none(signal.aborted ? 'cancelled' : 'superseded');
      }
      const context = await gathering;
      if (signal.aborted || superseded()) return none(signal.aborted ? 'cancelled' : 'superseded');

      const lineMode = decideLineMode(input.prefix, input.suffix, input.languageId);
      const prompt = buildCompletionPrompt(
        { path: input.path, languageId: input.languageId, prefix: context.prefix, suffix: context.suffix, snippets: context.snippets, lineMode },
        settings,
      );
      const model = settings.model || settings.chatModel;
      const temperature = 0;
      const key = promptKey(prompt, { model, maxTokens: settings.maxTokens, temperature, lineMode, languageId: input.languageId });
      // The cache holds replies as the model wrote them (placeholders and all): the secrets are put
      // back from the document as it is now.
      const document = input.prefix + input.suffix;
      const forDocument = (text: string) => suggestionForDocument(text, context.secrets, document);
      if (smart) {
        const hit = this.cache.get(key);
        if (hit !== undefined) {
          this.stats.cacheHits++;
          const cached = forDocument(hit);
          this.policy.shown(input.docKey, cursor, cached);
          return cached ? { text: cached, via: 'cache', lineMode } : { ...none('empty'), lineMode };
        }
      }
      const clean: CleanContext = {
        prefix: context.prefix,
        suffix: context.suffix,
        languageId: input.languageId,
        lineMode,
        stop: prompt.stop,
        style: prompt.style,
        indent: input.indent ?? guessIndentStyle(context.prefix),
      };
      const client = await this.options.client();
      if (signal.aborted || superseded()) return none(signal.aborted ? 'cancelled' : 'superseded');
      const running = this.policy.running(input.docKey);
      if (running !== undefined) this.abortFlight(running);
      const flight = this.launch(input.docKey, cursor, client, prompt, clean, { model, temperature, key, settings, forDocument });
      const text = await this.wait(flight, signal);
      if (signal.aborted || superseded()) return none(signal.aborted ? 'cancelled' : 'superseded');
      if (text === undefined) return { ...none('error'), requestId: flight.requestId, lineMode };
      this.policy.shown(input.docKey, cursor, text);
      return text ? { text, via: 'model', requestId: flight.requestId, lineMode } : { ...none('empty'), requestId: flight.requestId, lineMode };
    } catch (error) {
      this.stats.errors++;
      this.options.log.warn(`[completion] ${error instanceof Error ? error.message : String(error)}`);
      return none('error');
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private launch(
    docKey: string,
    cursor: Cursor,
    client: ModelClient,
    prompt: BuiltPrompt,
    clean: CleanContext,
    request: { model: string; temperature: number; key: string; settings: EngineSettings; forDocument: (text: string) => string },
  ): Flight {
    const id = this.nextFlightId++;
    const controller = new AbortController();
    const cleaner = new CompletionCleaner(clean);
    const listeners = new Set<() => void>();
    const base = { feature: 'completion', model: request.model, maxTokens: request.settings.maxTokens, temperature: request.temperature, stop: prompt.stop.slice(0, MAX_SERVER_STOPS), signal: controller.signal };
    const stream: ModelStream =
      prompt.endpoint === 'chat'
        ? client.streamChat({ ...base, messages: prompt.messages })
        : prompt.endpoint === 'infill'
          ? client.streamInfill({ ...base, prefix: prompt.prefix, suffix: prompt.suffix, extra: prompt.extra })
          : client.streamCompletion({ ...base, prompt: prompt.prompt, ...(prompt.suffix !== undefined && { suffix: prompt.suffix }) });
    const flight: Flight = { id, docKey, cursor, controller, done: undefined as never, waiters: 0, listeners, finished: false, requestId: stream.requestId };
    this.flights.set(id, flight);
    this.policy.started(docKey, id, cursor);
    this.stats.requestsSent++;
    this.options.onRequestSent?.({ docKey, id, prompt });
    const end = this.options.busy?.('completion');
    const timer = setTimeout(() => {
      this.stats.timeouts++;
      controller.abort();
    }, request.settings.timeoutMs);

    flight.done = (async () => {
      let outcome: 'ok' | 'stopped' | 'aborted' | 'error' = 'ok';
      let text: string | undefined;
      // The stream is read by hand rather than with for-await: once the suggestion is complete the
      // request is closed (iterator.return() aborts it at once) without waiting for the HTTP client to
      // wind down, and an abort ends the read even if the client never notices the closed socket.
      const iterator = stream[Symbol.asyncIterator]();
      const aborted = new Promise<'aborted'>((resolve) => {
        if (controller.signal.aborted) resolve('aborted');
        controller.signal.addEventListener('abort', () => resolve('aborted'), { once: true });
      });
      const close = () => void iterator.return?.().catch(() => undefined);
      try {
        for (;;) {
          const next = await Promise.race([iterator.next(), aborted]);
          if (next === 'aborted') {
            close();
            throw new Error('aborted');
          }
          if (next.done) break;
          const step = cleaner.push(next.value);
          this.policy.progress(docKey, id, request.forDocument(step.text));
          for (const l of listeners) l();
          if (step.stop) {
            outcome = 'stopped';
            this.stats.earlyStops++;
            close();
            break;
          }
        }
        const ended = outcome === 'ok' ? await Promise.race([stream.result, aborted]) : undefined;
        if (ended === 'aborted') throw new Error('aborted');
        text = cleaner.result();
        // Cut off (the token limit, or a stream closed early): a last line is kept only when it is complete.
        if (ended && replyEnding(ended.finishReason) !== 'complete') text = keepCompleteLines(text);
        this.cache.set(request.key, text);
        text = request.forDocument(text);
      } catch (error) {
        if (controller.signal.aborted) {
          outcome = 'aborted';
        } else {
          outcome = 'error';
          this.stats.errors++;
          const message = error instanceof ModelError ? `${error.kind}: ${error.userMessage}` : String(error);
          this.options.log.warn(`[completion] request failed: ${message}`);
        }
      } finally {
        clearTimeout(timer);
        flight.finished = true;
        this.policy.ended(docKey, id);
        this.flights.delete(id);
        end?.(outcome === 'error' ? 'error' : outcome === 'aborted' ? 'cancelled' : 'ok');
        for (const l of listeners) l();
        this.options.onRequestEnded?.({ docKey, id, text, outcome });
      }
      return text;
    })();
    return flight;
  }

  /** Waits for a flight's text; when the caller goes away and nobody else waits, the flight is aborted. */
  private wait(flight: Flight, signal: AbortSignal, onProgress?: () => boolean): Promise<string | undefined> {
    flight.waiters++;
    return new Promise<string | undefined>((resolve) => {
      let settled = false;
      const settle = (value: string | undefined) => {
        if (settled) return;
        settled = true;
        flight.waiters--;
        signal.removeEventListener('abort', onAbort);
        flight.listeners.delete(listener);
        resolve(value);
      };
      const onAbort = () => {
        settle(undefined);
        this.abandonSoon(flight);
      };
      const listener = () => {
        if (onProgress && !flight.finished && !onProgress()) settle(undefined);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      flight.listeners.add(listener);
      flight.done.then(settle, () => settle(undefined));
    });
  }

  /** Follows a running request the user is typing through; gives up as soon as its text stops matching. */
  private follow(flight: Flight, typed: string, signal: AbortSignal): Promise<string | undefined> {
    return this.wait(flight, signal, () => this.policy.stillMatches(flight.docKey, flight.id, typed));
  }

  private abandonSoon(flight: Flight): void {
    const grace = this.options.abandonGraceMs ?? 100;
    setTimeout(() => {
      if (!flight.finished && flight.waiters === 0 && this.policy.running(flight.docKey) === flight.id) this.abortFlight(flight.id);
    }, grace);
  }

  private abortFlight(id: number): void {
    const flight = this.flights.get(id);
    if (!flight || flight.finished || flight.controller.signal.aborted) return;
    this.stats.requestsAborted++;
    flight.controller.abort();
  }

  /** The document closed: abort its request and forget its state. */
  forget(docKey: string): void {
    const id = this.policy.forget(docKey);
    if (id !== undefined) this.abortFlight(id);
    this.latest.delete(docKey);
  }

  /** Cached suggestions are dropped (settings or model changed). */
  clearCache(): void {
    this.cache.clear();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const id of [...this.flights.keys()]) this.abortFlight(id);
  }
}
