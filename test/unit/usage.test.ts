import * as assert from 'node:assert/strict';
import { cost, dayKey, formatTokens, record, totals } from '../../src/core/usage/ledger';
import type { RequestEvent } from '../../src/core/model/types';

const event = (feature: string, outcome: RequestEvent['outcome'], p: number, c: number): RequestEvent => ({
  requestId: 'r',
  feature,
  model: 'm',
  outcome,
  promptTokens: p,
  completionTokens: c,
  usageEstimated: false,
  totalMs: 10,
});

describe('usage ledger', () => {
  it('adds requests per feature and starts a new day at midnight', () => {
    const d1 = new Date(2026, 10, 21, 23, 59);
    let u = record(undefined, event('edit', 'ok', 100, 20), d1);
    u = record(u, event('edit', 'server', 50, 0), d1);
    u = record(u, event('completion', 'cancelled', 10, 1), d1);
    assert.equal(u.day, dayKey(d1));
    assert.deepEqual(u.features.edit, { requests: 2, failures: 1, promptTokens: 150, completionTokens: 20, totalMs: 20 });
    assert.equal(u.features.completion.failures, 0, 'a cancellation is not a failure');
    assert.equal(totals(u).promptTokens, 160);
    const next = record(u, event('edit', 'ok', 1, 1), new Date(2026, 10, 22, 0, 1));
    assert.equal(totals(next).requests, 1);
  });

  it('prices tokens per million and formats counts', () => {
    assert.equal(cost({ promptTokens: 2_000_000, completionTokens: 500_000 }, { inputPerMillion: 1, outputPerMillion: 4 }), 4);
    assert.equal(formatTokens(999), '999');
    assert.equal(formatTokens(1500), '1.5k');
    assert.equal(formatTokens(25_000), '25k');
    assert.equal(formatTokens(3_200_000), '3.2M');
  });
});
