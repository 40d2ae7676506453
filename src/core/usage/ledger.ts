/**
 * The usage ledger: requests, errors, tokens, latency and estimated cost per day, feature and model,
 * as plain data. The editor keeps one ledger in global state; the status bar shows today's totals and
 * the Usage view its aggregates (./aggregate.ts).
 *
 * Bounded by construction: one bucket per (day, feature, model), latencies as fixed-bin histograms,
 * days older than RETENTION_DAYS dropped and at most MAX_BUCKETS kept, so the stored size never grows
 * with the number of requests.
 */
import type { RequestEvent } from '../model/types';

export const LEDGER_VERSION = 1;
/** Days kept (the view's longest period is 30 days). */
export const RETENTION_DAYS = 31;
/** Most (day, feature, model) buckets kept; the oldest go first. */
export const MAX_BUCKETS = 1000;
/** Longest model or feature name stored (longer ones are cut). */
export const MAX_NAME_LENGTH = 80;

/**
 * Upper bounds (ms) of the latency histogram's bins; a last bin holds everything slower. Percentiles
 * read from it are the upper bound of the bin the rank falls in: a value is never reported faster
 * than it was.
 */
export const LATENCY_BOUNDS_MS: readonly number[] = [
  50, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 4000, 5000, 7500, 10_000, 15_000, 20_000, 30_000, 60_000,
];

export interface Pricing {
  /** Price per million prompt tokens, in `currency`. 0 for local models. */
  inputPerMillion: number;
  outputPerMillion: number;
  /** e.g. "USD", "EUR", "€". */
  currency: string;
}

export interface Bucket {
  day: string; // YYYY-MM-DD, local time
  feature: string;
  model: string;
  requests: number;
  /** Requests that failed (any outcome but ok or cancelled). */
  errors: number;
  /** Failed requests that never got an answer from a server (refused connection, unknown host). */
  unreached: number;
  cancelled: number;
  promptTokens: number;
  completionTokens: number;
  /** Requests whose tokens were estimated because the server reported no usage. */
  estimated: number;
  /** Histogram counts over LATENCY_BOUNDS_MS (+1 overflow bin), of requests that got a first token. */
  ttft: number[];
  /** Histogram of total request time, of requests that did not fail. */
  total: number[];
  /** Estimated cost per currency, priced when the request was made. */
  cost: Record<string, number>;
  /** Suggestions served from the cache (no request sent). */
  cacheHits: number;
  /** Requests per hour of the day (0–23, local time). */
  hours: number[];
}

export interface Ledger {
  version: typeof LEDGER_VERSION;
  buckets: Bucket[];
}

export function emptyLedger(): Ledger {
  return { version: LEDGER_VERSION, buckets: [] };
}

