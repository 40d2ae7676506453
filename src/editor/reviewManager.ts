import * as vscode from 'vscode';
import { nextHunk, pendingCount, render, renderText, settleAll, type Review, type Segment } from '../core/edit/review';
import { idleSession, lineOffset, planSave, reduce, type DocEdit, type EditReason, type KnownState, type Session, type SessionEvent, type Step } from '../core/edit/session';
import { Disposable } from '../core/lifecycle';
import { Colors, Commands, ContextKeys, StorageKeys } from '../core/names';
import { askInstruction } from './instructionBox';
import type { Services } from './services';

const PERSIST_KEY = StorageKeys.openReviews;
/** How many recent states of a document are kept for a reload (VS Code backs up a buffer after a pause). */
const PERSISTED_STATES = 24;
/** How many documents keep their review memory across a reload. */
const PERSISTED_DOCUMENTS = 10;
export const DIFF_SCHEME = 'redline-diff';
/** Longest our edits wait for a save participant's edit to land (VS Code gives participants 1.5 s). */
const SAVE_HOLD_MS = 1500;
/** How long a save participant's edit may still land (a cancelled automatic save's edit lands late). */
const SAVE_PLAN_MS = 10_000;

interface PersistedReview {
  uri: string;
  known: KnownState[];
  originalText: string;
  instruction: string;
  feature: string;
}

/** What a review is about (for Retry, the side-by-side diff and the log). */
export interface ReviewInfo {
  id: number;
  instruction: string;
  feature: string;
}

/** Our edit on its way into the document: the state it leads to, and who waits for it. */
interface Inflight {
  state: Session;
  done: () => void;
}

/**
 * One document's review: the reducer's state, the edits in flight, the model request. Everything the
 * review does goes through `dispatch`, serialised.
 */
export class DocumentReview {
  session: Session;
  info: ReviewInfo | undefined;
  abort: AbortController | undefined;
  /** Lenses hidden while Retry asks for the new instruction. */
  retrying = false;
  inflight: Inflight | undefined;
  /**
   * The states the save participants' edits lead to, oldest first, until the document reports them. More
   * than one can be on its way: VS Code cancels a running save when the next automatic save comes (the
   * document changed meanwhile), yet the cancelled save's edit still reaches the document, late.
   */
  savePlans: { state: Session; at: number; open: boolean }[] = [];
  /** While a save's edit is on its way, our own edits wait (see holdForSave). */
  saveBarrier: { promise: Promise<void>; release: () => void } | undefined;
  /** Saves made again in a row because the text written held a pending hunk (bounded). */
  resaves = 0;
  queue: Promise<void> = Promise.resolve();
  /** The stream's edits form one undo step, opened by the first. */
  streamStepOpen = false;
  /**
   * The last save was an automatic one (`files.autoSave`): the pending hunks stay collapsed to their
   * original lines after it, since showing the proposal again would make the file dirty and autosave it
   * again, forever. Accepting or rejecting shows the review in full again.
   */
  keepCollapsed = false;

  constructor(
    readonly uri: vscode.Uri,
    public document: vscode.TextDocument,
  ) {
    this.session = idleSession(document.getText());
  }

  get phase(): Session['phase'] {
    return this.session.phase;
  }

  get review(): Review | undefined {
    return this.session.review;
  }
}

/** The review handle the edit runner holds while the model writes. */
export interface ReviewHandle {
  readonly info: ReviewInfo;
  readonly document: vscode.TextDocument;
  readonly abort: AbortController;
  /** The review is still the one this handle started (not ended, not replaced). */
  alive(): boolean;
  phase(): Session['phase'];
  review(): Review | undefined;
  streamDelta(segments: Segment[]): Promise<void>;
  streamEnd(review: Review): Promise<void>;
  cancel(): Promise<void>;
  settled(): Promise<void>;
}

/**
 * The editor adapter of the review session (core/edit/session.ts): it turns VS Code events into session
 * events and the results into edits, decorations, CodeLens and context keys, and owns the review
 * commands. It decides nothing itself.
 */
