export interface RetryOptions {
  attempts: number;
  backoffMs: number;
}

/** Calls fn until it resolves or the attempts run out, waiting backoffMs × attempt between tries. */
export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      return await fn();
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, options.backoffMs * attempt));
    }
  }
  throw lastError;
}
