/**
 * Test Connection's probes: a handful of small HTTP requests to the configured server, recorded as
 * plain data (./advice.ts turns them into a report). `fetch` is passed in, so tests run the probes
 * against the scripted server, and nothing here knows about VS Code.
 *
 * The probes: GET /models; a one-token chat; a one-token legacy completion with `suffix`
 * (fill-in-the-middle); llama.cpp's /infill; and the version routes that tell servers apart
 * (Ollama /api/version, vLLM /version, llama.cpp /props, LM Studio /api/v0/models).
 */

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<{
  status: number;
  text(): Promise<string>;
}>;

export interface ProbeInput {
  baseURL: string;
  apiKey?: string;
  headers: Record<string, string>;
  chatModel: string;
  completionModel: string;
  /** Per probe. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** What one HTTP request gave. `status` 0 means no HTTP answer at all. */
export interface HttpOutcome {
  status: number;
  /** The server's error message (OpenAI `{ error: { message } }` or `{ error: "…" }` or plain text), trimmed. */
  message?: string;
  /** Network failure code (ECONNREFUSED, ENOTFOUND, …) or 'timeout'. */
  network?: string;
  /** Parsed JSON body, when it was JSON. */
  json?: unknown;
  ms: number;
}

export interface ProbeResult {
  baseURL: string;
  models: HttpOutcome & { ids?: string[]; ownedBy?: string[] };
  chat?: HttpOutcome & { text?: string };
  completions?: HttpOutcome & { text?: string };
  infill?: HttpOutcome;
  hints: {
    ollamaVersion?: string;
    vllmVersion?: string;
    llamaCppProps?: boolean;
    lmStudio?: boolean;
  };
}

/** The prompt and suffix of the fill-in-the-middle probe. */
export const FIM_PROBE = { prompt: 'def add(a, b):\n    return ', suffix: '\n\nprint(add(1, 2))\n' } as const;

/** The server's root (the base URL without a trailing /v1), where native routes live. */
export function serverRoot(baseURL: string): string {
  return baseURL.replace(/\/+$/, '').replace(/\/v1$/, '');
}

function errorMessage(json: unknown, text: string): string | undefined {
  let raw: unknown;
  if (json && typeof json === 'object') {
    const error = (json as { error?: unknown }).error;
    raw = typeof error === 'string' ? error : error && typeof error === 'object' ? (error as { message?: unknown }).message : (json as { message?: unknown }).message;
  }
  if (typeof raw !== 'string') raw = json === undefined ? text : undefined;
  if (typeof raw !== 'string') return undefined;
  const one = raw.replace(/\s+/g, ' ').trim();
  if (!one) return undefined;
  return one.length > 200 ? `${one.slice(0, 197)}...` : one;
}

const NETWORK_CODE = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNABORTED|EPIPE|CERT_[A-Z_]+|UNABLE_TO_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\b/;

/**
 * The system error code of a failed fetch: on `code`, or on a `cause` / an AggregateError's `errors`
 * (fetch implementations nest them differently), or in a message. 'network' when there is none.
 */
export function networkCode(err: unknown): string {
  const queue: unknown[] = [err];
  for (let seen = 0; queue.length > 0 && seen < 12; seen++) {
    const current = queue.shift();
    if (!current || typeof current !== 'object') continue;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ERR_INVALID_STATE') return code;
    const message = (current as { message?: unknown }).message;
    const named = typeof message === 'string' ? NETWORK_CODE.exec(message) : null;
    if (named) return named[1];
    queue.push((current as { cause?: unknown }).cause);
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return err instanceof Error && err.name === 'AbortError' ? 'timeout' : 'network';
}

export async function probeServer(input: ProbeInput, fetch: FetchLike, now: () => number = () => performance.now()): Promise<ProbeResult> {
  const base = input.baseURL.replace(/\/+$/, '');
  const root = serverRoot(base);
  const headers: Record<string, string> = { ...input.headers, ...(input.apiKey ? { authorization: `Bearer ${input.apiKey}` } : {}) };

  const request = async (method: 'GET' | 'POST', url: string, body?: unknown): Promise<HttpOutcome> => {
    const started = now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), input.timeoutMs);
    const onAbort = () => controller.abort();
    input.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await fetch(url, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: controller.signal,
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      const ms = Math.round(now() - started);
      const ok = res.status >= 200 && res.status < 300;
      return { status: res.status, ms, ...(json !== undefined ? { json } : {}), ...(!ok ? { message: errorMessage(json, text.slice(0, 400)) } : {}) };
    } catch (err) {
      return { status: 0, network: controller.signal.aborted && !input.signal?.aborted ? 'timeout' : networkCode(err), ms: Math.round(now() - started) };
    } finally {
      clearTimeout(timer);
      input.signal?.removeEventListener('abort', onAbort);
    }
  };

