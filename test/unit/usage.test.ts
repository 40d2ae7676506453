import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { RequestEvent } from '../../src/core/model/types';
import { bars, featureGroup, percentile, summarise, today } from '../../src/core/usage/aggregate';
import {
  binOf,
  dayKey,
  emptyLedger,
  formatCost,
  formatTokens,
  LATENCY_BOUNDS_MS,
  MAX_BUCKETS,
  neverReachedModel,
  parseLedger,
  recordCacheHit,
  recordRequest,
  type Ledger,
  type Pricing,
} from '../../src/core/usage/ledger';

const FREE: Pricing = { inputPerMillion: 0, outputPerMillion: 0, currency: 'USD' };
const PRICED: Pricing = { inputPerMillion: 2, outputPerMillion: 10, currency: 'EUR' };

function event(over: Partial<RequestEvent> = {}): RequestEvent {
  return {
    requestId: 'r',
    feature: 'edit',
    model: 'm',
    outcome: 'ok',
    promptTokens: 100,
    completionTokens: 20,
    usageEstimated: false,
    timeToFirstTokenMs: 120,
    totalMs: 900,
    ...over,
  };
}

describe('usage ledger', () => {
  const now = new Date(2026, 10, 21, 15, 30);

  it('counts a refused connection as an error with no tokens (not "1 requests, 641 prompt tokens")', () => {
    const refused = event({ outcome: 'unreachable', promptTokens: 641, completionTokens: 0, usageEstimated: true, timeToFirstTokenMs: undefined, totalMs: 3 });
    assert.equal(neverReachedModel(refused), true);
    const l = recordRequest(emptyLedger(), refused, PRICED, now);
    const t = today(l, now);
    assert.deepEqual(
      { requests: t.requests, errors: t.errors, unreached: t.unreached, prompt: t.promptTokens, completion: t.completionTokens, cost: t.cost },
      { requests: 1, errors: 1, unreached: 1, prompt: 0, completion: 0, cost: {} },
    );
    assert.equal(t.totalP50, undefined, 'a failure adds no request time');
  });

  it('counts no tokens for a refusal before the first token without server usage (404, 401), but keeps a cut stream\'s tokens', () => {
    assert.equal(neverReachedModel(event({ outcome: 'notFound', usageEstimated: true, timeToFirstTokenMs: undefined })), true);
    assert.equal(neverReachedModel(event({ outcome: 'unauthorised', usageEstimated: true, timeToFirstTokenMs: undefined })), true);
    assert.equal(neverReachedModel(event({ outcome: 'badResponse', usageEstimated: true, timeToFirstTokenMs: 40 })), false, 'tokens streamed before the cut');
    assert.equal(neverReachedModel(event({ outcome: 'server', usageEstimated: false, timeToFirstTokenMs: undefined })), false, 'the server reported usage');
    assert.equal(neverReachedModel(event({ outcome: 'cancelled', usageEstimated: true, timeToFirstTokenMs: undefined })), false);
    assert.equal(neverReachedModel(event()), false);
    const l = recordRequest(emptyLedger(), event({ outcome: 'badResponse', usageEstimated: true, timeToFirstTokenMs: 40 }), FREE, now);
    assert.equal(today(l, now).promptTokens, 100);
    assert.equal(today(l, now).errors, 1);
  });

  it('prices each request when it is made, per currency', () => {
    let l = recordRequest(emptyLedger(), event({ promptTokens: 1_000_000, completionTokens: 100_000 }), PRICED, now);
    l = recordRequest(l, event({ promptTokens: 500_000, completionTokens: 0 }), { inputPerMillion: 1, outputPerMillion: 1, currency: 'USD' }, now);
    l = recordRequest(l, event(), FREE, now);
    const t = today(l, now);
    assert.deepEqual(t.cost, { EUR: 3, USD: 0.5 });
    assert.equal(formatCost(t.cost), '3.00 EUR + 0.500 USD');
    assert.equal(formatCost({ USD: 0.00123 }), '0.0012 USD');
    assert.equal(formatCost({}), '');
  });

  it('aggregates per feature group and per model for today, 7 and 30 days', () => {
    let l: Ledger = emptyLedger();
    const day = (d: number, h = 10) => new Date(2026, 10, d, h, 0);
    l = recordRequest(l, event({ feature: 'edit', model: 'big' }), FREE, day(21));
    l = recordRequest(l, event({ feature: 'action.fix', model: 'big' }), FREE, day(21));
    l = recordRequest(l, event({ feature: 'explain', model: 'big', outcome: 'server', usageEstimated: false }), FREE, day(20));
    l = recordRequest(l, event({ feature: 'completion', model: 'small', promptTokens: 10, completionTokens: 5 }), FREE, day(16));
    l = recordRequest(l, event({ feature: 'completion', model: 'small', promptTokens: 10, completionTokens: 5 }), FREE, new Date(2026, 9, 22, 10));
    const t = summarise(l, day(21, 18), 'today');
    assert.deepEqual(t.features.map((f) => [f.key, f.requests]), [['edit', 1], ['actions', 1]]);
    const w = summarise(l, day(21, 18), '7d');
    assert.deepEqual(w.features.map((f) => [f.key, f.requests, f.errors]), [['edit', 1, 0], ['actions', 1, 0], ['explain', 1, 1], ['completion', 1, 0]]);
    assert.deepEqual(w.models.map((m) => [m.key, m.requests, m.promptTokens]), [['big', 3, 300], ['small', 1, 10]]);
    assert.equal(w.days.length, 7);
    assert.equal(w.days[0].day, '2026-11-15');
    assert.deepEqual(w.days.map((d) => d.requests), [0, 1, 0, 0, 0, 1, 2]);
    const m = summarise(l, day(21, 18), '30d');
    assert.equal(m.total.requests, 4, 'October 22nd is 30 days back: kept, but outside the last 30 days');
    assert.equal(m.days.length, 30);
    assert.equal(l.buckets.length, 5);
  });

  it('reports completions\' requests per active hour, the peak hour and cache hits', () => {
    let l = emptyLedger();
    const at = (h: number, m = 0) => new Date(2026, 10, 21, h, m);
    for (let i = 0; i < 6; i++) l = recordRequest(l, event({ feature: 'completion', model: 's' }), FREE, at(9, i));
    for (let i = 0; i < 2; i++) l = recordRequest(l, event({ feature: 'completion', model: 's' }), FREE, at(14, i));
    l = recordCacheHit(l, 'completion', 's', at(14, 5));
    l = recordCacheHit(l, 'completion', 's', at(14, 6));
    const c = summarise(l, at(20), 'today').completion;
    assert.equal(c.requests, 8);
    assert.equal(c.cacheHits, 2);
    assert.equal(c.cacheHitRate, 0.2);
    assert.equal(c.perActiveHour, 4);
    assert.deepEqual(c.peakHour, { hour: 9, requests: 6 });
    assert.equal(c.hours[14], 2);
  });

  it('reads latency percentiles from the histogram, never faster than measured', () => {
    let l = emptyLedger();
    const ttfts = [40, 90, 120, 180, 250, 260, 270, 280, 290, 2500];
    for (const ms of ttfts) l = recordRequest(l, event({ timeToFirstTokenMs: ms, totalMs: ms * 2 }), FREE, now);
    const t = today(l, now);
    assert.equal(t.ttftP50, 300);
    assert.equal(t.ttftP95, 3000);
    assert.equal(t.totalP50, 500);
    assert.equal(t.totalP95, 5000);
    assert.equal(percentile(new Array(LATENCY_BOUNDS_MS.length + 1).fill(0), 50), undefined);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 100 }), (values, p) => {
        const h = new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
        for (const v of values) h[binOf(v)]++;
        const sorted = [...values].sort((a, b) => a - b);
        const exact = sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
        const got = percentile(h, p)!;
        const last = LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
        return exact > last ? got === last : got >= exact && binOf(got) === binOf(exact);
      }),
    );
  });

  it('stays bounded: old days are dropped and at most MAX_BUCKETS kept, whatever is recorded', () => {
    let l = emptyLedger();
    l = recordRequest(l, event(), FREE, new Date(2026, 9, 1));
    l = recordRequest(l, event(), FREE, new Date(2026, 10, 21));
    assert.deepEqual(l.buckets.map((b) => b.day), ['2026-11-21'], 'October 1st is beyond the retention');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 200 }), fc.integer({ min: 0, max: 40 })), { maxLength: 60 }), (requests) => {
        let ledger = emptyLedger();
        for (const [model, d] of requests) ledger = recordRequest(ledger, event({ model }), FREE, new Date(2026, 10, d));
        return ledger.buckets.length <= MAX_BUCKETS && ledger.buckets.every((b) => b.model.length <= 80);
      }),
    );
    let many = emptyLedger();
    for (let i = 0; i < MAX_BUCKETS + 5; i++) many = recordRequest(many, event({ model: `m${i}` }), FREE, now);
    assert.equal(many.buckets.length, MAX_BUCKETS);
    assert.equal(many.buckets[many.buckets.length - 1].model, `m${MAX_BUCKETS + 4}`, 'the newest bucket is kept');
  });

  it('sums match the events recorded (model-based)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            feature: fc.constantFrom('edit', 'action.fix', 'explain', 'completion', 'x'),
            outcome: fc.constantFrom('ok', 'cancelled', 'server', 'unreachable', 'timeout'),
            prompt: fc.nat(5000),
            completion: fc.nat(500),
            estimated: fc.boolean(),
            ttft: fc.option(fc.nat(5000), { nil: undefined }),
          }),
          { maxLength: 40 },
        ),
        (events) => {
          let l = emptyLedger();
          let requests = 0;
          let errors = 0;
          let prompt = 0;
          for (const e of events) {
            const ev = event({ feature: e.feature, outcome: e.outcome, promptTokens: e.prompt, completionTokens: e.completion, usageEstimated: e.estimated, timeToFirstTokenMs: e.ttft });
            l = recordRequest(l, ev, FREE, now);
            requests++;
            if (e.outcome !== 'ok' && e.outcome !== 'cancelled') errors++;
            if (!neverReachedModel(ev)) prompt += e.prompt;
          }
          const t = today(l, now);
          const s = summarise(l, now, '30d');
          const byFeature = s.features.reduce((n, f) => n + f.requests, 0);
          return t.requests === requests && t.errors === errors && t.promptTokens === prompt && byFeature === requests;
        },
      ),
    );
  });

  it('parses what it stored and drops anything malformed', () => {
    const l = recordRequest(recordCacheHit(emptyLedger(), 'completion', 's', now), event({ timeToFirstTokenMs: 99 }), PRICED, now);
    assert.deepEqual(parseLedger(JSON.parse(JSON.stringify(l))), l);
    assert.deepEqual(parseLedger(undefined), emptyLedger());
    assert.deepEqual(parseLedger({ day: '2026-11-21', features: {} }), emptyLedger(), 'the old per-day shape');
    const bad = parseLedger({ version: 1, buckets: [{ day: 'x' }, null, { day: '2026-11-21', feature: 'edit', model: 'm', requests: -1, ttft: [1], cost: { USD: 'a', EUR: 2 } }] });
    assert.equal(bad.buckets.length, 1);
    assert.equal(bad.buckets[0].requests, 0);
    assert.deepEqual(bad.buckets[0].cost, { EUR: 2 });
    assert.equal(bad.buckets[0].ttft.length, LATENCY_BOUNDS_MS.length + 1);
  });

  it('names feature groups, formats token counts and day keys', () => {
    assert.deepEqual(['edit', 'action.writeTests', 'action.custom', 'explain', 'explain.apply', 'completion', 'selectModel'].map(featureGroup), [
      'edit',
      'actions',
      'actions',
      'explain',
      'explain',
      'completion',
      'other',
    ]);
    assert.equal(formatTokens(999), '999');
    assert.equal(formatTokens(1500), '1.5k');
    assert.equal(formatTokens(25_000), '25k');
    assert.equal(formatTokens(2_500_000), '2.5M');
    assert.equal(dayKey(new Date(2026, 0, 5, 23, 59)), '2026-01-05');
  });

  it('draws bars scaled to the tallest, a non-zero value never invisible', () => {
    const b = bars([0, 5, 10, 0.01], 40, 20, 2);
    assert.deepEqual(b.map((x) => x.height), [0, 10, 20, 1]);
    assert.deepEqual(b.map((x) => x.x), [0, 10, 20, 30]);
    assert.equal(b[2].y, 0);
    assert.equal(b[1].width, 8);
    assert.deepEqual(bars([], 10, 10), []);
    assert.deepEqual(bars([0, 0], 10, 10).map((x) => x.height), [0, 0]);
  });
});

