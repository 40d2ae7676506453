import * as vscode from 'vscode';
import {
  applyUserChange,
  isStreaming,
  minimalEdit,
  nextHunk,
  pendingCount,
  render,
  renderText,
  settleAll,
  settleHunk,
  withoutUnreached,
  type Rendered,
  type Review,
} from '../core/edit/review';
import { Colors, Commands, ContextKeys, StorageKeys } from '../core/names';
import { Disposable } from '../core/lifecycle';

const PERSIST_KEY = StorageKeys.openReviews;
/** How many recent states of a review are kept for a reload (VS Code backs up a buffer after a pause). */
const HISTORY_STATES = 12;
export const DIFF_SCHEME = 'redline-diff';

interface PersistedReview {
  uri: string;
  /** The review's latest states, newest first: a hot-exit backup may hold any of them. */
  reviews: Review[];
  originalText: string;
  instruction: string;
  feature: string;
}

interface ExpectedEdit {
  offset: number;
  length: number;
  text: string;
  next: Review;
  consumed: Promise<true>;
  markConsumed: (v: true) => void;
}

/**
 * One open review of one region of one document. The document region always holds
 * renderText(review): every change Redline makes goes through `update()`, which applies one minimal
 * replace edit, and every change the user makes is folded in by the manager with applyUserChange.
 */
export class ReviewSession {
  readonly id: number;
  status: 'streaming' | 'reviewing' = 'streaming';
  /** The latest states of the review, newest first, kept for restoring after a window reload. */
  history: Review[] = [];
  /** Aborts the model request while streaming. */
  abort: AbortController | undefined;
  private queue: Promise<void> = Promise.resolve();
  private expected: ExpectedEdit[] = [];
  private editCount = 0;
  disposed = false;

  constructor(
    private readonly manager: ReviewManager,
    readonly document: vscode.TextDocument,
    public review: Review,
    /** The region's text before the review (for the side-by-side diff and Retry). */
    readonly originalText: string,
    readonly instruction: string,
    readonly feature: string,
    id: number,
  ) {
    this.id = id;
  }

  get uri(): vscode.Uri {
    return this.document.uri;
  }

  rendered(): Rendered {
    return render(this.review);
  }

  /** Document range of the region right now. */
  regionRange(): vscode.Range {
    const start = new vscode.Position(this.review.startLine, 0);
    const startOffset = this.document.offsetAt(start);
    return new vscode.Range(start, this.document.positionAt(startOffset + renderText(this.review).length));
  }

