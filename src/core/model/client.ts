/**
 * The model client: the official `openai` package with Redline's own retries (logged, testable, and never
 * after the first token), an idle/first-token timeout, a total deadline per request, cancellation, usage
 * and one log line per request. It also speaks llama.cpp's `/infill` (fill-in-the-middle with the model's
 * own tokens), and copes with what real servers send: a 503 while the model loads (waited out until the
 * deadline), errors inside an HTTP 200 stream, a first chunk with `content: null`, a last chunk with
 * `choices: []` and the usage, an HTML page or plain JSON where a stream was asked for.
 */
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import type { APIPromise } from 'openai/core/api-promise';
import type { Stream } from 'openai/core/streaming';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { Completion } from 'openai/resources/completions';
import type { Logger } from '../log';
import {
  type AbortReason,
  cancelledError,
  displayURL,
  emptyReplyError,
  type ErrorContext,
  loadingError,
  notOpenAIError,
  isRetryable,
  rateLimitedWaitError,
  redactor,
  toModelError,
} from './errors';
import {
  type ChatRequest,
  type CompletionRequest,
  type EndpointConfig,
  type InfillRequest,
  type ModelClient,
  ModelError,
  type ModelResult,
  type ModelStream,
  type RequestEvent,
  type RequestObserver,
  type Usage,
} from './types';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface ModelClientOptions {
  logger: Logger;
  observer?: RequestObserver;
  /** Waits between retries; tests inject one that records the delays and returns at once. */
  sleep?: Sleep;
  /** Source of jitter in [0, 1); tests may pin it. */
  random?: () => number;
  /**
   * The clock behind the idle timer and the deadline; tests inject one they fire themselves, so that
   * no outcome depends on how fast the machine is.
   */
  timers?: Timers;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Milliseconds on a monotonic clock (what is left of the deadline, the time to first token). */
  now(): number;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};

/** Longest server-requested wait (retry-after) Redline sleeps through before retrying. */
export const MAX_RETRY_AFTER_MS = 20_000;
/** First backoff step without a retry-after header; doubles per attempt up to BACKOFF_CAP_MS. */
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 8_000;
/** Longest wait between two tries while the server is loading its model (503 "Loading model"). */
export const LOADING_POLL_MAX_MS = 2_000;

/** The optional sampling fields both endpoints share, sent only when set. */
function samplingOptions(request: { temperature?: number; maxTokens?: number; stop?: string[] }) {
  return {
    ...(request.temperature !== undefined && { temperature: request.temperature }),
    ...(request.maxTokens !== undefined && { max_tokens: request.maxTokens }),
    ...(request.stop !== undefined && request.stop.length > 0 && { stop: request.stop }),
  };
}

/** `finishReason` of a result whose consumer stopped iterating before the server finished. */
export const FINISH_STOPPED_BY_CLIENT = 'stopped_by_client';

/** Rough token estimate when the server reports no usage. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

/** Exponential backoff with "equal jitter": half fixed, half random. attempt counts from 0. */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export const defaultSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

function abortError(): Error {
  const error = new Error('Aborted');
  error.name = 'AbortError';
  return error;
}

