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
export type AbortReason = 'caller' | 'timeout' | 'consumer';

export interface ErrorContext {
  baseURL: string;
  model?: string;
  timeoutMs: number;
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

function make(kind: ModelErrorKind, message: string, detail?: ModelError['detail']): ModelError {
  return new ModelError(kind, message, [...NEXT_STEPS[kind]], detail);
}

export function cancelledError(cause?: unknown): ModelError {
  return make('cancelled', 'The request was cancelled.', { cause });
}

export function timeoutError(ctx: Pick<ErrorContext, 'baseURL' | 'timeoutMs'>, cause?: unknown): ModelError {
  const seconds = Math.max(1, Math.round(ctx.timeoutMs / 1000));
  return make(
    'timeout',
    `The model server at ${displayURL(ctx.baseURL)} did not answer within ${seconds} second${seconds === 1 ? '' : 's'}.`,
    { cause },
  );
}

export function emptyReplyError(): ModelError {
  return make('badResponse', 'The model server sent an empty reply.');
}

/** A 429 whose requested wait is longer than Redline is willing to sleep. */
export function rateLimitedWaitError(retryAfterMs: number, status: number, cause?: unknown): ModelError {
  const seconds = Math.ceil(retryAfterMs / 1000);
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

function isAbortLike(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as { name?: unknown }).name === 'AbortError';
}

/** Whether a failure before the first token may be retried (429, 5xx, connection errors). */
export function isRetryable(error: ModelError): boolean {
  if (error.kind === 'rateLimited' || error.kind === 'unreachable') return true;
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
