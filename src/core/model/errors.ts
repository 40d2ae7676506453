/**
 * The one place where anything a request can throw becomes a ModelError: a kind, one sentence a user
 * can act on, and the next steps to offer. No secrets ever reach a message (see `redactor`).
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import { ModelError, type ModelErrorKind, type NextStep } from './types';

/** Why our own AbortController fired, if it did. */
export type AbortReason = 'caller' | 'timeout' | 'deadline' | 'consumer';

export interface ErrorContext {
  baseURL: string;
  model?: string;
  timeoutMs: number;
  /** The request's total deadline, for its message. */
  deadlineMs?: number;
  /** Set when Redline aborted the request itself (caller cancelled, idle timeout, consumer stopped). */
  abortReason?: AbortReason;
  /** 'stream': the response had started (HTTP 200), so network failures mean a cut stream. */
  phase: 'connect' | 'stream';
}

export const NEXT_STEPS: Record<ModelErrorKind, NextStep[]> = {
  unreachable: ['openSettings', 'retry'],
  unauthorised: ['setApiKey', 'openSettings'],
  notFound: ['openSettings'],
  rateLimited: ['retry'],
  server: ['retry', 'openOutput'],
  timeout: ['retry', 'openSettings'],
  badResponse: ['retry', 'openOutput'],
  cancelled: [],
};

/** The base URL without credentials, query or trailing slash: safe to show and to log. */
export function displayURL(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString().replace(/\/+$/, '');
  } catch {
    return baseURL.replace(/\/\/[^/@]*@/, '//');
  }
}

/** A duration as a person would say it, exactly: "200 ms", "1 second", "1.5 seconds", "2 minutes". */
export function formatDuration(ms: number): string {
  const value = Math.max(0, Math.round(ms));
  if (value < 1000) return `${value} ms`;
  if (value >= 120_000 && value % 60_000 === 0) return `${value / 60_000} minutes`;
  const seconds = value / 1000;
  const text = Number.isInteger(seconds) ? String(seconds) : seconds.toFixed(seconds < 10 ? 2 : 1).replace(/0+$/, '').replace(/\.$/, '');
  return `${text} second${text === '1' ? '' : 's'}`;
}

function make(kind: ModelErrorKind, message: string, detail?: ModelError['detail']): ModelError {
  return new ModelError(kind, message, [...NEXT_STEPS[kind]], detail);
}

export function cancelledError(cause?: unknown): ModelError {
  return make('cancelled', 'The request was cancelled.', { cause });
}

export function timeoutError(ctx: Pick<ErrorContext, 'baseURL' | 'timeoutMs'>, cause?: unknown): ModelError {
  return make('timeout', `The model server at ${displayURL(ctx.baseURL)} did not answer within ${formatDuration(ctx.timeoutMs)}.`, { cause });
}

/** The request's total deadline passed (a server that trickles text, or keeps sending empty chunks). */
export function deadlineError(ctx: Pick<ErrorContext, 'baseURL'> & { deadlineMs: number }, cause?: unknown): ModelError {
  return make(
    'timeout',
    `The model server at ${displayURL(ctx.baseURL)} did not finish within ${formatDuration(ctx.deadlineMs)}, the deadline for one request.`,
    { cause, reason: 'deadline' },
  );
}

/** The URL answered, but not as an OpenAI-compatible endpoint does (an HTML page, JSON instead of a stream, …). */
export function notOpenAIError(baseURL: string, what: string, status?: number): ModelError {
  return make(
    'badResponse',
    `${displayURL(baseURL)} does not look like an OpenAI-compatible endpoint: it answered with ${what}. Check the base URL (it usually ends in /v1).`,
    { reason: 'notOpenAI', status },
  );
}

/** A 503 from a server still loading its model (llama.cpp answers "Loading model"). */
export function loadingError(baseURL: string, status: number, cause?: unknown, waitedMs?: number): ModelError {
  const waited = waitedMs === undefined ? '' : ` and was not ready within ${formatDuration(waitedMs)}`;
  return make('server', `The model server at ${displayURL(baseURL)} is still loading its model${waited}.`, { status, cause, reason: 'loading' });
}

export function emptyReplyError(): ModelError {
  return make('badResponse', 'The model server sent an empty reply.');
}

/** A 429 (or 5xx) whose requested wait is longer than Redline is willing to sleep. */
export function rateLimitedWaitError(retryAfterMs: number, status: number, cause?: unknown): ModelError {
  const seconds = Math.ceil(retryAfterMs / 1000);
  if (status !== 429 && status >= 500) {
    return make('server', `The model server is unavailable (HTTP ${status}) and asks to wait ${formatWait(seconds)}.`, { status, retryAfterMs, cause });
  }
  return make('rateLimited', `The model server is rate limiting requests and asks to wait ${formatWait(seconds)}.`, {
    status,
    retryAfterMs,
    cause,
  });
}