export class ReviewManager extends Disposable implements vscode.CodeLensProvider, vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, DocumentReview>();
  private readonly codeLensEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.codeLensEmitter.event;
  private readonly diffEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.diffEmitter.event;
  private nextId = 1;
  private persistTimer: NodeJS.Timeout | undefined;
  readonly log: vscode.LogOutputChannel;

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

  constructor(private readonly services: Services) {
    super();
    this.log = services.log;
    const withReview =
      (fn: (d: DocumentReview, editor: vscode.TextEditor | undefined) => unknown) =>
      (uri?: vscode.Uri): unknown => {
        const d = uri instanceof vscode.Uri ? this.docs.get(uri.toString()) : this.activeReview();
        if (!d || d.phase === 'idle') {
          void vscode.window.showInformationMessage('Redline: there is no review open in this editor.');
          return undefined;
        }
        return fn(d, this.editorFor(d.document));
      };
    this._registerAll(
      this.removedDecoration,
      this.addedDecoration,
      this.unreachedDecoration,
      this.writingDecoration,
      this.codeLensEmitter,
      this.diffEmitter,
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
      vscode.commands.registerCommand(Commands.acceptAll, withReview((d) => this.settle(d, 'accepted'))),
      vscode.commands.registerCommand(Commands.rejectAll, withReview((d) => this.settle(d, 'rejected'))),
      vscode.commands.registerCommand(Commands.acceptHunk, (uri?: vscode.Uri, id?: number) => this.hunkCommand('accepted', uri, id)),
      vscode.commands.registerCommand(Commands.rejectHunk, (uri?: vscode.Uri, id?: number) => this.hunkCommand('rejected', uri, id)),
      vscode.commands.registerCommand(Commands.nextHunk, withReview((d, e) => e && this.reveal(d, e, 1))),
      vscode.commands.registerCommand(Commands.previousHunk, withReview((d, e) => e && this.reveal(d, e, -1))),
      vscode.commands.registerCommand(Commands.showDiff, withReview((d) => this.showDiff(d))),
      vscode.commands.registerCommand(Commands.retry, withReview((d) => this.retry(d))),
      vscode.commands.registerCommand(Commands.cancel, withReview((d) => d.abort?.abort())),
    );
    for (const doc of vscode.workspace.textDocuments) this.restore(doc);
    this.updateContext();
  }

  /** The open review (streaming or reviewing) of a document. */
  get(document: vscode.TextDocument | vscode.Uri): DocumentReview | undefined {
    const uri = document instanceof vscode.Uri ? document : document.uri;
    const d = this.docs.get(uri.toString());
    return d && d.phase !== 'idle' ? d : undefined;
  }

  private activeReview(): DocumentReview | undefined {
    const editor = vscode.window.activeTextEditor;
    return editor ? this.get(editor.document) : undefined;
  }

  editorFor(document: vscode.TextDocument): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active?.document === document) return active;
    return vscode.window.visibleTextEditors.find((e) => e.document === document);
  }

  private entry(document: vscode.TextDocument): DocumentReview {
    const key = document.uri.toString();
    let d = this.docs.get(key);
    if (!d) {
      d = new DocumentReview(document.uri, document);
      this.docs.set(key, d);
    }
    d.document = document;
    return d;
  }

  /**
   * Starts a review over a region of `document`; `review` renders the region's current text (the
   * original lines, shown as not reached while the model writes). Refused when one is open.
   */
  start(args: { document: vscode.TextDocument; review: Review; originalText: string; instruction: string; feature: string; streaming: boolean }): ReviewHandle {
    if (this.get(args.document)) throw new Error('A Redline review is already open in this file. Accept or reject it first.');
    const d = this.entry(args.document);
    const info: ReviewInfo = { id: this.nextId++, instruction: args.instruction, feature: args.feature };
    const abort = new AbortController();
    d.info = info;
    d.abort = abort;
    d.retrying = false;
    d.streamStepOpen = false;
    this.commit(d, reduce(d.session, { type: 'start', doc: args.document.getText(), review: args.review, originalText: args.originalText, streaming: args.streaming }));
    // The selection's highlight would hide the review's colours.
    const editor = this.editorFor(args.document);
    if (editor && !editor.selection.isEmpty) editor.selection = new vscode.Selection(editor.selection.active, editor.selection.active);
    const alive = (): boolean => d.info === info && d.phase !== 'idle';
    return {
      info,
      document: args.document,
      abort,
      alive,
      phase: () => (alive() ? d.phase : 'idle'),
      review: () => (alive() ? d.review : undefined),
      streamDelta: (segments) => (alive() ? this.dispatch(d, { type: 'streamDelta', segments }) : Promise.resolve()),
      streamEnd: (review) => (alive() ? this.dispatch(d, { type: 'streamEnd', review }) : Promise.resolve()),
      cancel: () => (alive() ? this.dispatch(d, { type: 'cancel' }) : Promise.resolve()),
      settled: () => d.queue,
    };
  }

  // --- the one way the document changes: reducer step, then the edit -------------------------------

  /** Runs `event` through the reducer against the state as it is when its turn comes, and applies the edit. */
  private dispatch(d: DocumentReview, event: SessionEvent | (() => SessionEvent | undefined)): Promise<void> {
    const job = async (): Promise<void> => {
      for (let attempt = 0; ; attempt++) {
        // A save's edit is on its way into the document: an edit of ours sent now could land before it,
        // and the save's edit (offsets of the text the save saw) would then land in the wrong place.
        while (d.saveBarrier) await d.saveBarrier.promise;
        const ev = typeof event === 'function' ? event() : event;
        if (!ev) return;
        const before = d.session;
        const step = reduce(before, ev);
        this.log.debug(`review ${d.info?.id}: ${ev.type} → ${step.state.phase}${step.edit ? ' (edit)' : ''}${step.ended ? ` ended ${step.ended}` : ''}`);
        if (!step.edit) {
          this.commit(d, step);
          return;
        }
        const ok = await this.applyEdit(d, step, before, ev);
        if (ok) return;
        if (attempt >= 20 || d.session.phase === 'idle') {
          if (attempt >= 20) this.log.warn(`review ${d.info?.id}: the editor kept refusing an edit; giving up on it`);
          return;
        }
        // The document changed under us (the user is typing): try again on the text as it is now.
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const result = d.queue.then(job, job);
    d.queue = result.catch((err: unknown) => this.log.error(`review ${d.info?.id}: ${String(err)}`));
    return result;
  }

  /** Applies the step's edit; the state is committed when the document reports it. */
  private async applyEdit(d: DocumentReview, step: Step, before: Session, event: SessionEvent): Promise<boolean> {
    const edit = step.edit!;
    const doc = d.document;
    if (doc.getText() !== before.doc) return false;
    const range = new vscode.Range(doc.positionAt(edit.offset), doc.positionAt(edit.offset + edit.length));
    let done: () => void = () => {};
    const consumed = new Promise<void>((r) => (done = r));
    d.inflight = { state: step.state, done };
    // Undo steps: the stream (its edits and the review that ends it) is one step; every settle is one.
    const streaming = before.phase === 'streaming' && step.state.phase === 'streaming';
    const closesStream = before.phase === 'streaming' && step.state.phase !== 'streaming';
    const quiet = event.type === 'saved';
    const undoStopBefore = streaming || closesStream ? !d.streamStepOpen : !quiet;
    const undoStopAfter = streaming ? false : !quiet;
    const editor = this.editorFor(doc);
    let ok: boolean;
    try {
      if (editor) {
        ok = await editor.edit((b) => b.replace(range, edit.text), { undoStopBefore, undoStopAfter });
      } else {
        const we = new vscode.WorkspaceEdit();
        we.replace(doc.uri, range, edit.text);
        ok = await vscode.workspace.applyEdit(we);
      }
    } catch (err) {
      this.log.warn(`review ${d.info?.id}: edit failed: ${String(err)}`);
      ok = false;
    }
    if (!ok) {
      d.inflight = undefined;
      return false;
    }
    await Promise.race([consumed, new Promise((r) => setTimeout(r, 3000))]);
    if (d.inflight?.state === step.state) {
      // The change event never came with our text: take the document as it is.
      d.inflight = undefined;
      this.resync(d);
      return true;
    }
    d.streamStepOpen = streaming;
    this.afterStep(d, step);
    return true;
  }

  /** A step without an edit: the new state and its consequences. */
  private commit(d: DocumentReview, step: Step): void {
    d.session = step.state;
    this.afterStep(d, step);
  }

  private afterStep(d: DocumentReview, step: Step): void {
    if (step.stopStream && d.abort && !d.abort.signal.aborted) {
      // The stream would overwrite what the user typed: stop it; what arrived is under review.
      d.abort.abort();
      void vscode.window.showInformationMessage('Redline stopped writing because you edited the text under review. Review what arrived so far.');
    }
    if (step.ended) this.log.info(`review ${d.info?.id} ${step.ended}`);
    if (step.restored) this.log.info(`review ${d.info?.id} shown again (its text came back)`);
    if (d.phase === 'idle') {
      d.retrying = false;
      // A save's edit still on its way belongs to the review that ended: it is not a state to take up.
      d.savePlans = [];
    }
    this.changed(d);
  }

  /** The document no longer holds what the state says: start again from its text, without a review. */
  private resync(d: DocumentReview): void {
    const text = d.document.getText();
    if (text === d.session.doc) return;
    this.log.warn(`review ${d.info?.id}: lost track of the document; the review ends and the text stays as it is`);
    const step = reduce({ ...d.session, doc: d.session.doc }, { type: 'close' });
    d.session = { ...step.state, doc: text };
    this.changed(d);
  }

  private settle(d: DocumentReview, verdict: 'accepted' | 'rejected', id?: number): Promise<void> {
    return this.dispatch(d, () => (d.phase === 'reviewing' ? { type: 'settle', verdict, id } : undefined));
  }

  private async hunkCommand(verdict: 'accepted' | 'rejected', uri?: vscode.Uri, id?: number): Promise<void> {
    const d = uri instanceof vscode.Uri ? this.get(uri) : this.activeReview();
    if (!d || d.phase !== 'reviewing') return;
    const editor = this.editorFor(d.document);
    const target = typeof id === 'number' ? id : editor ? this.hunkAtCursor(d, editor) : undefined;
    if (target === undefined) return;
    await this.settle(d, verdict, target);
  }

  /** The pending hunk at the editor's cursor (or the next one below it). */
  private hunkAtCursor(d: DocumentReview, editor: vscode.TextEditor): number | undefined {
    const review = d.review!;
    const line = editor.selection.active.line - review.startLine;
    const { hunks } = render(review);
    const inside = hunks.find((h) => line >= h.oldStart && line < Math.max(h.newEnd, h.oldStart + 1));
    return (inside ?? hunks.find((h) => h.oldStart >= line) ?? hunks[hunks.length - 1])?.id;
  }

  private reveal(d: DocumentReview, editor: vscode.TextEditor, direction: 1 | -1): void {
    const review = d.review!;
    const hunk = nextHunk(review, editor.selection.active.line - review.startLine, direction);
    if (!hunk) return;
    const pos = new vscode.Position(review.startLine + hunk.oldStart, 0);
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** Shows the first hunk of a review that has just become reviewable. */
  revealFirst(handle: ReviewHandle): void {
    const editor = this.editorFor(handle.document);
    const review = handle.review();
    const first = review && render(review).hunks[0];
    if (!editor || !review || !first) return;
    const pos = new vscode.Position(review.startLine + first.oldStart, 0);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  // --- rendering -----------------------------------------------------------------------------------------

  private changed(d: DocumentReview): void {
    this.decorate(d);
    this.codeLensEmitter.fire();
    this.updateContext();
    if (d.info && d.phase !== 'idle') {
      this.diffEmitter.fire(diffUri(d, 'proposal'));
      this.diffEmitter.fire(diffUri(d, 'original'));
    }
    this.schedulePersist();
  }

  private decorateAll(): void {
    for (const d of this.docs.values()) this.decorate(d);
    this.updateContext();
  }

  private decorate(d: DocumentReview): void {
    const removed: vscode.Range[] = [];
    const added: vscode.Range[] = [];
    const unreached: vscode.Range[] = [];
    const writing: vscode.Range[] = [];
    const review = d.review;
    if (review) {
      const r = render(review);
      const base = review.startLine;
      r.owners.forEach((owner, i) => {
        const range = new vscode.Range(base + i, 0, base + i, 0);
        if (owner.part === 'old') removed.push(range);
        else if (owner.part === 'new') added.push(range);
        else if (owner.part === 'unreached') unreached.push(range);
      });
      if (d.phase === 'streaming') {
        const firstUnreached = r.owners.findIndex((o) => o.part === 'unreached');
        const line = base + (firstUnreached >= 0 ? firstUnreached : Math.max(0, r.lines.length - 1));
        const end = d.document.lineAt(Math.min(line, d.document.lineCount - 1)).range.end;
        writing.push(new vscode.Range(end, end));
      }
    }
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document !== d.document) continue;
      editor.setDecorations(this.removedDecoration, removed);
      editor.setDecorations(this.addedDecoration, added);
      editor.setDecorations(this.unreachedDecoration, unreached);
      editor.setDecorations(this.writingDecoration, writing);
    }
  }

  private updateContext(): void {
    const d = this.activeReview();
    void vscode.commands.executeCommand('setContext', ContextKeys.reviewActive, !!d && d.phase === 'reviewing');
    void vscode.commands.executeCommand('setContext', ContextKeys.streaming, !!d && d.phase === 'streaming');
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const d = this.get(document);
    if (!d || !d.review || d.retrying) return [];
    const base = d.review.startLine;
    const top = new vscode.Range(base, 0, base, 0);
    if (d.phase === 'streaming') {
      return [
        new vscode.CodeLens(top, { title: '$(loading~spin) Redline is writing…', command: '' }),
        new vscode.CodeLens(top, { title: 'Cancel', command: Commands.cancel, arguments: [document.uri] }),
      ];
    }
    const r = render(d.review);
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

  // --- side-by-side diff and Retry ----------------------------------------------------------------------

  provideTextDocumentContent(uri: vscode.Uri): string {
    const params = new URLSearchParams(uri.query);
    const d = [...this.docs.values()].find((x) => String(x.info?.id) === params.get('session') && x.phase !== 'idle');
    if (!d || !d.review) return '';
    const full = d.session.doc;
    const start = lineOffset(full, d.review.startLine);
    const end = start + renderText(d.review).length;
    const region = renderText(settleAll(d.review, params.get('side') === 'proposal' ? 'accepted' : 'rejected'));
    return full.slice(0, start) + region + full.slice(end);
  }

  private async showDiff(d: DocumentReview): Promise<void> {
    const name = d.uri.path.split('/').pop() ?? 'file';
    await vscode.commands.executeCommand('vscode.diff', diffUri(d, 'original'), diffUri(d, 'proposal'), `${name}: original ↔ Redline proposal`, {
      preview: true,
      viewColumn: vscode.ViewColumn.Beside,
    });
  }

  /** Hides the review's lenses at once, asks again (the last instruction to start from), then rejects it and runs the new request. */
  private async retry(d: DocumentReview): Promise<void> {
    if (d.phase !== 'reviewing' || !d.info || d.retrying) return;
    const info = d.info;
    d.retrying = true;
    this.codeLensEmitter.fire();
    const instruction = await askInstruction(this.services.context.globalState, info.instruction);
    const still = d.info === info && d.phase === 'reviewing';
    if (!instruction || !still) {
      d.retrying = false;
      this.codeLensEmitter.fire();
      return;
    }
    const review = d.review!;
    const startLine = review.startLine;
    const lineCount = Math.max(1, render(settleAll(review, 'rejected')).lines.length);
    await this.settle(d, 'rejected');
    await d.queue;
    const editor = this.editorFor(d.document) ?? (await vscode.window.showTextDocument(d.document));
    const endLine = Math.min(startLine + lineCount - 1, editor.document.lineCount - 1);
    const range = new vscode.Range(startLine, 0, endLine, editor.document.lineAt(endLine).text.length);
    await this.services.edits.proposeEdit({ editor, range, instruction, feature: info.feature });
  }

  // --- user edits, saves, closing ------------------------------------------------------------------------

  private onDocumentChanged(e: vscode.TextDocumentChangeEvent): void {
    const d = this.docs.get(e.document.uri.toString());
    if (!d || e.contentChanges.length === 0) return;
    d.document = e.document;
    const text = e.document.getText();
    const ours = d.inflight;
    this.log.debug(`review ${d.info?.id}: change (reason ${e.reason ?? '-'}, ${e.contentChanges.length} change(s), ours ${!!ours && text === ours.state.doc}, phase ${d.phase})`);
    if (ours && text === ours.state.doc) {
      d.inflight = undefined;
      d.session = ours.state;
      ours.done();
      return;
    }
    const planned = d.phase === 'idle' ? -1 : d.savePlans.findIndex((p) => p.state.doc === text && Date.now() - p.at < SAVE_PLAN_MS);
    if (planned >= 0) {
      // A save participant's edit (the newest one that landed): the pending hunks show their original
      // lines while the file is written. Older plans can no longer land on the text they were made for.
      d.session = d.savePlans[planned].state;
      d.savePlans = d.savePlans.slice(planned + 1);
      if (d.savePlans.length === 0) this.releaseSave(d);
      this.changed(d);
      return;
    }
    if (d.phase === 'idle' && d.session.known.length === 0) {
      d.session = { ...d.session, doc: text };
      return;
    }
    const reason: EditReason =
      e.reason === vscode.TextDocumentChangeReason.Undo ? 'undo' : e.reason === vscode.TextDocumentChangeReason.Redo ? 'redo' : 'typing';
    // VS Code reports the changes of one event against the text before it, last first: applied in order.
    const changes: DocEdit[] = [...e.contentChanges]
      .sort((a, b) => b.rangeOffset - a.rangeOffset)
      .map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text }));
    const step = reduce(d.session, { type: 'userEdit', changes, reason });
    if (step.state.doc !== text) {
      d.session = step.state;
      this.resync(d);
      return;
    }
    d.session = step.state;
    this.afterStep(d, step);
    // Hunks the edit decided (typing in a hunk) are settled next, each as its own undo step.
    for (const x of step.decided ?? []) void this.settle(d, x.state, x.id);
  }

  private onWillSave(e: vscode.TextDocumentWillSaveEvent): void {
    const d = this.docs.get(e.document.uri.toString());
    if (!d) return;
    d.keepCollapsed = e.reason !== vscode.TextDocumentSaveReason.Manual;
    // Decided now, from the text the save sees: VS Code gives a participant 1.5 s at most (less than an
    // edit of ours may take on a loaded machine) and drops its edits when the document changed while it
    // waited, so waiting for our queue could let a save write both versions (see planSave).
    const open = d.savePlans.filter((p) => p.open);
    const plan = planSave(d.session, d.inflight?.state, e.document.getText(), open[open.length - 1]?.state);
    if (!plan) return;
    const doc = e.document;
    const range = plan.whole
      ? // An edit on its way (ours, or an earlier save's) lands first: the whole document, whatever it is then.
        new vscode.Range(0, 0, doc.lineCount + 1_000_000, 0)
      : new vscode.Range(doc.positionAt(plan.edit.offset), doc.positionAt(plan.edit.offset + plan.edit.length));
    d.savePlans = [...d.savePlans.filter((p) => Date.now() - p.at < SAVE_PLAN_MS).slice(-7), { state: plan.state, at: Date.now(), open: true }];
    this.holdForSave(d);
    this.log.debug(`review ${d.info?.id}: save participant: whole=${plan.whole} inflight=${!!d.inflight} edit@${plan.edit.offset}+${plan.edit.length} version=${doc.version}`);
    e.waitUntil(Promise.resolve([vscode.TextEdit.replace(range, plan.edit.text)]));
  }

  private onDidSave(document: vscode.TextDocument): void {
    const d = this.docs.get(document.uri.toString());
    if (!d) return;
    // The save is over: its edit landed or was dropped. A late one is still recognised (savePlans).
    for (const p of d.savePlans) p.open = false;
    this.releaseSave(d);
    // VS Code writes the text as it is after the save participants ran: a key pressed in between (an
    // Undo racing an automatic save) reaches the disk unseen. When the text just written holds a
    // pending hunk, save again at once: the participant writes the originals.
    if (!document.isDirty && planSave(d.session, d.inflight?.state, document.getText())) {
      if (d.resaves < 3) {
        d.resaves++;
        this.log.warn(`review ${d.info?.id}: the editor changed the text while it was being saved; saving again with the original lines`);
        // The file is clean now, and TextDocument.save() does nothing on a clean file: save it anyway.
        void vscode.workspace.save(document.uri);
        return;
      }
    } else {
      d.resaves = 0;
    }
    if (!d.review?.collapsed) return;
    // Show the pending changes again once the save is over, unless the editor went away with it
    // (closing a file with "Save"): then the review ends with the file as saved.
    setTimeout(() => {
      if (!this.editorFor(document)) {
        void this.dispatch(d, { type: 'close' });
        return;
      }
      if (d.keepCollapsed) {
        this.log.info(`review ${d.info?.id}: saved automatically; the pending changes show their original lines until you accept or reject them (Side-by-Side Diff shows the proposal)`);
        return;
      }
      void this.dispatch(d, { type: 'saved' });
    }, 50);
  }

  /**
   * Our own edits wait until the save's edit has landed (or the save is over, or, should VS Code drop the
   * edit, a moment has passed): VS Code applies a save participant's edit asynchronously, so an edit of
   * ours sent meanwhile could land first and shift the text under the save's offsets.
   */
  private holdForSave(d: DocumentReview): void {
    if (d.saveBarrier) return;
    let release!: () => void;
    const promise = new Promise<void>((r) => (release = r));
    const timer = setTimeout(() => this.releaseSave(d), SAVE_HOLD_MS);
    d.saveBarrier = {
      promise,
      release: () => {
        clearTimeout(timer);
        release();
      },
    };
  }

  private releaseSave(d: DocumentReview): void {
    const barrier = d.saveBarrier;
    d.saveBarrier = undefined;
    barrier?.release();
  }

  private onDidClose(document: vscode.TextDocument): void {
    const d = this.docs.get(document.uri.toString());
    if (!d) return;
    d.abort?.abort();
    if (d.phase !== 'idle') void this.dispatch(d, { type: 'close' });
  }

  // --- persistence across window reloads ------------------------------------------------------------------

  private schedulePersist(): void {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      void this.persist();
    }, 100);
  }

  private persist(): Thenable<void> {
    const data: PersistedReview[] = [...this.docs.values()]
      .filter((d) => d.phase !== 'idle' || d.session.known.some((k) => pendingCount(k.review) > 0))
      .slice(-PERSISTED_DOCUMENTS)
      .map((d) => ({
        uri: d.uri.toString(),
        known: d.session.known.slice(0, PERSISTED_STATES),
        originalText: d.session.originalText,
        instruction: d.info?.instruction ?? '',
        feature: d.info?.feature ?? 'edit',
      }));
    return this.services.context.workspaceState.update(PERSIST_KEY, data);
  }

  /**
   * After a window reload VS Code may restore a document's unsaved text (hot exit) with a review in it,
   * as it was at its last backup; a document reopened after closing has the text on disk. When the text
   * is one the review produced with hunks pending, that review comes back; otherwise the record stays
   * as memory for the save participant. The file on disk never held the review either way.
   */
  private restore(document: vscode.TextDocument): void {
    if (document.uri.scheme === DIFF_SCHEME) return;
    const existing = this.docs.get(document.uri.toString());
    if (existing && existing.phase !== 'idle') return;
    const saved = this.services.context.workspaceState.get<PersistedReview[]>(PERSIST_KEY, []);
    const entry = saved.find((p) => p.uri === document.uri.toString());
    const candidates = existing?.session.known.length ? existing.session.known : Array.isArray(entry?.known) ? entry.known : [];
    if (candidates.length === 0) return;
    const d = this.entry(document);
    const step = reduce(d.session, { type: 'restore', doc: document.getText(), candidates, originalText: existing?.session.originalText ?? entry?.originalText ?? '' });
    if (step.restored) {
      d.info = d.info ?? { id: this.nextId++, instruction: entry?.instruction ?? '', feature: entry?.feature ?? 'edit' };
      this.log.info(`review ${d.info.id} restored in ${document.uri.toString(true)}`);
    }
    d.session = step.state;
    this.changed(d);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    if (this.persistTimer) {
      clearTimeout(this.persistTimer);
      void this.persist();
    }
    for (const d of this.docs.values()) d.abort?.abort();
    super.dispose();
  }
}

export function diffUri(d: { uri: vscode.Uri; info?: ReviewInfo }, side: 'original' | 'proposal'): vscode.Uri {
  const name = d.uri.path.split('/').pop() || 'untitled';
  return vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${side}/${name}`, query: `session=${d.info?.id ?? 0}&side=${side}` });
}
