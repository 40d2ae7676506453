/**
 * When to ask the model: a pure state machine per document, no timers and no I/O. The engine feeds it
 * events (a provider call, a request started, streamed text, a request ended, a suggestion shown) and
 * carries out its decisions (reuse a suggestion, follow the request in flight, or debounce then send
 * a new one, aborting the old one at once).
 *
 * Typed-through: when the user types characters that match the suggestion on screen, or the one still
 * streaming, no request is sent: the suggestion is trimmed and kept.
 */

export interface Cursor {
  /** All text before the cursor. */
  prefix: string;
  /** All text after the cursor. */
  suffix: string;
}

/** A suggestion anchored where it was made. */
export interface Anchored extends Cursor {
  text: string;
}

export interface FlightState extends Cursor {
  id: number;
  /** Cleaned text streamed so far. */
  partial: string;
  /** Whether the request still runs. */
  running: boolean;
}

export type Decision =
  /** Typed through the suggestion on screen: show `text` (what is left of it), send nothing. */
  | { kind: 'reuse'; text: string }
  /** Typed through the request still streaming: wait for it and trim `typed` off its text. */
  | { kind: 'follow'; flightId: number; typed: string }
  /** Debounce for `delayMs`, then build the prompt and send (or take it from the cache). */
  | { kind: 'request'; delayMs: number; abortFlightId?: number };

export interface PolicyOptions {
  debounceMs: number;
  /** Reuse and follow (off for the plain-debounce baseline in the benchmark). */
  typedThrough: boolean;
}

/** Characters the editor inserts after the cursor by itself (auto-closing). */
const AUTO_CLOSED = /^[)\]}>"'`]*$/;

/**
 * What the user typed since `anchor`, if the cursor is the anchor plus typing at the same place: the
 * prefix grew by the typed text and the text after the cursor is the same (or gained auto-closed
 * brackets and quotes).
 */
export function typedSince(anchor: Cursor, cursor: Cursor): string | undefined {
  if (cursor.prefix.length < anchor.prefix.length || !cursor.prefix.startsWith(anchor.prefix)) return undefined;
  if (cursor.suffix !== anchor.suffix) {
    if (!cursor.suffix.endsWith(anchor.suffix)) return undefined;
    if (!AUTO_CLOSED.test(cursor.suffix.slice(0, cursor.suffix.length - anchor.suffix.length))) return undefined;
  }
  return cursor.prefix.slice(anchor.prefix.length);
}

/**
 * What is left of `text` after the user typed `typed`, dropping from its end what auto-closing already
 * put after the cursor; undefined when the typing does not match.
 */
export function remainderAfterTyping(text: string, typed: string, anchor: Cursor, cursor: Cursor): string | undefined {
  if (!text.startsWith(typed)) return undefined;
  let rest = text.slice(typed.length);
  const autoClosed = cursor.suffix.slice(0, cursor.suffix.length - anchor.suffix.length);
  if (autoClosed && rest.endsWith(autoClosed)) rest = rest.slice(0, rest.length - autoClosed.length);
  return rest;
}

interface DocState {
  shown?: Anchored;
  flight?: FlightState;
}

export class RequestPolicy {
  private readonly docs = new Map<string, DocState>();

  constructor(private options: PolicyOptions) {}

  setOptions(options: PolicyOptions): void {
    this.options = options;
  }

  private doc(key: string): DocState {
    let d = this.docs.get(key);
    if (!d) {
      d = {};
      this.docs.set(key, d);
    }
    return d;
  }

  /** A provider call at `cursor` in document `key`. */
  decide(key: string, cursor: Cursor): Decision {
    const d = this.doc(key);
    if (this.options.typedThrough && d.shown) {
      const typed = typedSince(d.shown, cursor);
      const rest = typed === undefined ? undefined : remainderAfterTyping(d.shown.text, typed, d.shown, cursor);
      if (rest !== undefined && rest.trim() !== '') {
        d.shown = { ...cursor, text: rest };
        return { kind: 'reuse', text: rest };
      }
    }
    const flight = d.flight;
    if (this.options.typedThrough && flight?.running) {
      const typed = typedSince(flight, cursor);
      if (typed !== undefined && (flight.partial.startsWith(typed) || typed.startsWith(flight.partial))) {
        return { kind: 'follow', flightId: flight.id, typed };
      }
    }
    d.shown = undefined;
    const abortFlightId = flight?.running ? flight.id : undefined;
    if (abortFlightId !== undefined) d.flight = undefined;
    return { kind: 'request', delayMs: this.options.debounceMs, abortFlightId };
  }

  /** A request was sent for `cursor`; it replaces any earlier one in this document. */
  started(key: string, id: number, cursor: Cursor): void {
    this.doc(key).flight = { id, prefix: cursor.prefix, suffix: cursor.suffix, partial: '', running: true };
  }

  /** Cleaned text streamed so far for request `id`. */
  progress(key: string, id: number, partial: string): void {
    const f = this.docs.get(key)?.flight;
    if (f && f.id === id) f.partial = partial;
  }

  /** Request `id` ended (completed, stopped early, failed or aborted). */
  ended(key: string, id: number): void {
    const d = this.docs.get(key);
    if (d?.flight && d.flight.id === id) d.flight = undefined;
  }

  /** Would a follower that typed `typed` still match request `id`'s text so far? */
  stillMatches(key: string, id: number, typed: string): boolean {
    const f = this.docs.get(key)?.flight;
    if (!f || f.id !== id) return false;
    return f.partial.startsWith(typed) || typed.startsWith(f.partial);
  }

  /** A suggestion was shown at `cursor` (empty text: nothing shown). */
  shown(key: string, cursor: Cursor, text: string): void {
    this.doc(key).shown = text ? { ...cursor, text } : undefined;
  }

  /** The id of the request running in this document, if any. */
  running(key: string): number | undefined {
    const f = this.docs.get(key)?.flight;
    return f?.running ? f.id : undefined;
  }

  /** The document was closed. Returns the request to abort, if one runs. */
  forget(key: string): number | undefined {
    const id = this.running(key);
    this.docs.delete(key);
    return id;
  }
}

/** A small LRU map: `get` refreshes an entry, `set` evicts the least recently used past `capacity`. */
export class LruCache<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}