  /**
   * Moves the document to `next`, serialised after earlier updates. `last` closes the undo group: the
   * whole review (stream, accepts, rejects) is one undo step.
   */
  update(next: Review | ((current: Review) => Review), options: { last?: boolean } = {}): Promise<void> {
    // A transform is applied to the review as it is when the edit is made, so keys the user typed
    // since the call are kept (a precomputed review would overwrite them).
    const transform = typeof next === 'function' ? next : () => next;
    return this.enqueue(async () => {
      for (let attempt = 0; ; attempt++) {
        const planned = this.plan(transform(this.review));
        if (!planned) return;
        const first = this.editCount === 0;
        const editor = this.manager.editorFor(this.document);
        let ok: boolean;
        if (editor) {
          ok = await editor.edit((b) => b.replace(planned.range, planned.text), {
            undoStopBefore: first,
            undoStopAfter: !!options.last,
          });
        } else {
          const we = new vscode.WorkspaceEdit();
          we.replace(this.document.uri, planned.range, planned.text);
          ok = await vscode.workspace.applyEdit(we);
        }
        if (ok) {
          this.editCount++;
          return;
        }
        // The document changed under us (the user is typing): try again on the text as it is now.
        this.forget(planned.entry);
        if (attempt >= 20 || this.disposed) {
          this.manager.log.warn(`review ${this.id}: the editor kept refusing an edit; giving up on it`);
          return;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    });
  }

  /**
   * The edit that collapses pending hunks for a save, handed to VS Code's save participant. The queue
   * waits until the save has applied it, so no other edit of ours slips in between.
   */
  collapseForSave(): Promise<vscode.TextEdit[]> {
    return new Promise((resolve) => {
      void this.enqueue(async () => {
        const planned = this.plan({ ...this.review, collapsed: true });
        if (!planned) {
          resolve([]);
          return;
        }
        resolve([vscode.TextEdit.replace(planned.range, planned.text)]);
        const applied = await Promise.race([planned.entry.consumed, new Promise<false>((r) => setTimeout(() => r(false), 3000))]);
        if (!applied) this.forget(planned.entry);
      });
    });
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.disposed) return;
      await job();
      this.manager.changed(this);
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch((err: unknown) => this.manager.log.error(`review ${this.id}: ${String(err)}`));
    return result;
  }

  /** Registers the edit from the current review to `next`; undefined when the text does not change. */
  private plan(next: Review): { range: vscode.Range; text: string; entry: ExpectedEdit } | undefined {
    const nextWithStart = { ...next, startLine: this.review.startLine };
    const edit = minimalEdit(renderText(this.review), renderText(nextWithStart));
    if (!edit) {
      this.review = nextWithStart;
      return undefined;
    }
    const startOffset = this.document.offsetAt(new vscode.Position(this.review.startLine, 0));
    const offset = startOffset + edit.offset;
    let markConsumed: (v: true) => void = () => {};
    const consumed = new Promise<true>((r) => (markConsumed = r));
    const entry: ExpectedEdit = { offset, length: edit.length, text: edit.text, next: nextWithStart, consumed, markConsumed };
    this.expected.push(entry);
    const range = new vscode.Range(this.document.positionAt(offset), this.document.positionAt(offset + edit.length));
    return { range, text: edit.text, entry };
  }

  private forget(entry: ExpectedEdit): void {
    this.expected = this.expected.filter((e) => e !== entry);
  }

  /** True when `change` is the edit this session made last; consumes it. */
  consumeExpected(change: vscode.TextDocumentContentChangeEvent): boolean {
    const head = this.expected[0];
    if (!head) return false;
    if (head.offset === change.rangeOffset && head.length === change.rangeLength && head.text === change.text) {
      this.expected.shift();
      this.review = { ...head.next, startLine: this.review.startLine };
      head.markConsumed(true);
      return true;
    }
    return false;
  }

  /** Waits until every queued edit has been applied. */
  settled(): Promise<void> {
    return this.queue;
  }
}

/**
 * All open reviews: decorations, CodeLens, commands' targets, user edits, saves, closing and reloads.
 */
export class ReviewManager extends Disposable implements vscode.CodeLensProvider, vscode.TextDocumentContentProvider {
  private readonly sessions = new Map<string, ReviewSession>();
  private readonly codeLensEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.codeLensEmitter.event;
  private readonly diffEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.diffEmitter.event;
  private readonly sessionEnded = new vscode.EventEmitter<ReviewSession>();
  readonly onDidEndSession = this.sessionEnded.event;
  private nextId = 1;
  private persistTimer: NodeJS.Timeout | undefined;

