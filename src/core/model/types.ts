/**
 * The contract between Redline and any OpenAI-compatible endpoint. Plain data only: the editor layer
 * builds an EndpointConfig from settings + SecretStorage and hands it in.
 */

export interface EndpointConfig {
  /** e.g. http://localhost:11434/v1 */
  baseURL: string;
  /** From SecretStorage, else OPENAI_API_KEY, else undefined (local servers need none). */
  apiKey?: string;
  /** Extra HTTP headers sent with every request. */
  headers: Record<string, string>;
  /**
   * Idle timeout in milliseconds: how long to wait for the first token, and then between tokens.
   * Only chunks that carry text (or reasoning) count: empty deltas and keep-alives do not reset it.
   */
  timeoutMs: number;
  /**
   * Total deadline per request in milliseconds, from the first attempt to the last token, retries and
   * their waits included. Undefined: no deadline beyond the idle timeout.
   */
  deadlineMs?: number;
  /** Retries for retryable failures (429, 5xx, connection errors). 0 for inline completions. */
  maxRetries: number;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** What a feature asks for. `feature` tags logs and the usage ledger (e.g. "edit", "completion", "explain"). */
export interface ChatRequest {
  feature: string;
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  stop?: string[];
  signal?: AbortSignal;
  /**
   * Reasoning deltas a server sends apart from the content (`reasoning_content` or `reasoning`): never
   * part of the streamed text, handed here as they come (to show that the model is thinking).
   */
  onReasoning?: (delta: string) => void;
}

/**
 * Legacy /v1/completions, used for fill-in-the-middle (with `suffix`) or a FIM-templated prompt.
 * Not every server honours `suffix` (llama.cpp's /v1/completions ignores it: use `streamInfill`).
 */
export interface CompletionRequest {
  feature: string;
  model: string;
  prompt: string;
  suffix?: string;
  temperature?: number;
  maxTokens?: number;
  stop?: string[];
  signal?: AbortSignal;
}

/** A file from elsewhere in the workspace, given to llama.cpp's /infill as `input_extra`. */
export interface InfillExtra {
  filename: string;
  text: string;
}

/**
 * llama.cpp's native fill-in-the-middle endpoint, `POST /infill` at the server's root (the base URL
 * without its `/v1`): the server applies the model's own FIM tokens to `input_prefix`/`input_suffix`
 * and puts `input_extra` before them as repository context.
 */
export interface InfillRequest {
  feature: string;
  model: string;
  prefix: string;
  suffix: string;
  extra?: InfillExtra[];
  temperature?: number;
  maxTokens?: number;
  stop?: string[];
  signal?: AbortSignal;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** True when the server did not report usage and the numbers are estimates. */
  estimated: boolean;
}

export interface ModelResult {
  requestId: string;
  text: string;
  usage: Usage;
  /** The server's finish reason ("stop", "length", …); null when the stream ended without one (cut off). */
  finishReason: string | null;
  /** Reasoning the server sent apart from the content ('' when none). */
  reasoning?: string;
  /** Milliseconds from sending to the first token (undefined when nothing arrived). */
  timeToFirstTokenMs?: number;
  totalMs: number;
}

/**
 * A streamed reply. Iterate it for text deltas (`for await (const delta of stream)`); `result` settles
 * when the stream ends: resolves with the whole text and usage, or rejects with a ModelError.
 * Breaking out of the loop (or aborting the signal) closes the HTTP stream.
 */
export interface ModelStream extends AsyncIterable<string> {
  readonly requestId: string;
  readonly result: Promise<ModelResult>;
}

export type ModelErrorKind =
  | 'unreachable'
  | 'unauthorised'
  | 'rateLimited'
  | 'server'
  | 'timeout'
  | 'badResponse'
  | 'notFound'
  | 'cancelled';

/** The next step a user is offered with an error. The editor layer turns it into a button. */
export type NextStep = 'setApiKey' | 'openSettings' | 'retry' | 'openOutput';

/**
 * Why a request failed, when Redline can tell more than the kind: `loading` (the server is still
 * loading its model, HTTP 503), `contextExceeded` (the prompt does not fit the server's context),
 * `notOpenAI` (the URL answered, but not like an OpenAI-compatible endpoint), `deadline` (the request's
 * total deadline passed), `suffixUnsupported` (the server refuses `suffix` on `/v1/completions`, as
 * llama.cpp's newer servers do: the completion mode must change, a retry cannot help).
 */
export type ModelErrorReason = 'loading' | 'contextExceeded' | 'notOpenAI' | 'deadline' | 'suffixUnsupported';

export interface ModelErrorDetail {
  status?: number;
  retryAfterMs?: number;
  cause?: unknown;
  reason?: ModelErrorReason;
  /** For `contextExceeded`: the prompt's and the context's size in tokens, when the server said. */
  promptTokens?: number;
  contextTokens?: number;
}

export class ModelError extends Error {
  constructor(
    readonly kind: ModelErrorKind,
    /** One sentence a user can act on, no secrets, no stack. */
    readonly userMessage: string,
    readonly nextSteps: NextStep[],
    readonly detail?: ModelErrorDetail,
  ) {
    super(userMessage);
    this.name = 'ModelError';
  }
}

/** Observes every request for logs and the usage ledger. */
export interface RequestObserver {
  (event: RequestEvent): void;
}

export interface RequestEvent {
  requestId: string;
  feature: string;
  model: string;
  outcome: 'ok' | ModelErrorKind;
  promptTokens: number;
  completionTokens: number;
  usageEstimated: boolean;
  timeToFirstTokenMs?: number;
  totalMs: number;
}

export interface ModelClient {
  streamChat(request: ChatRequest): ModelStream;
  streamCompletion(request: CompletionRequest): ModelStream;
  /** llama.cpp's `/infill` (fill-in-the-middle with the model's own FIM tokens). */
  streamInfill(request: InfillRequest): ModelStream;
  /** GET /models: ids, for probing an endpoint and for the model picker. */
  listModels(signal?: AbortSignal): Promise<string[]>;
}
