import * as vscode from 'vscode';
import { EXTRACT_MESSAGES } from '../core/edit/extract';
import { decideEdit, largerLimit, type EditVerdict } from '../core/edit/outcome';
import { lineContent } from '../core/edit/lines';
import { createReview, joinRegion, pendingCount, proposalLines, segmentsFromHunks, settleAll, withoutUnreached, type Review } from '../core/edit/review';
import { StreamingDiff } from '../core/edit/streamingDiff';
import { abortSignalFrom } from '../core/model/cancel';
import { ModelError, type ChatMessage } from '../core/model/types';
import { buildEditPrompt } from '../core/prompt/editPrompt';
import { redactSecrets } from '../core/context/redact';
import { showProblem } from './errors';
import { diffUri, ReviewManager, type ReviewSession } from './reviewManager';
import type { EditRunner, Services } from './services';
import { openSettings } from './settings';
import { Commands, Settings, settingId, StorageKeys } from '../core/names';
import { Disposable } from '../core/lifecycle';

const HISTORY_KEY = StorageKeys.instructionHistory;
const HISTORY_SIZE = 20;
/** How often the streamed proposal is folded into the document (ms). */
const STREAM_FRAME_MS = 40;

/** Whole lines [startLine, endLine] of a document as a region. */
interface Region {
  startLine: number;
  endLine: number;
}

function regionOf(document: vscode.TextDocument, range: vscode.Range): Region {
  let endLine = range.end.line;
  // A selection that ends at column 0 of a line does not include that line.
  if (endLine > range.start.line && range.end.character === 0) endLine--;
  return { startLine: range.start.line, endLine: Math.min(endLine, document.lineCount - 1) };
}

function regionText(document: vscode.TextDocument, region: Region): { text: string; finalEol: boolean; range: vscode.Range } {
  const finalEol = region.endLine < document.lineCount - 1;
  const end = finalEol ? new vscode.Position(region.endLine + 1, 0) : document.lineAt(region.endLine).range.end;
  const range = new vscode.Range(region.startLine, 0, end.line, end.character);
  return { text: document.getText(range), finalEol, range };
}

function eolOf(document: vscode.TextDocument): '\n' | '\r\n' {
  return document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
}

function severityName(s: vscode.DiagnosticSeverity): string {
  return ['error', 'warning', 'information', 'hint'][s] ?? 'information';
}

/** The function or block around the cursor (document symbols), else the current line. */
async function enclosingRange(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Range> {
  try {
    const symbols = await Promise.race([
      vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[]>('vscode.executeDocumentSymbolProvider', document.uri),
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 1500)),
    ]);
    const wanted = new Set([
      vscode.SymbolKind.Function,
      vscode.SymbolKind.Method,
      vscode.SymbolKind.Constructor,
      vscode.SymbolKind.Class,
      vscode.SymbolKind.Interface,
      vscode.SymbolKind.Enum,
      vscode.SymbolKind.Struct,
      vscode.SymbolKind.Module,
      vscode.SymbolKind.Namespace,
    ]);
    let best: vscode.Range | undefined;
    const visit = (list: readonly (vscode.DocumentSymbol | vscode.SymbolInformation)[]): void => {
      for (const s of list) {
        const range = 'range' in s ? s.range : s.location.range;
        if (!range.contains(position)) continue;
        if (wanted.has(s.kind) && (!best || best.contains(range))) best = range;
        if ('children' in s) visit(s.children);
      }
    };
    visit(symbols ?? []);
    if (best && best.end.line > best.start.line) return best;
  } catch {
    // No symbol provider: fall back to the line.
  }
  return document.lineAt(position.line).range;
}

/**
 * Edit Selection, and the EditRunner every code-changing feature goes through: one streamed request,
 * shown as it arrives, then the proper diff for review.
 */
export class EditController extends Disposable implements EditRunner {

