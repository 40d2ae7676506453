/**
 * The next-edit engine: plain data in (the edits of tracked documents, a snapshot of the document when
 * a request is due, settings), a checked proposal out. It keeps the edit history, runs the request
 * policy (debounce, typing fast, one request in flight per document, superseded requests aborted at
 * once), answers from a cache when the same prompt comes again, and turns the reply into a proposal.
 */
import { LruCache } from '../completion/policy';
import type { Logger } from '../log';
import type { ModelClient, ModelStream } from '../model/types';
import { ModelError } from '../model/types';
import { EditHistory, type TextChange } from './history';
import { NextEditPolicy } from './policy';
import { type BuiltNextEditPrompt, buildNextEditPrompt } from './prompt';
import { type Region, type RegionBudget, DEFAULT_REGION_BUDGET, selectRegion } from './region';
import { type DropReason, type Proposal, proposalFromReply } from './reply';
import type { NextEditSettings } from './settings';

/** The document when a request is due, as the editor sees it. */
export interface NextEditSnapshot {
  path: string;
  languageId: string;
  /** Changes with every edit; a proposal is only shown for the version it was made for. */
  version: number;
  cursor: { line: number; character: number };
}

export type NextEditOutcome =
  | { kind: 'proposal'; docKey: string; version: number; proposal: Proposal; via: 'model' | 'cache'; requestId?: string }
  | { kind: 'dropped'; docKey: string; reason: DropReason | 'error' | 'skipped' };

export interface NextEditEngineOptions {
  client: () => ModelClient | Promise<ModelClient>;
  log: Logger;
  /** The engine's clock (ms). */
  now?: () => number;
  /** Waits `ms`; resolves false when aborted. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<boolean>;
  busy?: (feature: string) => (outcome: 'ok' | 'error' | 'cancelled') => void;
  budget?: RegionBudget;
  /** Proposals and drops, for the document version they were made for. */
  onOutcome?: (outcome: NextEditOutcome) => void;
  /** Called when a request is handed to the client (the benchmark measures up to here). */
  onRequestSent?: (info: { docKey: string; id: number; prompt: BuiltNextEditPrompt }) => void;
}

export interface NextEditStats {
  edits: number;
  requestsSent: number;
  requestsAborted: number;
  cacheHits: number;
  proposals: number;
  dropped: Partial<Record<DropReason | 'error' | 'skipped', number>>;
}

const defaultSleep = (ms: number, signal: AbortSignal): Promise<boolean> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

interface Flight {
  id: number;
  controller: AbortController;
}

export class NextEditEngine {
  readonly history = new EditHistory();
  private readonly policy = new NextEditPolicy();
  private readonly cache = new LruCache<string>(64);
  private readonly waits = new Map<string, AbortController>();
  private readonly flights = new Map<number, Flight>();
  private nextId = 1;
  private disposed = false;
  readonly stats: NextEditStats = { edits: 0, requestsSent: 0, requestsAborted: 0, cacheHits: 0, proposals: 0, dropped: {} };

  constructor(private readonly options: NextEditEngineOptions) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Starts tracking a document's text (before its first edit). */
  track(path: string, text: string): void {
    this.history.track(path, text);
  }

  /**
   * Folds a document's content changes into the history. With `user`, the edit also (re)starts the
   * debounce: when the pause is over, `snapshot()` is asked for the document as it is then (undefined:
   * no request) and a request is sent.
   */
  edit(
    docKey: string,
    path: string,
    changes: readonly TextChange[],
    options: { user: boolean; settings: NextEditSettings; snapshot: () => NextEditSnapshot | undefined },
  ): void {
    if (this.disposed) return;
    const now = this.now();
    this.history.change(path, changes, now);
    this.stats.edits++;
    this.policy.setOptions({ pauseMs: options.settings.debounceMs, fastTypingMs: 120, window: 4 });
    const decision = this.policy.edited(docKey, now);
    if (decision.abortFlightId !== undefined) this.abort(decision.abortFlightId);
    this.waits.get(docKey)?.abort();
    if (!options.user || !options.settings.enabled) return;
    const wait = new AbortController();
    this.waits.set(docKey, wait);
    void this.schedule(docKey, decision.wakeAt, wait, options.settings, options.snapshot);
  }

  /** Drops what is pending for a document (its wait and its request), e.g. when the proposal is dismissed or the editor closes. */
  cancel(docKey: string): void {
    this.waits.get(docKey)?.abort();
    this.waits.delete(docKey);
    const running = this.policy.running(docKey);
    if (running !== undefined) this.abort(running);
  }

  forget(docKey: string, path: string): void {
    this.cancel(docKey);
    this.policy.forget(docKey);
    this.history.untrack(path);
  }

