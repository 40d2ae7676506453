/**
 * What the Usage view and the status bar show, computed from the ledger: totals per feature group and
 * per model for today, the last 7 days and the last 30 days, latency percentiles, cost, a daily series
 * for the charts, and the inline suggestions' request rate and cache hits. Pure functions of the
 * ledger and "now".
 */
import { type Bucket, dayKey, dayKeyBefore, LATENCY_BOUNDS_MS, type Ledger } from './ledger';

export type Period = 'today' | '7d' | '30d';
export const PERIODS: readonly Period[] = ['today', '7d', '30d'];
export const PERIOD_DAYS: Record<Period, number> = { today: 1, '7d': 7, '30d': 30 };
export const PERIOD_LABELS: Record<Period, string> = { today: 'Today', '7d': 'Last 7 days', '30d': 'Last 30 days' };

/** The features as users know them. */
export type FeatureGroup = 'edit' | 'actions' | 'explain' | 'completion' | 'other';
export const FEATURE_GROUPS: readonly FeatureGroup[] = ['edit', 'actions', 'explain', 'completion', 'other'];
export const FEATURE_LABELS: Record<FeatureGroup, string> = {
  edit: 'Edit Selection',
  actions: 'Actions',
  explain: 'Explain',
  completion: 'Inline suggestions',
  other: 'Other',
};

/** The group of a request's `feature` tag ("edit", "action.fix", "explain", "completion", …). */
export function featureGroup(feature: string): FeatureGroup {
  if (feature === 'edit') return 'edit';
  if (feature.startsWith('action.')) return 'actions';
  if (feature === 'explain' || feature.startsWith('explain.')) return 'explain';
  if (feature === 'completion' || feature.startsWith('completion.')) return 'completion';
  return 'other';
}

export interface Row {
  key: string;
  label: string;
  requests: number;
  errors: number;
  /** Errors that never reached a server. */
  unreached: number;
  promptTokens: number;
  completionTokens: number;
  /** Requests whose tokens are estimates (the server reported no usage). */
  estimated: number;
  cacheHits: number;
  ttftP50?: number;
  ttftP95?: number;
  totalP50?: number;
  totalP95?: number;
  cost: Record<string, number>;
}

export interface DayPoint {
  day: string;
  requests: number;
  errors: number;
  tokens: number;
  cost: number;
}

export interface CompletionRate {
  requests: number;
  cacheHits: number;
  /** Share of suggestions served from the cache (hits / (hits + requests)); undefined with neither. */
  cacheHitRate?: number;
  /** Requests per hour over the hours in which any request was sent. */
  perActiveHour?: number;
  /** The busiest hour's requests. */
  peakHour?: { hour: number; requests: number };
  /** Requests per hour of the day (0–23), summed over the period. */
  hours: number[];
}

export interface PeriodSummary {
  period: Period;
  label: string;
  from: string;
  to: string;
  total: Row;
  features: Row[];
  models: Row[];
  days: DayPoint[];
  /** Requests of every feature per hour of the day (0–23), summed over the period. */
  hours: number[];
  completion: CompletionRate;
}

interface Acc {
  row: Row;
  ttft: number[];
  total: number[];
}

function acc(key: string, label: string): Acc {
  const bins = LATENCY_BOUNDS_MS.length + 1;
  return {
    row: { key, label, requests: 0, errors: 0, unreached: 0, promptTokens: 0, completionTokens: 0, estimated: 0, cacheHits: 0, cost: {} },
    ttft: new Array<number>(bins).fill(0),
    total: new Array<number>(bins).fill(0),
  };
}

function add(a: Acc, b: Bucket): void {
  const r = a.row;
  r.requests += b.requests;
  r.errors += b.errors;
  r.unreached += b.unreached;
  r.promptTokens += b.promptTokens;
  r.completionTokens += b.completionTokens;
  r.estimated += b.estimated;
  r.cacheHits += b.cacheHits;
  for (const [currency, v] of Object.entries(b.cost)) r.cost[currency] = (r.cost[currency] ?? 0) + v;
  b.ttft.forEach((n, i) => (a.ttft[i] += n));
  b.total.forEach((n, i) => (a.total[i] += n));
}

/**
 * The p-th percentile (0 < p ≤ 100) of a latency histogram: the upper bound of the bin holding the
 * rank (nearest-rank method); the overflow bin reports the last bound. undefined when it is empty.
 */
export function percentile(histogram: readonly number[], p: number): number | undefined {
  const n = histogram.reduce((s, c) => s + c, 0);
  if (n === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i];
    if (seen >= rank) return LATENCY_BOUNDS_MS[Math.min(i, LATENCY_BOUNDS_MS.length - 1)];
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
}

