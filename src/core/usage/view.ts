/**
 * The Usage view's data and message protocol, as plain data. The extension builds UsageViewData from
 * the ledger (all three periods at once, with chart geometry); media/usage.js only draws it, with
 * textContent and SVG elements, never HTML strings. What the webview sends back is validated here.
 */
import { bars, PERIODS, summarise, type Bar, type Period, type PeriodSummary } from './aggregate';
import { pricingSet, type Ledger, type Pricing } from './ledger';

export const CHART = { width: 300, height: 60 } as const;

export interface PeriodCharts {
  /** Requests per day (one bar per day of the period; per hour for today). */
  requests: Bar[];
  /** Tokens per day (per hour: none, hours carry only requests). */
  tokens: Bar[];
  /** Inline suggestions' requests per hour of the day. */
  completionHours: Bar[];
}

export interface UsageViewData {
  generatedAt: string;
  pricing: { priced: boolean; currency: string; inputPerMillion: number; outputPerMillion: number };
  periods: PeriodSummary[];
  charts: Record<Period, PeriodCharts>;
}

export type UsageToWebview = { type: 'data'; data: UsageViewData };
export type UsageFromWebview = { type: 'ready' } | { type: 'reset' } | { type: 'openSettings' };

export function buildUsageView(ledger: Ledger, pricing: Pricing, now: Date): UsageViewData {
  const periods = PERIODS.map((p) => summarise(ledger, now, p));
  const charts = {} as Record<Period, PeriodCharts>;
  for (const s of periods) {
    const hoursChart = bars(s.completion.hours, CHART.width, CHART.height);
    charts[s.period] = {
      requests: bars(s.period === 'today' ? s.hours : s.days.map((d) => d.requests), CHART.width, CHART.height),
      tokens: bars(s.days.map((d) => d.tokens), CHART.width, CHART.height),
      completionHours: hoursChart,
    };
  }
  return {
    generatedAt: now.toISOString(),
    pricing: { priced: pricingSet(pricing), currency: pricing.currency, inputPerMillion: pricing.inputPerMillion, outputPerMillion: pricing.outputPerMillion },
    periods,
    charts,
  };
}

export function parseUsageMessage(raw: unknown): UsageFromWebview | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const type = (raw as { type?: unknown }).type;
  return type === 'ready' || type === 'reset' || type === 'openSettings' ? { type } : undefined;
}
