/**
 * Tokens, latency and estimated cost per feature and per day, as plain data. The editor keeps one
 * ledger in global state and shows today's totals in the status bar.
 */
import type { RequestEvent } from '../model/types';

export interface FeatureUsage {
  requests: number;
  failures: number;
  promptTokens: number;
  completionTokens: number;
  totalMs: number;
}

export interface DayUsage {
  day: string; // YYYY-MM-DD, local time
  features: Record<string, FeatureUsage>;
}

export interface Pricing {
  /** Price per million prompt tokens, in the user's currency. 0 for local models. */
  inputPerMillion: number;
  outputPerMillion: number;
}

export function dayKey(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function record(usage: DayUsage | undefined, event: RequestEvent, now: Date): DayUsage {
  const day = dayKey(now);
  const base: DayUsage = usage && usage.day === day ? usage : { day, features: {} };
  const prev = base.features[event.feature] ?? { requests: 0, failures: 0, promptTokens: 0, completionTokens: 0, totalMs: 0 };
  const next: FeatureUsage = {
    requests: prev.requests + 1,
    failures: prev.failures + (event.outcome === 'ok' || event.outcome === 'cancelled' ? 0 : 1),
    promptTokens: prev.promptTokens + event.promptTokens,
    completionTokens: prev.completionTokens + event.completionTokens,
    totalMs: prev.totalMs + event.totalMs,
  };
  return { day, features: { ...base.features, [event.feature]: next } };
}

export function totals(usage: DayUsage | undefined): FeatureUsage {
  const t: FeatureUsage = { requests: 0, failures: 0, promptTokens: 0, completionTokens: 0, totalMs: 0 };
  for (const f of Object.values(usage?.features ?? {})) {
    t.requests += f.requests;
    t.failures += f.failures;
    t.promptTokens += f.promptTokens;
    t.completionTokens += f.completionTokens;
    t.totalMs += f.totalMs;
  }
  return t;
}

export function cost(t: Pick<FeatureUsage, 'promptTokens' | 'completionTokens'>, pricing: Pricing): number {
  return (t.promptTokens * pricing.inputPerMillion + t.completionTokens * pricing.outputPerMillion) / 1_000_000;
}

export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}