/** What one streamed chunk contributes, whatever the endpoint. */
interface ChunkParts {
  text?: string;
  /** Reasoning sent apart from the content (`reasoning_content` / `reasoning`): progress, so it keeps the idle timer from firing. */
  reasoning?: string;
  finishReason?: string | null;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

interface StreamSpec {
  kind: 'chat' | 'completion' | 'infill';
  feature: string;
  model: string;
  promptChars: number;
  signal?: AbortSignal;
  onReasoning?: (delta: string) => void;
  open(signal: AbortSignal): Promise<AsyncIterable<ChunkParts>>;
}

export function createModelClient(config: EndpointConfig, options: ModelClientOptions): ModelClient {
  const { logger, observer } = options;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const timers = options.timers ?? realTimers;
  const timeoutMs = Math.max(1, Math.round(config.timeoutMs));
  const deadlineMs =
    config.deadlineMs !== undefined && Number.isFinite(config.deadlineMs) && config.deadlineMs > 0 ? Math.max(1, Math.round(config.deadlineMs)) : undefined;
  const maxRetries = Math.max(0, Math.floor(config.maxRetries));
  const where = displayURL(config.baseURL);
  const redact = redactor([config.apiKey, ...Object.values(config.headers ?? {})]);

  const openai = new OpenAI({
    apiKey: config.apiKey ?? 'not-needed',
    baseURL: config.baseURL,
    defaultHeaders: config.headers,
    timeout: timeoutMs,
    maxRetries: 0,
    // The SDK's own logging can include header values; Redline logs every request itself.
    logLevel: 'off',
  });

  /** A ModelError whose message cannot carry a secret, whatever the server said. */
  const clean = (error: ModelError): ModelError => {
    const message = redact(error.userMessage);
    return message === error.userMessage ? error : new ModelError(error.kind, message, error.nextSteps, error.detail);
  };

  const describeCause = (cause: unknown): string => {
    if (cause === undefined) return '';
    let text = cause instanceof Error ? `${cause.name}: ${cause.message}` : describeValue(cause);
    const inner = cause instanceof Error ? (cause as { cause?: unknown }).cause : undefined;
    if (inner instanceof Error) text += ` (${inner.name}: ${inner.message}${codeOf(inner)})`;
    return redact(text.replace(/\s+/g, ' ').slice(0, 500));
  };

  const notify = (event: RequestEvent) => {
    if (!observer) return;
    try {
      observer(event);
    } catch (err) {
      logger.warn(`[model] ${event.requestId} request observer threw: ${describeCause(err)}`);
    }
  };

  function stream(spec: StreamSpec): ModelStream {
    const requestId = `${spec.feature}-${randomUUID().slice(0, 8)}`;
    const queue = new DeltaQueue();
    const controller = new AbortController();
    let abortReason: AbortReason | undefined;
    const abort = (reason: AbortReason) => {
      if (controller.signal.aborted) return;
      abortReason = reason;
      controller.abort();
    };
    const onCallerAbort = () => abort('caller');

    const run = async (): Promise<ModelResult> => {
      const started = timers.now();
      const remainingMs = () => (deadlineMs === undefined ? Infinity : deadlineMs - (timers.now() - started));
      const errorContext = (phase: ErrorContext['phase'], reason = abortReason): ErrorContext => ({
        baseURL: config.baseURL,
        model: spec.model,
        timeoutMs,
        deadlineMs,
        abortReason: reason,
        phase,
      });
      let text = '';
      let reasoning = '';
      let firstTokenAt: number | undefined;
      let finishReason: string | null = null;
      let serverUsage: { prompt_tokens?: number; completion_tokens?: number } | undefined;
      let attempts = 0;

      const finish = (outcome: RequestEvent['outcome'], error?: ModelError): ModelResult => {
        const totalMs = Math.round(timers.now() - started);
        const usage: Usage =
          serverUsage && typeof serverUsage.prompt_tokens === 'number' && typeof serverUsage.completion_tokens === 'number'
            ? { promptTokens: serverUsage.prompt_tokens, completionTokens: serverUsage.completion_tokens, estimated: false }
            : { promptTokens: estimateTokens(spec.promptChars), completionTokens: estimateTokens(text.length + reasoning.length), estimated: true };
        const timeToFirstTokenMs = firstTokenAt === undefined ? undefined : Math.round(firstTokenAt - started);
        const line =
          `[model] ${requestId} ${spec.kind} feature=${spec.feature} model=${spec.model} outcome=${outcome}` +
          ` promptTokens=${usage.promptTokens} completionTokens=${usage.completionTokens}${usage.estimated ? ' (estimated)' : ''}` +
          ` ttft=${timeToFirstTokenMs === undefined ? '-' : `${timeToFirstTokenMs}ms`} total=${totalMs}ms attempts=${attempts}`;
        if (outcome === 'ok' || outcome === 'cancelled') logger.info(redact(line));
        else logger.warn(redact(`${line}: ${error?.userMessage ?? ''} ${describeCause(error?.detail?.cause)}`.trim()));
        notify({
          requestId,
          feature: spec.feature,
          model: spec.model,
          outcome,
          promptTokens: usage.promptTokens,
          completionTokens: usage.completionTokens,
          usageEstimated: usage.estimated,
          timeToFirstTokenMs,
          totalMs,
        });
        return { requestId, text, reasoning, usage, finishReason, timeToFirstTokenMs, totalMs };
      };

      if (spec.signal?.aborted) {
        const error = cancelledError(spec.signal.reason);
        finish('cancelled', error);
        throw error;
      }
      spec.signal?.addEventListener('abort', onCallerAbort, { once: true });
      logger.debug(redact(`[model] ${requestId} ${spec.kind} → ${where} feature=${spec.feature} model=${spec.model}`));
      const deadline = deadlineMs === undefined ? undefined : timers.setTimeout(() => abort('deadline'), deadlineMs);
      let loadingTries = 0;
      let sawLoading = false;

      try {
        for (;;) {
          attempts++;
          let phase: 'connect' | 'stream' = 'connect';
          let sawChunk = false;
          // Armed when the request is sent; only text (or reasoning) resets it, never headers,
          // keep-alives or empty deltas: it is the first-token timer, then the idle timer.
          const idle = new IdleTimer(timers, timeoutMs, () => abort('timeout'));
          try {
            const chunks = await spec.open(controller.signal);
            phase = 'stream';
            // Read by hand, racing each chunk against the abort: the SDK's iterator does not always end
            // when it is aborted after the server's last chunk, and a consumer that stops must never hang.
            const iterator = chunks[Symbol.asyncIterator]();
            const aborted = new Promise<never>((_, reject) => {
              const fail = () => reject(abortError());
              if (controller.signal.aborted) fail();
              else controller.signal.addEventListener('abort', fail, { once: true });
            });
            aborted.catch(() => undefined);
            for (;;) {
              let step: IteratorResult<(typeof chunks extends AsyncIterable<infer P> ? P : never)>;
              try {
                step = await Promise.race([iterator.next(), aborted]);
              } catch (err) {
                void Promise.resolve(iterator.return?.()).catch(() => undefined);
                throw err;
              }
              if (step.done) break;
              const part = step.value;
              sawChunk = true;
              if (part.text || part.reasoning) idle.reset();
              if (part.usage) serverUsage = part.usage;
              if (part.finishReason) finishReason = part.finishReason;
              if (part.reasoning) {
                reasoning += part.reasoning;
                try {
                  spec.onReasoning?.(part.reasoning);
                } catch (err) {
                  logger.warn(`[model] ${requestId} reasoning observer threw: ${describeCause(err)}`);
                }
              }
              if (part.text) {
                if (firstTokenAt === undefined) firstTokenAt = timers.now();
                text += part.text;
                queue.push(part.text);
              }
            }
            // The SDK ends a stream quietly when it is aborted: find out whether it really finished.
            if (abortReason !== undefined) throw abortError();
            if (!sawChunk) throw emptyReplyError();
            return finish('ok');
          } catch (err) {
            if (abortReason === 'consumer') {
              finishReason = FINISH_STOPPED_BY_CLIENT;
              return finish('ok');
            }
            // The idle timer does not run while we wait to retry (the deadline does).
            idle.clear();
            let error = clean(toModelError(err, errorContext(phase)));
            if (error.detail?.reason === 'deadline' && sawLoading && text.length === 0 && deadlineMs !== undefined) {
              // The deadline passed while we were still waiting for the model to load: say that.
              error = clean(loadingError(config.baseURL, 503, err, deadlineMs));
            }
            const loading = error.detail?.reason === 'loading';
            if (loading) sawLoading = true;
            const wait = isRetryable(error) && !loading ? error.detail?.retryAfterMs : undefined;
            if (wait !== undefined && wait > MAX_RETRY_AFTER_MS) {
              error = rateLimitedWaitError(wait, error.detail?.status ?? 429, err);
            } else if (text.length === 0 && isRetryable(error) && maxRetries > 0 && (loading || attempts <= maxRetries)) {
              // A loading server is polled until the deadline, whatever maxRetries says.
              const serverWait = error.detail?.retryAfterMs;
              const delay = loading
                ? Math.min(LOADING_POLL_MAX_MS, serverWait ?? backoffDelayMs(loadingTries++, random))
                : serverWait !== undefined
                  ? Math.round(serverWait)
                  : backoffDelayMs(attempts - 1, random);
              if (delay >= remainingMs()) {
                throw loading && deadlineMs !== undefined ? clean(loadingError(config.baseURL, error.detail?.status ?? 503, err, deadlineMs)) : error;
              }
              logger.warn(
                `[model] ${requestId} attempt ${attempts} failed (${error.kind}${error.detail?.status ? ` HTTP ${error.detail.status}` : ''}${loading ? ', loading the model' : ''}): ` +
                  `retrying in ${delay}ms${serverWait !== undefined ? ' as the server asked' : ''} (${attempts}/${loading ? 'until the deadline' : maxRetries})`,
              );
              try {
                await sleep(delay, controller.signal);
              } catch (sleepErr) {
                throw toModelError(sleepErr, errorContext(phase, abortReason ?? 'caller'));
              }
              if (abortReason !== undefined) throw toModelError(abortError(), errorContext(phase));
              continue;
            }
            throw error;
          } finally {
            idle.clear();
          }
        }
      } catch (err) {
        const error = err instanceof ModelError ? err : toModelError(err, errorContext('connect'));
        finish(error.kind, error);
        throw error;
      } finally {
        if (deadline !== undefined) timers.clearTimeout(deadline);
        spec.signal?.removeEventListener('abort', onCallerAbort);
      }
    };

    const result = run().then(
      (value) => {
        queue.end();
        return value;
      },
      (error: unknown) => {
        queue.fail(error);
        throw error;
      },
    );
    // Callers that only iterate must not trigger an unhandled rejection; awaiting `result` still throws.
    result.catch(() => undefined);

    let iterating = false;
    return {
      requestId,
      result,
      [Symbol.asyncIterator](): AsyncIterator<string> {
        if (iterating) throw new Error('A ModelStream can be iterated only once.');
        iterating = true;
        return {
          next: () => queue.next(),
          return: async () => {
            if (!queue.finished) abort('consumer');
            // Wait for the HTTP stream to be closed and the result settled; the result carries any error.
            await result.catch(() => undefined);
            return { done: true, value: undefined };
          },
        };
      },
    };
  }

  return {
    streamChat(request: ChatRequest): ModelStream {
      return stream({
        kind: 'chat',
        ...requestFields(request),
        onReasoning: request.onReasoning,
        promptChars: request.messages.reduce((sum, m) => sum + m.content.length, 0),
        async open(signal) {
          const body = { model: request.model, messages: request.messages, ...streamOptions(request) };
          return openStream(openai.chat.completions.create(body, { signal }), config.baseURL, chatParts);
        },
      });
    },

    streamCompletion(request: CompletionRequest): ModelStream {
      return stream({
        kind: 'completion',
        ...requestFields(request),
        promptChars: request.prompt.length + (request.suffix?.length ?? 0),
        async open(signal) {
          const body = {
            model: request.model,
            prompt: request.prompt,
            ...(request.suffix !== undefined && { suffix: request.suffix }),
            ...streamOptions(request),
          };
          return openStream(openai.completions.create(body, { signal }), config.baseURL, completionParts);
        },
      });
    },

    streamInfill(request: InfillRequest): ModelStream {
      return stream({
        kind: 'infill',
        ...requestFields(request),
        promptChars: request.prefix.length + request.suffix.length + (request.extra ?? []).reduce((sum, e) => sum + e.text.length, 0),
        async open(signal) {
          const body = {
            model: request.model,
            input_prefix: request.prefix,
            input_suffix: request.suffix,
            ...(request.extra && request.extra.length > 0 && { input_extra: request.extra.map((e) => ({ filename: e.filename, text: e.text })) }),
            prompt: '',
            stream: true,
            ...(request.temperature !== undefined && { temperature: request.temperature }),
            ...(request.maxTokens !== undefined && { n_predict: request.maxTokens }),
            ...(request.stop !== undefined && request.stop.length > 0 && { stop: request.stop }),
          };
          return openStream(openai.post<Stream<InfillChunk>>(infillURL(config.baseURL), { body, stream: true, signal }), config.baseURL, infillParts);
        },
      });
    },

    async listModels(signal?: AbortSignal): Promise<string[]> {
      const controller = new AbortController();
      let abortReason: AbortReason | undefined;
      const onCallerAbort = () => {
        abortReason ??= 'caller';
        controller.abort();
      };
      if (signal?.aborted) throw cancelledError(signal.reason);
      signal?.addEventListener('abort', onCallerAbort, { once: true });
      const timer = timers.setTimeout(() => {
        abortReason ??= 'timeout';
        controller.abort();
      }, timeoutMs);
      try {
        const ids: string[] = [];
        for await (const model of openai.models.list({ signal: controller.signal })) ids.push(model.id);
        logger.info(`[model] listModels ${where}: ${ids.length} model${ids.length === 1 ? '' : 's'}`);
        return ids;
      } catch (err) {
        const error = clean(toModelError(err, { baseURL: config.baseURL, timeoutMs, abortReason, phase: 'connect' }));
        if (error.kind !== 'cancelled') logger.warn(redact(`[model] listModels ${where} failed: ${error.userMessage} ${describeCause(err)}`));
        throw error;
      } finally {
        timers.clearTimeout(timer);
        signal?.removeEventListener('abort', onCallerAbort);
      }
    },
  };
}

/** One chunk of llama.cpp's native streaming format (`/infill`, `/completion`). */
interface InfillChunk {
  content?: string | null;
  stop?: boolean;
  /** `eos`, `word` (a stop string), `limit` (n_predict reached), `none`. */
  stop_type?: string;
  tokens_evaluated?: number;
  tokens_predicted?: number;
  timings?: { prompt_n?: number; predicted_n?: number };
}

function infillParts(chunk: InfillChunk): ChunkParts {
  const text = typeof chunk.content === 'string' ? chunk.content : undefined;
  if (!chunk.stop) return { text };
  const promptTokens = chunk.tokens_evaluated ?? chunk.timings?.prompt_n;
  const completionTokens = chunk.tokens_predicted ?? chunk.timings?.predicted_n;
  return {
    text,
    finishReason: chunk.stop_type === 'limit' ? 'length' : 'stop',
    usage: typeof promptTokens === 'number' && typeof completionTokens === 'number' ? { prompt_tokens: promptTokens, completion_tokens: completionTokens } : undefined,
  };
}

/** llama.cpp serves /infill at its root: the base URL without a trailing `/v1`. */
export function infillURL(baseURL: string): string {
  const url = new URL(baseURL);
  url.pathname = `${url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')}/infill`;
  return url.toString();
}

/**
 * A streamed request must be answered with an event stream. An HTML page (a web UI, a login page, a
 * proxy's error) or plain JSON (a server that ignored `stream: true`, or not an OpenAI API at all)
 * means the URL is wrong, not that the model sent an empty reply.
 */
function expectEventStream(response: Response, baseURL: string): void {
  const type = (response.headers.get('content-type') ?? '').toLowerCase();
  if (type === '' || type.includes('text/event-stream')) return;
  const what = type.includes('html') ? 'an HTML page' : type.includes('json') ? 'JSON rather than the stream it was asked for' : `"${type.split(';')[0]}" rather than a stream`;
  void response.body?.cancel().catch(() => undefined);
  throw notOpenAIError(baseURL, what, response.status);
}

function codeOf(err: Error): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? ` ${code}` : '';
}