export function dayKey(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The day `days` before `date` (local calendar days). */
export function dayKeyBefore(date: Date, days: number): string {
  const d = new Date(date.getFullYear(), date.getMonth(), date.getDate() - days, 12);
  return dayKey(d);
}

function emptyHistogram(): number[] {
  return new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
}

export function binOf(ms: number): number {
  const i = LATENCY_BOUNDS_MS.findIndex((bound) => ms <= bound);
  return i < 0 ? LATENCY_BOUNDS_MS.length : i;
}

function clip(name: string): string {
  const s = String(name || '(unknown)');
  return s.length > MAX_NAME_LENGTH ? s.slice(0, MAX_NAME_LENGTH) : s;
}

function emptyBucket(day: string, feature: string, model: string): Bucket {
  return {
    day,
    feature,
    model,
    requests: 0,
    errors: 0,
    unreached: 0,
    cancelled: 0,
    promptTokens: 0,
    completionTokens: 0,
    estimated: 0,
    ttft: emptyHistogram(),
    total: emptyHistogram(),
    cost: {},
    cacheHits: 0,
    hours: new Array<number>(24).fill(0),
  };
}

/** The request never reached a model: nothing was processed, so no tokens are counted for it. */
export function neverReachedModel(event: RequestEvent): boolean {
  if (event.outcome === 'ok' || event.outcome === 'cancelled') return false;
  if (event.outcome === 'unreachable') return true;
  // Refused before any token (401, 404, 429, 5xx, timeout before the first token) and the server
  // reported no usage: the prompt was never processed, and the estimate would be a made-up charge.
  return event.timeToFirstTokenMs === undefined && event.usageEstimated;
}

export function costOf(promptTokens: number, completionTokens: number, pricing: Pricing): number {
  return (promptTokens * pricing.inputPerMillion + completionTokens * pricing.outputPerMillion) / 1_000_000;
}

export function pricingSet(pricing: Pricing): boolean {
  return pricing.inputPerMillion > 0 || pricing.outputPerMillion > 0;
}

/** Applies `change` to the (day, feature, model) bucket, creating it, then bounds the ledger. */
function withBucket(ledger: Ledger, now: Date, feature: string, model: string, change: (b: Bucket) => void): Ledger {
  const day = dayKey(now);
  const f = clip(feature);
  const m = clip(model);
  let found = false;
  const buckets = ledger.buckets.map((b) => {
    if (b.day !== day || b.feature !== f || b.model !== m) return b;
    found = true;
    const copy: Bucket = { ...b, ttft: [...b.ttft], total: [...b.total], cost: { ...b.cost }, hours: [...b.hours] };
    change(copy);
    return copy;
  });
  if (!found) {
    const fresh = emptyBucket(day, f, m);
    change(fresh);
    buckets.push(fresh);
  }
  return prune({ version: LEDGER_VERSION, buckets }, now);
}

/** Records one finished request (the model client's observer). */
export function recordRequest(ledger: Ledger, event: RequestEvent, pricing: Pricing, now: Date): Ledger {
  return withBucket(ledger, now, event.feature, event.model, (b) => {
    b.requests++;
    b.hours[now.getHours()]++;
    if (event.outcome === 'cancelled') b.cancelled++;
    const failed = event.outcome !== 'ok' && event.outcome !== 'cancelled';
    if (failed) b.errors++;
    if (neverReachedModel(event)) {
      if (event.outcome === 'unreachable') b.unreached++;
      return;
    }
    const prompt = Math.max(0, Math.round(event.promptTokens) || 0);
    const completion = Math.max(0, Math.round(event.completionTokens) || 0);
    b.promptTokens += prompt;
    b.completionTokens += completion;
    if (event.usageEstimated) b.estimated++;
    if (event.timeToFirstTokenMs !== undefined) b.ttft[binOf(event.timeToFirstTokenMs)]++;
    if (!failed) b.total[binOf(event.totalMs)]++;
    const price = costOf(prompt, completion, pricing);
    if (price > 0) {
      const currency = pricing.currency.trim() || 'USD';
      b.cost[currency] = (b.cost[currency] ?? 0) + price;
    }
  });
}

/** Records a suggestion answered from the cache, without a request. */
export function recordCacheHit(ledger: Ledger, feature: string, model: string, now: Date): Ledger {
  return withBucket(ledger, now, feature, model, (b) => {
    b.cacheHits++;
  });
}

/** Drops days outside the retention window, then the oldest buckets beyond MAX_BUCKETS. */
export function prune(ledger: Ledger, now: Date): Ledger {
  const oldest = dayKeyBefore(now, RETENTION_DAYS - 1);
  let buckets = ledger.buckets.filter((b) => b.day >= oldest);
  if (buckets.length > MAX_BUCKETS) {
    buckets = [...buckets].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0)).slice(buckets.length - MAX_BUCKETS);
  }
  return buckets === ledger.buckets ? ledger : { version: LEDGER_VERSION, buckets };
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function histogram(v: unknown): number[] {
  const h = emptyHistogram();
  if (Array.isArray(v) && v.length === h.length && v.every(isCount)) return v.map((n) => Math.floor(n));
  return h;
}

/** Reads what global state holds; anything malformed (an older shape, a hand edit) is dropped, never thrown. */
export function parseLedger(raw: unknown): Ledger {
  if (!raw || typeof raw !== 'object') return emptyLedger();
  const list = (raw as { buckets?: unknown }).buckets;
  if ((raw as { version?: unknown }).version !== LEDGER_VERSION || !Array.isArray(list)) return emptyLedger();
  const buckets: Bucket[] = [];
  for (const item of list.slice(-MAX_BUCKETS)) {
    if (!item || typeof item !== 'object') continue;
    const b = item as Record<string, unknown>;
    if (typeof b.day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(b.day) || typeof b.feature !== 'string' || typeof b.model !== 'string') continue;
    const counts = ['requests', 'errors', 'unreached', 'cancelled', 'promptTokens', 'completionTokens', 'estimated', 'cacheHits'] as const;
    const bucket = emptyBucket(b.day, clip(b.feature), clip(b.model));
    for (const key of counts) bucket[key] = isCount(b[key]) ? b[key] : 0;
    bucket.ttft = histogram(b.ttft);
    bucket.total = histogram(b.total);
    if (Array.isArray(b.hours) && b.hours.length === 24 && b.hours.every(isCount)) bucket.hours = [...(b.hours)];
    if (b.cost && typeof b.cost === 'object') {
      for (const [currency, value] of Object.entries(b.cost as Record<string, unknown>)) {
        if (isCount(value) && currency.length <= 12) bucket.cost[currency] = value;
      }
    }
    buckets.push(bucket);
  }
  return { version: LEDGER_VERSION, buckets };
}

export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** "0.042 USD", "1.20 EUR + 0.10 USD"; "" when nothing was priced. */
export function formatCost(cost: Record<string, number>): string {
  const parts = Object.entries(cost)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([currency, v]) => `${v < 0.01 ? v.toFixed(4) : v < 1 ? v.toFixed(3) : v.toFixed(2)} ${currency}`);
  return parts.join(' + ');
}
