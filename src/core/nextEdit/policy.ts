/**
 * When to ask for a next edit: a pure state machine per document, no timers and no I/O (time is an
 * input). The engine tells it about edits, wake-ups and requests, and does what it decides.
 *
 * - Debounce: a request waits for a pause of `pauseMs` after the last edit.
 * - Typing fast: while the recent edits come quicker than `fastTypingMs` apart, the pause doubles, so a
 *   burst of typing sends nothing.
 * - One in flight: an edit aborts the request running for the document at once (its answer would be
 *   about text that no longer exists); a new request replaces any older one.
 */

export interface NextEditPolicyOptions {
  pauseMs: number;
  /** Mean gap between the last edits below which the user is typing fast. */
  fastTypingMs: number;
  /** How many recent gaps the mean is taken over. */
  window: number;
}

export const DEFAULT_POLICY_OPTIONS: NextEditPolicyOptions = { pauseMs: 400, fastTypingMs: 120, window: 4 };

export type EditDecision = {
  /** Wake up at this time and ask `wake`. */
  wakeAt: number;
  /** The request to abort now, if one runs. */
  abortFlightId?: number;
};

export type WakeDecision =
  /** Send a request now. */
  | { kind: 'send' }
  /** Not yet: wake again at `at`. */
  | { kind: 'wait'; at: number }
  /** Nothing to do (no edit since the last request, or already sent). */
  | { kind: 'idle' };

interface DocState {
  lastEdit: number;
  gaps: number[];
  /** The edit this wake-up is for has not been asked about yet. */
  pending: boolean;
  flight?: number;
  wakeAt: number;
}

export class NextEditPolicy {
  private readonly docs = new Map<string, DocState>();

  constructor(private options: NextEditPolicyOptions = DEFAULT_POLICY_OPTIONS) {}

  setOptions(options: NextEditPolicyOptions): void {
    this.options = options;
  }

  private delay(d: DocState): number {
    const gaps = d.gaps;
    if (gaps.length >= Math.min(this.options.window, 2)) {
      const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
      if (mean < this.options.fastTypingMs) return this.options.pauseMs * 2;
    }
    return this.options.pauseMs;
  }

  /** The user edited document `key` at `now`. */
  edited(key: string, now: number): EditDecision {
    let d = this.docs.get(key);
    if (!d) {
      d = { lastEdit: now, gaps: [], pending: true, wakeAt: now };
      this.docs.set(key, d);
    } else {
      d.gaps.push(now - d.lastEdit);
      if (d.gaps.length > this.options.window) d.gaps.shift();
      d.lastEdit = now;
      d.pending = true;
    }
    d.wakeAt = now + this.delay(d);
    const abortFlightId = d.flight;
    d.flight = undefined;
    return { wakeAt: d.wakeAt, abortFlightId };
  }

  /** A wake-up for document `key` at `now`. */
  wake(key: string, now: number): WakeDecision {
    const d = this.docs.get(key);
    if (!d || !d.pending) return { kind: 'idle' };
    if (now < d.wakeAt) return { kind: 'wait', at: d.wakeAt };
    d.pending = false;
    return { kind: 'send' };
  }

  /** Request `id` was sent for document `key`. Returns a request it replaces, to abort. */
  started(key: string, id: number): number | undefined {
    const d = this.docs.get(key);
    if (!d) return undefined;
    const previous = d.flight;
    d.flight = id;
    return previous !== id ? previous : undefined;
  }

  /** Request `id` ended (answered, failed or aborted). */
  ended(key: string, id: number): void {
    const d = this.docs.get(key);
    if (d && d.flight === id) d.flight = undefined;
  }

  running(key: string): number | undefined {
    return this.docs.get(key)?.flight;
  }

  /** The document was closed: forget it. Returns the request to abort, if one runs. */
  forget(key: string): number | undefined {
    const id = this.running(key);
    this.docs.delete(key);
    return id;
  }
}