  constructor(
    private readonly services: Services,
    private readonly reviews: ReviewManager,
  ) {
    super();
    reviews.manuallyStopped = (session) => {
      session.abort?.abort(new Error('edited'));
    };
    const withSession = (fn: (s: ReviewSession, editor: vscode.TextEditor | undefined) => unknown) => (uri?: vscode.Uri) => {
      const session = uri instanceof vscode.Uri ? reviews.get(uri) : reviews.active();
      if (!session) {
        void vscode.window.showInformationMessage('Redline: there is no review open in this editor.');
        return;
      }
      return fn(session, reviews.editorFor(session.document));
    };
    this._registerAll(
      vscode.commands.registerCommand(Commands.editSelection, () => this.editSelectionCommand()),
      vscode.commands.registerCommand(Commands.acceptAll, withSession((s) => reviews.acceptOrReject(s, 'accepted'))),
      vscode.commands.registerCommand(Commands.rejectAll, withSession((s) => reviews.acceptOrReject(s, 'rejected'))),
      vscode.commands.registerCommand(Commands.acceptHunk, (uri?: vscode.Uri, id?: number) => this.hunkCommand('accepted', uri, id)),
      vscode.commands.registerCommand(Commands.rejectHunk, (uri?: vscode.Uri, id?: number) => this.hunkCommand('rejected', uri, id)),
      vscode.commands.registerCommand(Commands.nextHunk, withSession((s, e) => e && reviews.reveal(s, e, 1))),
      vscode.commands.registerCommand(Commands.previousHunk, withSession((s, e) => e && reviews.reveal(s, e, -1))),
      vscode.commands.registerCommand(Commands.showDiff, withSession((s) => this.showDiff(s))),
      vscode.commands.registerCommand(Commands.retry, withSession((s) => this.retry(s))),
      vscode.commands.registerCommand(Commands.cancel, withSession((s) => s.abort?.abort())),
    );
  }

  private async hunkCommand(state: 'accepted' | 'rejected', uri?: vscode.Uri, id?: number): Promise<void> {
    const session = uri instanceof vscode.Uri ? this.reviews.get(uri) : this.reviews.active();
    if (!session || session.status !== 'reviewing') return;
    const editor = this.reviews.editorFor(session.document);
    const target = typeof id === 'number' ? id : editor ? this.reviews.hunkAtCursor(session, editor) : undefined;
    if (target === undefined) return;
    await this.reviews.acceptOrReject(session, state, target);
  }