  const modelsOutcome = await request('GET', `${base}/models`);
  const models: ProbeResult['models'] = { ...modelsOutcome };
  if (modelsOutcome.status === 200) {
    const data = (modelsOutcome.json as { data?: unknown } | undefined)?.data;
    const list = Array.isArray(data) ? data.filter((m): m is { id: string; owned_by?: unknown } => !!m && typeof (m as { id?: unknown }).id === 'string') : [];
    models.ids = list.map((m) => m.id);
    models.ownedBy = [...new Set(list.map((m) => (typeof m.owned_by === 'string' ? m.owned_by : '')).filter(Boolean))];
  }
  delete models.json;
  const result: ProbeResult = { baseURL: base, models, hints: {} };
  // No HTTP answer at all: every other probe would fail the same way.
  if (modelsOutcome.status === 0) return result;

  const chat = await request('POST', `${base}/chat/completions`, {
    model: input.chatModel,
    messages: [{ role: 'user', content: 'Reply with the single word OK.' }],
    max_tokens: 1,
    temperature: 0,
    stream: false,
  });
  result.chat = { ...withoutJson(chat), ...textOf(chat, 'chat') };

  const completions = await request('POST', `${base}/completions`, {
    model: input.completionModel,
    prompt: FIM_PROBE.prompt,
    suffix: FIM_PROBE.suffix,
    max_tokens: 1,
    temperature: 0,
    stream: false,
  });
  result.completions = { ...withoutJson(completions), ...textOf(completions, 'completion') };

  result.infill = withoutJson(
    await request('POST', `${root}/infill`, { input_prefix: FIM_PROBE.prompt, input_suffix: FIM_PROBE.suffix, n_predict: 1, prompt: '' }),
  );

  const ollama = await request('GET', `${root}/api/version`);
  const version = (ollama.json as { version?: unknown } | undefined)?.version;
  if (ollama.status === 200 && typeof version === 'string') result.hints.ollamaVersion = version;
  if (!result.hints.ollamaVersion) {
    const vllm = await request('GET', `${root}/version`);
    const v = (vllm.json as { version?: unknown } | undefined)?.version;
    if (vllm.status === 200 && typeof v === 'string') result.hints.vllmVersion = v;
    const props = await request('GET', `${root}/props`);
    const p = props.json as Record<string, unknown> | undefined;
    if (props.status === 200 && p && typeof p === 'object' && ('default_generation_settings' in p || 'build_info' in p || 'total_slots' in p)) result.hints.llamaCppProps = true;
    const lms = await request('GET', `${root}/api/v0/models`);
    if (lms.status === 200 && Array.isArray((lms.json as { data?: unknown } | undefined)?.data)) result.hints.lmStudio = true;
  }
  return result;
}

function withoutJson(o: HttpOutcome): HttpOutcome {
  const { json: _json, ...rest } = o;
  return rest;
}

function textOf(o: HttpOutcome, kind: 'chat' | 'completion'): { text?: string } {
  if (o.status !== 200 || !o.json || typeof o.json !== 'object') return {};
  const choice = (o.json as { choices?: unknown }).choices;
  const first = Array.isArray(choice) ? (choice[0] as Record<string, unknown> | undefined) : undefined;
  if (!first) return {};
  const text = kind === 'chat' ? (first.message as { content?: unknown } | undefined)?.content : first.text;
  return typeof text === 'string' ? { text } : {};
}