async function* mapChunks<T>(source: AsyncIterable<T>, map: (chunk: T) => ChunkParts): AsyncGenerator<ChunkParts> {
  for await (const chunk of source) yield map(chunk);
}

/** What every kind of request tells the stream about itself. */
function requestFields(request: { feature: string; model: string; signal?: AbortSignal }): Pick<StreamSpec, 'feature' | 'model' | 'signal'> {
  return { feature: request.feature, model: request.model, signal: request.signal };
}

/** The fields every streamed chat or completions request sends: the stream with its usage, and sampling. */
function streamOptions(request: { temperature?: number; maxTokens?: number; stop?: string[] }) {
  return { stream: true as const, stream_options: { include_usage: true }, ...samplingOptions(request) };
}

/** Waits for a streamed request's headers, checks that an event stream came back, and maps its chunks. */
async function openStream<C>(request: APIPromise<Stream<C>>, baseURL: string, map: (chunk: C) => ChunkParts): Promise<AsyncIterable<ChunkParts>> {
  const { data, response } = await request.withResponse();
  expectEventStream(response, baseURL);
  return mapChunks(data, map);
}

/** A chat chunk. llama.cpp's first chunk has `content: null`, its last `choices: []` with the usage. */
function chatParts(chunk: ChatCompletionChunk): ChunkParts {
  const choice = chunk.choices?.[0];
  // Not in the SDK's types: servers that split reasoning out send it beside `content`.
  const delta = choice?.delta as { content?: string | null; reasoning_content?: unknown; reasoning?: unknown } | undefined;
  const reasoning = typeof delta?.reasoning_content === 'string' ? delta.reasoning_content : typeof delta?.reasoning === 'string' ? delta.reasoning : undefined;
  return { text: delta?.content ?? undefined, reasoning, finishReason: choice?.finish_reason, usage: chunk.usage };
}