  private async editSelectionCommand(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('Redline: open a file and select the code to edit.');
      return;
    }
    const range = editor.selection.isEmpty ? await enclosingRange(editor.document, editor.selection.active) : editor.selection;
    const instruction = await this.askInstruction();
    if (!instruction) return;
    await this.proposeEdit({ editor, range, instruction, feature: 'edit' });
  }

  /** A quick pick that takes a new instruction and offers the recent ones. */
  private askInstruction(initial = ''): Promise<string | undefined> {
    const history = this.services.context.globalState.get<string[]>(HISTORY_KEY, []);
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem>();
    pick.title = 'Redline: Edit Selection';
    pick.placeholder = 'Describe the change (Enter to send, Escape to cancel)';
    pick.value = initial;
    pick.ignoreFocusOut = true;
    pick.matchOnDescription = false;
    const refresh = (): void => {
      const typed = pick.value.trim();
      const recent = history.filter((h) => h !== typed).map((h) => ({ label: h, description: 'recent' }));
      pick.items = typed ? [{ label: typed, description: 'new instruction', alwaysShow: true }, ...recent] : recent;
    };
    refresh();
    return new Promise((resolve) => {
      let done = false;
      pick.onDidChangeValue(refresh);
      pick.onDidAccept(() => {
        const chosen = (pick.selectedItems[0]?.label ?? pick.value).trim();
        if (!chosen) return;
        done = true;
        void this.services.context.globalState.update(HISTORY_KEY, [chosen, ...history.filter((h) => h !== chosen)].slice(0, HISTORY_SIZE));
        pick.hide();
        resolve(chosen);
      });
      pick.onDidHide(() => {
        pick.dispose();
        if (!done) resolve(undefined);
      });
      pick.show();
    });
  }

  /** Refuses files that must never be sent; says why and how to change it. */
  private refuseExcluded(document: vscode.TextDocument): boolean {
    if (!this.services.isExcluded(document.uri)) return false;
    showProblem(`${vscode.workspace.asRelativePath(document.uri)} matches redline.exclude, so it is never sent to the model.`, {
      'Open Settings': () => openSettings(settingId(Settings.exclude)),
    });
    return true;
  }

  async proposeEdit(options: {
    editor: vscode.TextEditor;
    range: vscode.Range;
    instruction: string;
    feature: string;
    messages?: ChatMessage[];
    /** The reply limit in tokens (Retry with a larger limit); else the prompt's. */
    maxTokens?: number;
  }): Promise<void> {
    const { editor, instruction, feature } = options;
    const document = editor.document;
    if (this.refuseExcluded(document)) return;
    if (this.reviews.get(document)) {
      showProblem('a review is already open in this file. Accept or reject it first.', {
        'Show Review': () => void vscode.window.showTextDocument(document),
      });
      return;
    }
    const region = regionOf(document, options.range);
    const { text: originalText, finalEol, range: fullRange } = regionText(document, region);
    const insertion = options.range.isEmpty && !!options.messages;
    const eol = eolOf(document);
    const settings = this.services.settings();
    const before = document.getText(new vscode.Range(new vscode.Position(0, 0), fullRange.start));
    const after = document.getText(new vscode.Range(fullRange.end, document.lineAt(document.lineCount - 1).range.end));

    let messages = options.messages;
    let maxTokens = options.maxTokens;
    if (!messages) {
      const diagnostics = vscode.languages
        .getDiagnostics(document.uri)
        .filter((d) => d.range.end.line >= region.startLine && d.range.start.line <= region.endLine)
        .map((d) => ({ line: d.range.start.line, severity: severityName(d.severity), message: d.message }));
      const prompt = buildEditPrompt({
        instruction,
        languageId: document.languageId,
        filePath: vscode.workspace.asRelativePath(document.uri),
        before: redactSecrets(before).text,
        selection: originalText,
        after: redactSecrets(after).text,
        diagnostics,
        contextWindowTokens: settings.chat.contextWindowTokens,
        reasoningTokens: settings.chat.reasoningTokens,
      });
      if (!prompt.ok) {
        showProblem(prompt.message, { 'Open Settings': () => openSettings(settingId(Settings.contextWindowTokens)) }, 'error');
        return;
      }
      messages = prompt.messages;
      maxTokens = options.maxTokens ?? prompt.maxTokens;
    }

    const originalLines = proposalLines(originalText, finalEol);
    const startReview: Review = {
      startLine: region.startLine,
      eol,
      finalEol,
      segments: insertion ? segmentsFromHunks(originalLines, []) : segmentsFromHunks(originalLines, [], { reachedOldLines: 0 }),
      collapsed: false,
    };
    const session = this.reviews.start({ document, review: startReview, originalText, instruction, feature });
    const abort = new AbortController();
    session.abort = abort;
    const done = this.services.status.busy(feature);
    const log = this.services.log;
    let outcome: 'ok' | 'error' | 'cancelled' = 'ok';

    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Redline is writing…', cancellable: true },
      async (progress, token) => {
        const link = abortSignalFrom(token, abort.signal);
        const streaming = new StreamingDiff(insertion ? '' : originalText, { languageId: document.languageId, eol, before, after });
        let lastFrame = 0;
        let frame: NodeJS.Timeout | undefined;
        const fold = (): void => {
          frame = undefined;
          lastFrame = Date.now();
          if (session.disposed || session.status !== 'streaming' || insertion) return;
          const snap = streaming.snapshot();
          const hunks = snap.hunks.map((h) => ({ ...h, oldLines: h.oldLines.map(lineContent), newLines: h.newLines.map(lineContent) }));
          if (snap.pendingNewLines.length) {
            const pending = snap.pendingNewLines.map(lineContent);
            const last = hunks[hunks.length - 1];
            if (last && last.oldStart + last.oldLines.length === snap.consumedOldLines) last.newLines.push(...pending);
            else hunks.push({ oldStart: snap.consumedOldLines, oldLines: [], newStart: 0, newLines: pending });
          }
          const segments = segmentsFromHunks(originalLines, hunks, { reachedOldLines: snap.consumedOldLines });
          void session.update((r) => (r.collapsed ? { ...r, segments, collapsed: true } : { ...r, segments }));
        };
        try {
          const client = await this.services.modelClient('chat');
          // "thinking…" while the model reasons (reasoning_content deltas, or a <think> block in the text).
          let shown = '';
          const say = (message: string): void => {
            if (message !== shown) progress.report({ message: (shown = message) });
          };
          const onReasoning = (): void => say('thinking…');
          const stream = client.streamChat({ feature, model: settings.chat.model, messages, temperature: 0.1, maxTokens, signal: link.signal, onReasoning });
          for await (const delta of stream) {
            streaming.push(delta);
            say(streaming.thinking ? 'thinking…' : '');
            if (!frame) frame = setTimeout(fold, Math.max(0, STREAM_FRAME_MS - (Date.now() - lastFrame)));
          }
          if (frame) clearTimeout(frame);
          const result = await stream.result;
          log.info(`edit ${session.id}: reply of ${result.text.length} characters`);
          await session.settled();
          if (session.disposed) return;
          const verdict = decideEdit(
            { text: result.text, reasoning: result.reasoning, finishReason: result.finishReason, completionTokens: result.usage.completionTokens },
            { selection: insertion ? '' : originalText, languageId: document.languageId, eol, before, after },
          );
          if (verdict.kind === 'refusal') {
            outcome = 'error';
            log.warn(`edit ${session.id}: reply refused (${verdict.reason}, finish ${result.finishReason ?? 'none'}): ${JSON.stringify(result.text.slice(0, 500))}`);
            await this.restoreAndEnd(session);
            this.showRefusal(verdict, result.text, options, maxTokens, result.usage.completionTokens);
            return;
          }
          const proposal = insertion ? insertionProposal(document, options.range, region, verdict.text, eol, finalEol) : verdict.text;
          const finalReview = createReview({ startLine: session.review.startLine, originalText, proposalText: proposal, eol, finalEol });
          if (pendingCount(finalReview) === 0) {
            await this.restoreAndEnd(session);
            void vscode.window.showInformationMessage(`Redline: ${EXTRACT_MESSAGES.unchanged}`);
            return;
          }
          await session.update(finalReview);
          this.markReviewing(session);
        } catch (err) {
          if (frame) clearTimeout(frame);
          await session.settled();
          const error = err instanceof ModelError ? err : undefined;
          const editedByUser = abort.signal.aborted && abort.signal.reason instanceof Error && abort.signal.reason.message === 'edited';
          if (editedByUser && !session.disposed) {
            // Keep what the user typed; review what had arrived.
            outcome = 'cancelled';
            await session.update(withoutUnreached);
            this.markReviewing(session);
            void vscode.window.showInformationMessage('Redline stopped writing because you edited the text under review. Review what arrived so far.');
            return;
          }
          // Decide before restoring: ending the session aborts its controller too.
          const cancelled = error?.kind === 'cancelled' || token.isCancellationRequested || (!error && abort.signal.aborted);
          await this.restoreAndEnd(session);
          if (cancelled) {
            outcome = 'cancelled';
            log.info(`edit ${session.id}: cancelled`);
            return;
          }
          outcome = 'error';
          if (error) this.services.showModelError(error, () => void this.proposeEdit(options));
          else {
            log.error(`edit ${session.id}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
            showProblem('the edit failed unexpectedly. The document is unchanged.', { 'Open Output': () => log.show(true) }, 'error');
          }
        } finally {
          link.dispose();
          done(outcome);
        }
      },
    );
  }

  /** Says why a reply is not proposed, with its next steps (core decides them: src/core/edit/outcome.ts). */
  private showRefusal(verdict: Extract<EditVerdict, { kind: 'refusal' }>, reply: string, options: Parameters<EditController['proposeEdit']>[0], limit: number | undefined, used: number): void {
    if (verdict.reason === 'unchanged') {
      void vscode.window.showInformationMessage(`Redline: ${EXTRACT_MESSAGES.unchanged}`);
      return;
    }
    const log = this.services.log;
    const actions: Record<string, () => void> = {};
    for (const step of verdict.nextSteps) {
      if (step === 'retryLarger') actions['Retry with a Larger Limit'] = () => void this.proposeEdit({ ...options, maxTokens: largerLimit(limit, used) });
      else if (step === 'retry') actions.Retry = () => void this.proposeEdit(options);
    }
    if (verdict.showReply && reply.trim() !== '') {
      // The whole reply goes to the log (model output, shown as text); the button opens it there.
      log.info(`edit reply, refused (${verdict.reason}):\n${reply.slice(0, 20_000)}`);
      actions['Show Reply'] = () => log.show(true);
    } else if (verdict.nextSteps.includes('openOutput')) actions['Open Output'] = () => log.show(true);
    showProblem(verdict.message, actions);
  }

  async reviewReplacement(options: { editor: vscode.TextEditor; range: vscode.Range; replacement: string; feature: string }): Promise<void> {
    const { editor, feature } = options;
    const document = editor.document;
    if (this.reviews.get(document)) {
      showProblem('a review is already open in this file. Accept or reject it first.');
      return;
    }
    const region = regionOf(document, options.range);
    const { text: originalText, finalEol, range: fullRange } = regionText(document, region);
    const eol = eolOf(document);
    // Keep whatever shares the first and last lines with the replaced range.
    const head = document.getText(new vscode.Range(fullRange.start, options.range.start));
    const tailEnd = finalEol ? document.lineAt(region.endLine).range.end : fullRange.end;
    const tail = options.range.end.isBefore(tailEnd) ? document.getText(new vscode.Range(options.range.end, tailEnd)) : '';
    const proposal = head + options.replacement.replace(/\r?\n/g, eol) + tail + (finalEol ? eol : '');
    const review = createReview({ startLine: region.startLine, originalText, proposalText: proposal, eol, finalEol });
    if (pendingCount(review) === 0) {
      void vscode.window.showInformationMessage(`Redline: ${EXTRACT_MESSAGES.unchanged}`);
      return;
    }
    const session = this.reviews.start({
      document,
      review: { ...review, segments: segmentsFromHunks(proposalLines(originalText, finalEol), []) },
      originalText,
      instruction: '',
      feature,
    });
    await session.update(review);
    this.markReviewing(session);
  }

  /** The proposal is in place: hunks get their Accept / Reject. */
  private markReviewing(session: ReviewSession): void {
    if (session.disposed) return;
    session.status = 'reviewing';
    this.reviews.changed(session);
    this.reveal(session);
  }

  private reveal(session: ReviewSession): void {
    const editor = this.reviews.editorFor(session.document);
    if (!editor) return;
    const first = session.rendered().hunks[0];
    if (!first) return;
    const pos = new vscode.Position(session.review.startLine + first.oldStart, 0);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** Puts the original text back (rejecting everything) and ends the session. */
  private async restoreAndEnd(session: ReviewSession): Promise<void> {
    if (session.disposed) return;
    await session.update((r) => settleAll(withoutUnreached(r), 'rejected'), { last: true });
    if (!session.disposed) this.reviews.end(session, 'failed');
  }

  private async showDiff(session: ReviewSession): Promise<void> {
    const name = session.uri.path.split('/').pop() ?? 'file';
    await vscode.commands.executeCommand('vscode.diff', diffUri(session, 'original'), diffUri(session, 'proposal'), `${name}: original ↔ Redline proposal`, {
      preview: true,
      viewColumn: vscode.ViewColumn.Beside,
    });
  }

  /** Rejects the whole review and asks again, with the last instruction to start from. */
  private async retry(session: ReviewSession): Promise<void> {
    if (session.status !== 'reviewing') return;
    const editor = this.reviews.editorFor(session.document) ?? (await vscode.window.showTextDocument(session.document));
    const instruction = await this.askInstruction(session.instruction);
    if (!instruction || session.disposed) return;
    const startLine = session.review.startLine;
    const lineCount = proposalLines(session.originalText, session.review.finalEol).length;
    await this.reviews.acceptOrReject(session, 'rejected');
    await session.settled();
    const endLine = Math.max(startLine, startLine + lineCount - 1);
    const range = new vscode.Range(startLine, 0, endLine, editor.document.lineAt(Math.min(endLine, editor.document.lineCount - 1)).text.length);
    await this.proposeEdit({ editor, range, instruction, feature: session.feature });
  }
}

/** The region's text with generated code inserted at an empty range (Write Tests into a file). */
function insertionProposal(document: vscode.TextDocument, at: vscode.Range, region: Region, code: string, eol: '\n' | '\r\n', finalEol: boolean): string {
  const lines: string[] = [];
  for (let l = region.startLine; l <= region.endLine; l++) lines.push(document.lineAt(l).text);
  const offsetLine = at.start.line - region.startLine;
  const line = lines[offsetLine] ?? '';
  const codeLines = proposalLines(code, false).filter((_, i, all) => !(i === all.length - 1 && all[i] === ''));
  let merged: string[];
  if (line.trim() === '') {
    // An empty last line is the file's final newline: keep one after the inserted code.
    const keepFinalNewline = !finalEol && offsetLine === lines.length - 1 && line === '';
    merged = [...lines.slice(0, offsetLine), ...codeLines, ...lines.slice(offsetLine + 1), ...(keepFinalNewline ? [''] : [])];
  }
  else if (at.start.character >= line.length) merged = [...lines.slice(0, offsetLine + 1), '', ...codeLines, ...lines.slice(offsetLine + 1)];
  else merged = [...lines.slice(0, offsetLine), ...codeLines, ...lines.slice(offsetLine)];
  return joinRegion(merged, eol, finalEol);
}