  dispose(): void {
    this.disposed = true;
    for (const w of this.waits.values()) w.abort();
    for (const f of this.flights.values()) f.controller.abort();
  }

  clearCache(): void {
    this.cache.clear();
  }

  private abort(id: number): void {
    const f = this.flights.get(id);
    if (!f) return;
    this.stats.requestsAborted++;
    f.controller.abort();
  }

  private async schedule(
    docKey: string,
    wakeAt: number,
    wait: AbortController,
    settings: NextEditSettings,
    snapshot: () => NextEditSnapshot | undefined,
  ): Promise<void> {
    const sleep = this.options.sleep ?? defaultSleep;
    let at = wakeAt;
    for (;;) {
      if (!(await sleep(at - this.now(), wait.signal)) || this.disposed) return;
      const decision = this.policy.wake(docKey, this.now());
      if (decision.kind === 'idle') return;
      if (decision.kind === 'wait') {
        at = decision.at;
        continue;
      }
      break;
    }
    if (this.waits.get(docKey) === wait) this.waits.delete(docKey);
    try {
      await this.request(docKey, settings, snapshot);
    } catch (error) {
      this.drop(docKey, 'error');
      this.options.log.warn(`[nextEdit] ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private drop(docKey: string, reason: DropReason | 'error' | 'skipped'): void {
    this.stats.dropped[reason] = (this.stats.dropped[reason] ?? 0) + 1;
    this.options.onOutcome?.({ kind: 'dropped', docKey, reason });
  }

  /** Builds the prompt for the document as it is now and asks the model (or the cache). */
  private async request(docKey: string, settings: NextEditSettings, snapshot: () => NextEditSnapshot | undefined): Promise<void> {
    const snap = snapshot();
    const lines = snap && this.history.lines(snap.path);
    if (!snap || !lines) return this.drop(docKey, 'skipped');
    const region: Region = selectRegion(lines, snap.cursor.line, this.options.budget ?? DEFAULT_REGION_BUDGET);
    const recent = this.history.recentIn(snap.path);
    const prompt = buildNextEditPrompt(
      { path: snap.path, languageId: snap.languageId, lines, cursor: snap.cursor, region, history: this.history.recent(), linesOf: (p) => this.history.lines(p) },
      settings.promptFormat,
    );
    // The proposal is checked against the text the prompt was built from: the shadow itself, which no
    // edit changes while the request runs (every edit aborts it first).
    const asked = lines;
    const model = settings.model;
    const key = JSON.stringify([prompt.format, model, prompt.text]);
    const finish = (reply: string, via: 'model' | 'cache', requestId?: string) => {
      const result = proposalFromReply(reply, asked, region, recent, prompt.secrets);
      if (!result.ok) return this.drop(docKey, result.reason);
      this.stats.proposals++;
      this.options.onOutcome?.({ kind: 'proposal', docKey, version: snap.version, proposal: result.proposal, via, requestId });
    };
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.stats.cacheHits++;
      return finish(cached, 'cache');
    }

    const client = await this.options.client();
    const id = this.nextId++;
    const controller = new AbortController();
    const replaced = this.policy.started(docKey, id);
    if (replaced !== undefined) this.abort(replaced);
    this.flights.set(id, { id, controller });
    const base = { feature: 'nextEdit', model, maxTokens: prompt.maxTokens, temperature: 0, signal: controller.signal };
    const stream: ModelStream =
      prompt.format === 'chat' ? client.streamChat({ ...base, messages: prompt.messages }) : client.streamCompletion({ ...base, prompt: prompt.prompt });
    this.stats.requestsSent++;
    this.options.onRequestSent?.({ docKey, id, prompt });
    const end = this.options.busy?.('nextEdit');
    const timer = setTimeout(() => controller.abort(), settings.timeoutMs);
    let outcome: 'ok' | 'error' | 'cancelled' = 'ok';
    try {
      let text = '';
      for await (const delta of stream) text += delta;
      await stream.result;
      if (controller.signal.aborted) {
        outcome = 'cancelled';
        return;
      }
      this.cache.set(key, text);
      finish(text, 'model', stream.requestId);
    } catch (error) {
      if (controller.signal.aborted || (error instanceof ModelError && error.kind === 'cancelled')) {
        outcome = 'cancelled';
        return;
      }
      outcome = 'error';
      this.options.log.warn(`[nextEdit] request failed: ${error instanceof ModelError ? `${error.kind}: ${error.userMessage}` : String(error)}`);
      this.drop(docKey, 'error');
    } finally {
      clearTimeout(timer);
      this.flights.delete(id);
      this.policy.ended(docKey, id);
      end?.(outcome);
    }
  }
}