function finish(a: Acc): Row {
  const row = a.row;
  const set = (key: 'ttftP50' | 'ttftP95' | 'totalP50' | 'totalP95', v: number | undefined) => {
    if (v !== undefined) row[key] = v;
  };
  set('ttftP50', percentile(a.ttft, 50));
  set('ttftP95', percentile(a.ttft, 95));
  set('totalP50', percentile(a.total, 50));
  set('totalP95', percentile(a.total, 95));
  return row;
}

function sumCost(cost: Record<string, number>): number {
  return Object.values(cost).reduce((s, v) => s + v, 0);
}

/** Buckets of the period ending today (inclusive). */
function inPeriod(ledger: Ledger, now: Date, period: Period): { buckets: Bucket[]; from: string; to: string } {
  const to = dayKey(now);
  const from = dayKeyBefore(now, PERIOD_DAYS[period] - 1);
  return { buckets: ledger.buckets.filter((b) => b.day >= from && b.day <= to), from, to };
}

export function summarise(ledger: Ledger, now: Date, period: Period): PeriodSummary {
  const { buckets, from, to } = inPeriod(ledger, now, period);
  const total = acc('total', 'All features');
  const features = new Map<FeatureGroup, Acc>();
  const models = new Map<string, Acc>();
  const hours = new Array<number>(24).fill(0);
  const allHours = new Array<number>(24).fill(0);
  let completionRequests = 0;
  let completionHits = 0;
  for (const b of buckets) {
    add(total, b);
    b.hours.forEach((n, h) => (allHours[h] += n));
    const group = featureGroup(b.feature);
    if (!features.has(group)) features.set(group, acc(group, FEATURE_LABELS[group]));
    add(features.get(group)!, b);
    if (b.requests > 0 || b.cacheHits > 0) {
      if (!models.has(b.model)) models.set(b.model, acc(b.model, b.model));
      add(models.get(b.model)!, b);
    }
    if (group === 'completion') {
      completionRequests += b.requests;
      completionHits += b.cacheHits;
      b.hours.forEach((n, h) => (hours[h] += n));
    }
  }

  const dayCount = PERIOD_DAYS[period];
  const days: DayPoint[] = [];
  for (let i = dayCount - 1; i >= 0; i--) {
    const day = dayKeyBefore(now, i);
    const point: DayPoint = { day, requests: 0, errors: 0, tokens: 0, cost: 0 };
    for (const b of buckets) {
      if (b.day !== day) continue;
      point.requests += b.requests;
      point.errors += b.errors;
      point.tokens += b.promptTokens + b.completionTokens;
      point.cost += sumCost(b.cost);
    }
    days.push(point);
  }

  const activeHours = dayActiveHours(buckets);
  let peak: { hour: number; requests: number } | undefined;
  hours.forEach((n, hour) => {
    if (n > 0 && (!peak || n > peak.requests)) peak = { hour, requests: n };
  });
  const completion: CompletionRate = {
    requests: completionRequests,
    cacheHits: completionHits,
    hours,
    ...(completionRequests + completionHits > 0 ? { cacheHitRate: completionHits / (completionHits + completionRequests) } : {}),
    ...(activeHours > 0 && completionRequests > 0 ? { perActiveHour: completionRequests / activeHours } : {}),
    ...(peak ? { peakHour: peak } : {}),
  };

  const byRequests = (a: Row, b: Row) => b.requests - a.requests || a.label.localeCompare(b.label);
  return {
    period,
    label: PERIOD_LABELS[period],
    from,
    to,
    total: finish(total),
    features: FEATURE_GROUPS.filter((g) => features.has(g)).map((g) => finish(features.get(g)!)),
    models: [...models.values()].map(finish).sort(byRequests),
    days,
    hours: allHours,
    completion,
  };
}

/** Distinct (day, hour) pairs in which inline suggestions sent a request. */
function dayActiveHours(buckets: Bucket[]): number {
  const active = new Set<string>();
  for (const b of buckets) {
    if (featureGroup(b.feature) !== 'completion') continue;
    b.hours.forEach((n, h) => {
      if (n > 0) active.add(`${b.day}:${h}`);
    });
  }
  return active.size;
}

/** Today's totals for the status bar. */
export function today(ledger: Ledger, now: Date): Row {
  return summarise(ledger, now, 'today').total;
}

/** Bars of a small chart: x, y, width, height in a `width`×`height` box, one per value, tallest = full height. */
export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  value: number;
}

export function bars(values: readonly number[], width: number, height: number, gap = 2): Bar[] {
  if (values.length === 0) return [];
  const max = Math.max(0, ...values);
  const slot = width / values.length;
  const w = Math.max(1, slot - gap);
  return values.map((value, i) => {
    const h = max > 0 ? Math.round((Math.max(0, value) / max) * height * 100) / 100 : 0;
    // A non-zero value is never drawn invisible.
    const shown = value > 0 ? Math.max(h, 1) : 0;
    return { x: Math.round(i * slot * 100) / 100, y: Math.round((height - shown) * 100) / 100, width: Math.round(w * 100) / 100, height: shown, value };
  });
}