function formatWait(seconds: number): string {
  if (seconds < 120) return `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

/** The server's own error message (OpenAI shape `{ error: { message } }`), trimmed to one short clause. */
function serverMessage(err: APIError): string | undefined {
  const body: unknown = err.error;
  const raw = typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string' ? body.message : undefined;
  if (!raw) return undefined;
  const oneLine = raw.replace(/\s+/g, ' ').trim().replace(/[.]+$/, '');
  return oneLine.length > 160 ? `${oneLine.slice(0, 157)}...` : oneLine;
}

/** Milliseconds the server asks us to wait (`retry-after-ms`, else `retry-after` in seconds or as a date). */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null) {
    const value = Number.parseFloat(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = headers.get('retry-after');
  if (after !== null) {
    const seconds = Number.parseFloat(after);
    if (Number.isFinite(seconds) && /^\s*[\d.]+\s*$/.test(after)) return Math.max(0, seconds * 1000);
    const date = Date.parse(after);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  return undefined;
}

function isNetworkCode(err: unknown): string | undefined {
  // undici: TypeError('fetch failed', { cause: Error { code: 'ECONNREFUSED' } }), possibly nested.
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Map anything thrown while talking to the model server to a ModelError. Idempotent for ModelErrors. */
export function toModelError(err: unknown, ctx: ErrorContext): ModelError {
  if (err instanceof ModelError) return err;
  const where = displayURL(ctx.baseURL);

  // Our own aborts first: the SDK reports them all as APIUserAbortError (or ends the stream quietly).
  if (ctx.abortReason === 'deadline' && ctx.deadlineMs !== undefined) return deadlineError({ baseURL: ctx.baseURL, deadlineMs: ctx.deadlineMs }, err);
  if (ctx.abortReason === 'timeout') return timeoutError(ctx, err);
  if (ctx.abortReason === 'caller' || ctx.abortReason === 'consumer') return cancelledError(err);
  if (err instanceof APIUserAbortError || isAbortLike(err)) return cancelledError(err);

  if (err instanceof APIConnectionTimeoutError) return timeoutError(ctx, err);
  if (err instanceof APIConnectionError) {
    return make('unreachable', `Cannot reach the model server at ${where}.`, { cause: err });
  }

  if (err instanceof APIError) {
    // `instanceof` narrows to APIError<any, any, any>: give the fields their declared types back.
    const status = err.status as number | undefined;
    const detail = { status, cause: err, retryAfterMs: retryAfterMs(err.headers as Headers | undefined) };
    if (err instanceof AuthenticationError || err instanceof PermissionDeniedError || status === 401 || status === 403) {
      return make(
        'unauthorised',
        status === 403
          ? `The model server at ${where} refused access with this API key.`
          : `The model server at ${where} rejected the API key.`,
        detail,
      );
    }
    if (err instanceof NotFoundError || status === 404) {
      const model = ctx.model ? `Model "${ctx.model}"` : 'The requested resource';
      return make('notFound', `${model} was not found on the model server at ${where}.`, detail);
    }
    if (status === 503 && isLoadingModel(err)) return loadingError(ctx.baseURL, status, err);
    const exceeded = contextExceeded(err);
    if (exceeded) {
      const { promptTokens, contextTokens } = exceeded;
      const sizes =
        promptTokens !== undefined && contextTokens !== undefined
          ? `The prompt (${promptTokens} tokens) does not fit the model's context on the server (${contextTokens} tokens)`
          : contextTokens !== undefined
            ? `The prompt does not fit the model's context on the server (${contextTokens} tokens)`
            : "The prompt does not fit the model's context on the server";
      return make('server', `${sizes}: select less code, or give the server a larger context.`, {
        ...detail,
        reason: 'contextExceeded',
        promptTokens,
        contextTokens,
      });
    }
    if (refusesSuffix(err)) {
      // llama.cpp (since late 2025) answers HTTP 500 "Unsupported param: suffix" on /v1/completions.
      return new ModelError(
        'server',
        `The model server at ${where} does not take a suffix on /v1/completions (llama.cpp refuses it): set redline.completion.mode to "infill" (llama.cpp's /infill) or "fim-template".`,
        ['openSettings'],
        { ...detail, reason: 'suffixUnsupported' },
      );
    }
    if (err instanceof RateLimitError || status === 429) {
      return make('rateLimited', `The model server at ${where} is rate limiting requests; try again shortly.`, detail);
    }
    if (status !== undefined && status >= 500) {
      return make('server', `The model server at ${where} failed with HTTP ${status}.`, detail);
    }
    const said = serverMessage(err as APIError);
    if (status !== undefined) {
      // 400/409/422…: the server understood and refused (too long a prompt, unsupported parameter).
      return make(
        'server',
        said
          ? `The model server rejected the request (HTTP ${status}): ${said}.`
          : `The model server rejected the request with HTTP ${status}.`,
        detail,
      );
    }
    // An error event inside an otherwise healthy stream.
    return make('server', said ? `The model server reported an error: ${said}.` : 'The model server reported an error.', detail);
  }

  if (err instanceof SyntaxError) {
    return make('badResponse', 'The model server sent a malformed reply.', { cause: err });
  }
  if (ctx.phase === 'stream') {
    return make('badResponse', 'The model server closed the reply before it was complete.', { cause: err });
  }
  const code = isNetworkCode(err);
  if (code && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH|UND_ERR_SOCKET)$/.test(code)) {
    return make('unreachable', `Cannot reach the model server at ${where}.`, { cause: err });
  }
  return make('badResponse', `The model server at ${where} sent a reply Redline could not use.`, { cause: err });
}