describe('usage view data', () => {
  it('holds the three periods with chart geometry, and accepts only known messages', async () => {
    const { buildUsageView, parseUsageMessage, CHART } = await import('../../src/core/usage/view');
    const now = new Date(2026, 10, 21, 15);
    let l = recordRequest(emptyLedger(), event({ feature: 'completion' }), PRICED, now);
    l = recordRequest(l, event(), PRICED, new Date(2026, 10, 19, 9));
    const v = buildUsageView(l, PRICED, now);
    assert.deepEqual(v.periods.map((p) => [p.period, p.total.requests]), [['today', 1], ['7d', 2], ['30d', 2]]);
    assert.equal(v.charts['7d'].requests.length, 7);
    assert.equal(v.charts.today.requests.length, 24, 'today: per hour');
    assert.equal(v.charts['30d'].requests.length, 30);
    assert.equal(v.charts.today.completionHours.length, 24);
    assert.equal(v.charts.today.completionHours[15].height, CHART.height);
    assert.deepEqual(v.pricing, { priced: true, currency: 'EUR', inputPerMillion: 2, outputPerMillion: 10 });
    assert.equal(buildUsageView(l, FREE, now).pricing.priced, false);
    assert.deepEqual(parseUsageMessage({ type: 'reset' }), { type: 'reset' });
    assert.equal(parseUsageMessage({ type: 'eval', code: 'x' }), undefined);
    assert.equal(parseUsageMessage('reset'), undefined);
    assert.equal(parseUsageMessage(null), undefined);
  });
});