  private readonly removedDecoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor(Colors.removedLineBackground),
    overviewRulerColor: new vscode.ThemeColor(Colors.removedLineBackground),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly addedDecoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor(Colors.addedLineBackground),
    overviewRulerColor: new vscode.ThemeColor(Colors.addedLineBackground),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly unreachedDecoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    opacity: '0.55',
  });
  private readonly writingDecoration = vscode.window.createTextEditorDecorationType({
    after: { contentText: '  Redline is writing…', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
  });

  constructor(
    readonly log: vscode.LogOutputChannel,
    private readonly state: vscode.Memento,
  ) {
    super();
    this._registerAll(
      this.removedDecoration,
      this.addedDecoration,
      this.unreachedDecoration,
      this.writingDecoration,
      this.codeLensEmitter,
      this.diffEmitter,
      this.sessionEnded,
      vscode.languages.registerCodeLensProvider({ pattern: '**' }, this),
      vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, this),
      vscode.workspace.onDidChangeTextDocument((e) => this.onDocumentChanged(e)),
      vscode.workspace.onWillSaveTextDocument((e) => this.onWillSave(e)),
      vscode.workspace.onDidSaveTextDocument((d) => this.onDidSave(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.onDidClose(d)),
      vscode.workspace.onDidOpenTextDocument((d) => this.restore(d)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorateAll()),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()),
      vscode.window.onDidChangeTextEditorSelection(() => this.updateContext()),
    );
    for (const doc of vscode.workspace.textDocuments) this.restore(doc);
    this.updateContext();
  }

  get(document: vscode.TextDocument | vscode.Uri): ReviewSession | undefined {
    const uri = document instanceof vscode.Uri ? document : document.uri;
    return this.sessions.get(uri.toString());
  }

  active(): ReviewSession | undefined {
    const editor = vscode.window.activeTextEditor;
    return editor ? this.get(editor.document) : undefined;
  }

  editorFor(document: vscode.TextDocument): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active?.document === document) return active;
    return vscode.window.visibleTextEditors.find((e) => e.document === document);
  }

  /** Starts a review over whole lines [startLine, startLine + lines) shown as not yet reached. */
  start(args: { document: vscode.TextDocument; review: Review; originalText: string; instruction: string; feature: string }): ReviewSession {
    const existing = this.get(args.document);
    if (existing) throw new Error('A Redline review is already open in this file. Accept or reject it first.');
    const session = new ReviewSession(this, args.document, args.review, args.originalText, args.instruction, args.feature, this.nextId++);
    this.sessions.set(args.document.uri.toString(), session);
    this.changed(session);
    return session;
  }

  /** Called after every change of a session: redraw, refresh lenses and context, persist. */
  changed(session: ReviewSession): void {
    if (session.disposed) return;
    if (session.status === 'reviewing' && pendingCount(session.review) === 0 && !isStreaming(session.review)) {
      this.end(session, 'settled');
      return;
    }
    if (!session.history[0] || renderText(session.history[0]) !== renderText(session.review)) {
      session.history = [session.review, ...session.history].slice(0, HISTORY_STATES);
    }
    this.decorate(session);
    this.codeLensEmitter.fire();
    this.updateContext();
    this.diffEmitter.fire(diffUri(session, 'proposal'));
    this.diffEmitter.fire(diffUri(session, 'original'));
    this.schedulePersist();
  }

  /** Ends a session; its document keeps whatever text it holds now. */
  end(session: ReviewSession, why: 'settled' | 'closed' | 'lost' | 'failed'): void {
    if (session.disposed) return;
    session.disposed = true;
    session.abort?.abort();
    this.sessions.delete(session.uri.toString());
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document === session.document) this.clearDecorations(editor);
    }
    this.log.info(`review ${session.id} ended (${why})`);
    this.codeLensEmitter.fire();
    this.updateContext();
    this.schedulePersist();
    this.sessionEnded.fire(session);
  }

  async acceptOrReject(session: ReviewSession, state: 'accepted' | 'rejected', hunkId?: number): Promise<void> {
    if (session.status !== 'reviewing') return;
    const settle = (r: Review): Review => (hunkId === undefined ? settleAll(r, state) : settleHunk(r, hunkId, state));
    await session.update(settle, { last: pendingCount(settle(session.review)) === 0 });
  }

  /** The pending hunk at the editor's cursor (or the next one below it). */
  hunkAtCursor(session: ReviewSession, editor: vscode.TextEditor): number | undefined {
    const line = editor.selection.active.line - session.review.startLine;
    const { hunks } = session.rendered();
    const inside = hunks.find((h) => line >= h.oldStart && line < Math.max(h.newEnd, h.oldStart + 1));
    return (inside ?? hunks.find((h) => h.oldStart >= line) ?? hunks[hunks.length - 1])?.id;
  }

  reveal(session: ReviewSession, editor: vscode.TextEditor, direction: 1 | -1): void {
    const line = editor.selection.active.line - session.review.startLine;
    const hunk = nextHunk(session.review, line, direction);
    if (!hunk) return;
    const pos = new vscode.Position(session.review.startLine + hunk.oldStart, 0);
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  // --- rendering -------------------------------------------------------------------------------------

  private decorateAll(): void {
    for (const session of this.sessions.values()) this.decorate(session);
    this.updateContext();
  }

  private decorate(session: ReviewSession): void {
    const r = session.rendered();
    const base = session.review.startLine;
    const removed: vscode.Range[] = [];
    const added: vscode.Range[] = [];
    const unreached: vscode.Range[] = [];
    r.owners.forEach((owner, i) => {
      const range = new vscode.Range(base + i, 0, base + i, 0);
      if (owner.part === 'old') removed.push(range);
      else if (owner.part === 'new') added.push(range);
      else if (owner.part === 'unreached') unreached.push(range);
    });
    const writing: vscode.Range[] = [];
    if (session.status === 'streaming') {
      const firstUnreached = r.owners.findIndex((o) => o.part === 'unreached');
      const line = base + (firstUnreached >= 0 ? firstUnreached : Math.max(0, r.lines.length - 1));
      const end = session.document.lineAt(Math.min(line, session.document.lineCount - 1)).range.end;
      writing.push(new vscode.Range(end, end));
    }
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document !== session.document) continue;
      editor.setDecorations(this.removedDecoration, removed);
      editor.setDecorations(this.addedDecoration, added);
      editor.setDecorations(this.unreachedDecoration, unreached);
      editor.setDecorations(this.writingDecoration, writing);
    }
  }

  private clearDecorations(editor: vscode.TextEditor): void {
    for (const d of [this.removedDecoration, this.addedDecoration, this.unreachedDecoration, this.writingDecoration]) {
      editor.setDecorations(d, []);
    }
  }

  private updateContext(): void {
    const session = this.active();
    void vscode.commands.executeCommand('setContext', ContextKeys.reviewActive, !!session && session.status === 'reviewing');
    void vscode.commands.executeCommand('setContext', ContextKeys.streaming, !!session && session.status === 'streaming');
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const session = this.get(document);
    if (!session) return [];
    const base = session.review.startLine;
    const top = new vscode.Range(base, 0, base, 0);
    if (session.status === 'streaming') {
      return [
        new vscode.CodeLens(top, { title: '$(loading~spin) Redline is writing…', command: '' }),
        new vscode.CodeLens(top, { title: 'Cancel', command: Commands.cancel, arguments: [document.uri] }),
      ];
    }
    const r = session.rendered();
    const lenses = [
      new vscode.CodeLens(top, { title: `$(check-all) Accept All`, command: Commands.acceptAll, arguments: [document.uri], tooltip: 'Accept every change (Ctrl+Alt+Shift+Y)' }),
      new vscode.CodeLens(top, { title: `$(close-all) Reject All`, command: Commands.rejectAll, arguments: [document.uri], tooltip: 'Restore the original text (Ctrl+Alt+Shift+N)' }),
      new vscode.CodeLens(top, { title: '$(diff) Side-by-Side Diff', command: Commands.showDiff, arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: '$(refresh) Retry…', command: Commands.retry, arguments: [document.uri] }),
    ];
    for (const h of r.hunks) {
      const line = base + (h.oldEnd > h.oldStart ? h.oldStart : h.newStart);
      const at = new vscode.Range(line, 0, line, 0);
      lenses.push(
        new vscode.CodeLens(at, { title: '$(check) Accept', command: Commands.acceptHunk, arguments: [document.uri, h.id], tooltip: 'Accept this change (Ctrl+Alt+Y)' }),
        new vscode.CodeLens(at, { title: '$(close) Reject', command: Commands.rejectHunk, arguments: [document.uri, h.id], tooltip: 'Reject this change (Ctrl+Alt+N)' }),
      );
    }
    return lenses;
  }

  // --- side-by-side diff: virtual documents, never files ---------------------------------------------

  provideTextDocumentContent(uri: vscode.Uri): string {
    const params = new URLSearchParams(uri.query);
    const session = [...this.sessions.values()].find((s) => String(s.id) === params.get('session'));
    if (!session) return '';
    const full = session.document.getText();
    const range = session.regionRange();
    const start = session.document.offsetAt(range.start);
    const end = session.document.offsetAt(range.end);
    const region = renderText(settleAll(session.review, params.get('side') === 'proposal' ? 'accepted' : 'rejected'));
    return full.slice(0, start) + region + full.slice(end);
  }

  // --- user edits, saves, closing ----------------------------------------------------------------------

  private onDocumentChanged(e: vscode.TextDocumentChangeEvent): void {
    const session = this.get(e.document);
    if (!session || e.contentChanges.length === 0) return;
    const settle: { id: number; state: 'accepted' | 'rejected' }[] = [];
    let userEditedRegion = false;
    for (const change of e.contentChanges) {
      if (session.consumeExpected(change)) continue;
      const outcome = applyUserChange(session.review, {
        startLine: change.range.start.line,
        startCharacter: change.range.start.character,
        endLine: change.range.end.line,
        endCharacter: change.range.end.character,
        text: change.text,
      });
      if (outcome.kind === 'ended') {
        this.end(session, 'lost');
        void vscode.window.showInformationMessage('Redline: the review ended because its text was replaced. The document keeps its current text.');
        return;
      }
      session.review = outcome.review;
      if (outcome.kind === 'inside') {
        userEditedRegion = true;
        settle.push(...outcome.settle);
      }
    }
    // Safety net: the review must describe the document exactly, or it stops touching it.
    const range = session.regionRange();
    if (e.document.getText(range) !== renderText(session.review)) {
      this.log.warn(`review ${session.id}: lost track of the document; ending the review and keeping the text as it is`);
      this.end(session, 'lost');
      return;
    }
    if (userEditedRegion && session.status === 'streaming') {
      // The stream would overwrite what the user typed: stop it and review what has arrived.
      this.manuallyStopped(session);
    }
    if (settle.length) {
      const apply = (r: Review): Review => settle.reduce((acc, s) => settleHunk(acc, s.id, s.state), r);
      void session.update(apply, { last: pendingCount(apply(session.review)) === 0 });
    } else {
      this.changed(session);
    }
  }

  /** Hook for the edit runner: the user edited the region while the model was writing. */
  manuallyStopped: (session: ReviewSession) => void = (session) => session.abort?.abort();

  private onWillSave(e: vscode.TextDocumentWillSaveEvent): void {
    const session = this.get(e.document);
    if (!session || (pendingCount(session.review) === 0 && !isStreaming(session.review))) return;
    // The file on disk gets the original lines of every pending hunk: never both versions.
    e.waitUntil(session.collapseForSave());
  }

  private onDidSave(document: vscode.TextDocument): void {
    const session = this.get(document);
    if (!session || !session.review.collapsed) return;
    // Show the pending changes again once the save is over, unless the editor went away with it
    // (closing a file with "Save"): then the review ends with the file as saved.
    setTimeout(() => {
      if (session.disposed) return;
      if (!this.editorFor(document)) {
        this.end(session, 'closed');
        return;
      }
      void session.update((r) => ({ ...r, collapsed: false }));
    }, 50);
  }

  private onDidClose(document: vscode.TextDocument): void {
    const session = this.get(document);
    if (session) this.end(session, 'closed');
  }

  // --- persistence across window reloads ---------------------------------------------------------------

  private schedulePersist(): void {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      void this.persist();
    }, 100);
  }

  private persist(): Thenable<void> {
    const data: PersistedReview[] = [...this.sessions.values()].map((s) => ({
      uri: s.uri.toString(),
      reviews: s.history,
      originalText: s.originalText,
      instruction: s.instruction,
      feature: s.feature,
    }));
    return this.state.update(PERSIST_KEY, data);
  }

  /**
   * After a window reload VS Code may restore a document's unsaved text (hot exit) with a review in
   * it, as it was at its last backup. When the text is exactly what one of the review's recent states
   * rendered, that review comes back (a state caught mid-stream comes back as a review of what had
   * arrived); otherwise the record is dropped. The file on disk never held the review either way.
   */
  private restore(document: vscode.TextDocument): void {
    const saved = this.state.get<PersistedReview[]>(PERSIST_KEY, []);
    const entry = saved.find((p) => p.uri === document.uri.toString());
    if (!entry || this.get(document)) return;
    const matches = (candidate: Review): boolean => {
      const text = renderText(candidate);
      if (candidate.startLine >= document.lineCount) return false;
      const start = new vscode.Position(candidate.startLine, 0);
      return document.getText(new vscode.Range(start, document.positionAt(document.offsetAt(start) + text.length))) === text;
    };
    const review = (Array.isArray(entry.reviews) ? entry.reviews : [])
      .map((r) => withoutUnreached({ ...r, collapsed: false }))
      .find((r) => pendingCount(r) > 0 && matches(r));
    if (!review) {
      void this.state.update(PERSIST_KEY, saved.filter((p) => p !== entry));
      return;
    }
    const session = this.start({ document, review, originalText: entry.originalText, instruction: entry.instruction, feature: entry.feature });
    session.status = 'reviewing';
    this.log.info(`review ${session.id} restored in ${document.uri.toString(true)}`);
    this.changed(session);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    if (this.persistTimer) {
      clearTimeout(this.persistTimer);
      void this.persist();
    }
    for (const s of this.sessions.values()) s.abort?.abort();
    super.dispose();
  }
}

export function diffUri(session: ReviewSession, side: 'original' | 'proposal'): vscode.Uri {
  const name = session.uri.path.split('/').pop() || 'untitled';
  return vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${side}/${name}`, query: `session=${session.id}&side=${side}` });
}