/** llama.cpp's 503 while it loads: `{ error: { message: "Loading model", type: "unavailable_error" } }`. */
function isLoadingModel(err: { error?: unknown; message: string }): boolean {
  const body = err.error as { message?: unknown; type?: unknown } | undefined;
  const message = typeof body?.message === 'string' ? body.message : err.message;
  return /loading model/i.test(message) || (body?.type === 'unavailable_error' && /load/i.test(message));
}

function int(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * A prompt over the context, as the servers say it: llama.cpp (type `exceed_context_size_error`,
 * `n_prompt_tokens`, `n_ctx`, "request (N tokens) exceeds the available context size (M tokens)"),
 * OpenAI and vLLM ("maximum context length is M tokens … resulted in N tokens"), Ollama and others.
 */
export function contextExceeded(err: { error?: unknown }): { promptTokens?: number; contextTokens?: number } | undefined {
  const body = (err.error ?? {}) as { message?: unknown; type?: unknown; code?: unknown; n_prompt_tokens?: unknown; n_ctx?: unknown };
  const message = typeof body.message === 'string' ? body.message : '';
  const typed = body.type === 'exceed_context_size_error' || body.code === 'context_length_exceeded';
  const worded = /exceeds? the (available )?context size|larger than the max context size|maximum context length|context length exceeded|context window/i.test(message);
  if (!typed && !worded) return undefined;
  let promptTokens = int(body.n_prompt_tokens);
  let contextTokens = int(body.n_ctx);
  const llama = /(?:request|input) \((\d+) tokens\).*?context size \((\d+) tokens\)/i.exec(message);
  if (llama) {
    promptTokens ??= Number(llama[1]);
    contextTokens ??= Number(llama[2]);
  }
  const openai = /maximum context length is (\d+) tokens/i.exec(message);
  if (openai) contextTokens ??= Number(openai[1]);
  const resulted = /(?:resulted in|requested|you requested|have) (\d+) tokens/i.exec(message);
  if (resulted) promptTokens ??= Number(resulted[1]);
  return { promptTokens, contextTokens };
}

/** A server that refuses the `suffix` parameter of /v1/completions (llama.cpp: "Unsupported param: suffix"). */
function refusesSuffix(err: { error?: unknown; message?: unknown }): boolean {
  const body = (err.error ?? {}) as { message?: unknown };
  const message = typeof body.message === 'string' ? body.message : typeof err.message === 'string' ? err.message : '';
  return /unsupported param(eter)?:? ['"`]?suffix\b/i.test(message);
}

function isAbortLike(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as { name?: unknown }).name === 'AbortError';
}

/** Whether a failure before the first token may be retried (429, 5xx, connection errors). */
export function isRetryable(error: ModelError): boolean {
  if (error.kind === 'rateLimited' || error.kind === 'unreachable') return true;
  if (error.detail?.reason === 'suffixUnsupported') return false;
  return error.kind === 'server' && (error.detail?.status ?? 0) >= 500;
}

/**
 * Replaces every occurrence of the given secrets (API key, header values) in a string. Used on every
 * log line built from server-controlled text, since servers echo keys back ("Incorrect API key: sk-…").
 */
export function redactor(secrets: Array<string | undefined>): (text: string) => string {
  const values = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  values.sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const value of values) out = out.split(value).join('***');
    return out;
  };
}
