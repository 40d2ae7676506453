import * as vscode from 'vscode';
import { StorageKeys } from '../core/names';
import type { RequestEvent } from '../core/model/types';
import { emptyLedger, parseLedger, recordCacheHit, recordRequest, type Ledger, type Pricing } from '../core/usage/ledger';

/** Where the ledger lives in global state (bounded by the ledger itself: see core/usage/ledger.ts). */
export const USAGE_STATE_KEY = StorageKeys.usageLedger;
/** The shape before the ledger: one day of per-feature totals. Cleared on start. */
const OLD_USAGE_KEY = StorageKeys.usage;

/** The usage ledger in the extension's global state; every change fires onDidChange. */
export class UsageStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly state: vscode.Memento,
    private readonly pricing: () => Pricing,
  ) {
    if (state.get(OLD_USAGE_KEY) !== undefined) void state.update(OLD_USAGE_KEY, undefined);
  }

  ledger(): Ledger {
    return parseLedger(this.state.get(USAGE_STATE_KEY));
  }

  /** The model client's observer: every finished request. */
  onRequest(event: RequestEvent): void {
    this.save(recordRequest(this.ledger(), event, this.pricing(), new Date()));
  }

  /** An inline suggestion answered from the cache. */
  cacheHit(feature: string, model: string): void {
    this.save(recordCacheHit(this.ledger(), feature, model, new Date()));
  }

  reset(): void {
    this.save(emptyLedger());
  }

  private save(ledger: Ledger): void {
    void this.state.update(USAGE_STATE_KEY, ledger);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