function completionParts(chunk: Completion): ChunkParts {
  const choice = chunk.choices?.[0];
  return { text: choice?.text ?? undefined, finishReason: choice?.finish_reason, usage: chunk.usage };
}

/** Fires when no chunk has arrived for `ms`: covers a server that never answers and one that stalls. */
class IdleTimer {
  private timer: unknown;
  constructor(
    private readonly timers: Timers,
    private readonly ms: number,
    private readonly onIdle: () => void,
  ) {
    this.reset();
  }
  reset(): void {
    this.clear();
    this.timer = this.timers.setTimeout(this.onIdle, this.ms);
  }
  clear(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Deltas from the request (which runs eagerly) to the one consumer, in order. */
class DeltaQueue {
  private readonly items: string[] = [];
  private waiter: { resolve(r: IteratorResult<string>): void; reject(e: unknown): void } | undefined;
  private state: 'open' | 'ended' | 'failed' = 'open';
  private error: unknown;

  get finished(): boolean {
    return this.state !== 'open';
  }

  push(item: string): void {
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter.resolve({ done: false, value: item });
    } else {
      this.items.push(item);
    }
  }

  end(): void {
    this.state = 'ended';
    this.flushWaiter();
  }

  fail(error: unknown): void {
    this.state = 'failed';
    this.error = error;
    this.flushWaiter();
  }

  next(): Promise<IteratorResult<string>> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve({ done: false, value: item });
    if (this.state === 'ended') return Promise.resolve({ done: true, value: undefined });
    if (this.state === 'failed') {
      // Throw once; afterwards the iterator is simply done.
      const error = this.error;
      this.state = 'ended';
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  private flushWaiter(): void {
    if (!this.waiter) return;
    const waiter = this.waiter;
    this.waiter = undefined;
    if (this.state === 'failed') {
      this.state = 'ended';
      waiter.reject(this.error);
    } else {
      waiter.resolve({ done: true, value: undefined });
    }
  }
}

/** A thrown non-Error as text: its JSON when it is an object (String() would say `[object Object]`). */
function describeValue(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  try {
    return JSON.stringify(value) ?? Object.prototype.toString.call(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
