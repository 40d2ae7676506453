import * as vscode from 'vscode';
import { EXTRACT_MESSAGES } from '../core/edit/extract';
import { decideEdit, largerLimit, type EditVerdict } from '../core/edit/outcome';
import { enclosingSymbol, insertionProposal, regionOf, replacementProposal, streamSegments, type Region, type SymbolLike } from '../core/edit/region';
import { createReview, pendingCount, proposalLines, segmentsFromHunks, type Review } from '../core/edit/review';
import { StreamingDiff } from '../core/edit/streamingDiff';
import { abortSignalFrom } from '../core/model/cancel';
import { ModelError, type ChatMessage } from '../core/model/types';
import { buildEditPrompt } from '../core/prompt/editPrompt';
import { SecretVault } from '../core/context/redact';
import { showProblem } from './errors';
import { askInstruction } from './instructionBox';
import type { ReviewManager } from './reviewManager';
import type { EditRunner, Services } from './services';
import { openSettings } from './settings';
import { Commands, Settings, settingId } from '../core/names';
import { Disposable } from '../core/lifecycle';

/** How often the streamed proposal is folded into the document (ms). */
const STREAM_FRAME_MS = 40;

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
    const wanted = new Set<number>([
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
    const plain = (list: readonly (vscode.DocumentSymbol | vscode.SymbolInformation)[]): SymbolLike[] =>
      list.map((s) => ({ kind: s.kind, range: 'range' in s ? s.range : s.location.range, children: 'children' in s ? plain(s.children) : undefined }));
    const best = enclosingSymbol(plain(symbols ?? []), position, wanted);
    if (best) return new vscode.Range(best.start.line, best.start.character, best.end.line, best.end.character);
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
    this._register(vscode.commands.registerCommand(Commands.editSelection, () => this.editSelectionCommand()));
  }

  private async editSelectionCommand(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('Redline: open a file and select the code to edit.');
      return;
    }
    // Refused before the instruction is asked: typing it would be wasted.
    if (this.refuseExcluded(editor.document)) return;
    const range = editor.selection.isEmpty ? await enclosingRange(editor.document, editor.selection.active) : editor.selection;
    const instruction = await askInstruction(this.services.context.globalState);
    if (!instruction) return;
    await this.proposeEdit({ editor, range, instruction, feature: 'edit' });
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
    secrets?: SecretVault;
    /** The reply limit in tokens (Retry with a larger limit); else the prompt's. */
    maxTokens?: number;
  }): Promise<void> {
    const { editor, instruction, feature } = options;
    // The prompt's secrets are placeholders; the reply gets the real text back before it is diffed.
    const secrets = options.secrets ?? new SecretVault();
    const document = editor.document;
    if (this.refuseExcluded(document)) return;
    if (this.reviews.get(document)) {
      showProblem('a review is already open in this file. Accept or reject it first.', {
        'Show Review': () => void vscode.window.showTextDocument(document),
      });
      return;
    }
    const region = regionOf(options.range, document.lineCount);
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
        before,
        selection: originalText,
        after,
        secrets,
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
    const review = this.reviews.start({ document, review: startReview, originalText, instruction, feature, streaming: true });
    const { abort } = review;
    const id = review.info.id;
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
          if (insertion || review.phase() !== 'streaming') return;
          void review.streamDelta(streamSegments(streaming.snapshot(), originalLines));
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
          const restoring = secrets.restoreStream();
          for await (const delta of stream) {
            const text = restoring.push(delta);
            if (text) streaming.push(text);
            say(streaming.thinking ? 'thinking…' : '');
            if (!frame) frame = setTimeout(fold, Math.max(0, STREAM_FRAME_MS - (Date.now() - lastFrame)));
          }
          const rest = restoring.flush();
          if (rest) streaming.push(rest);
          if (frame) clearTimeout(frame);
          const result = await stream.result;
          log.info(`edit ${id}: reply of ${result.text.length} characters`);
          await review.settled();
          if (review.phase() !== 'streaming') return;
          const verdict = decideEdit(
            { text: secrets.restore(result.text), reasoning: result.reasoning, finishReason: result.finishReason, completionTokens: result.usage.completionTokens },
            { selection: insertion ? '' : originalText, languageId: document.languageId, eol, before, after },
          );
          if (verdict.kind === 'refusal') {
            outcome = 'error';
            log.warn(`edit ${id}: reply refused (${verdict.reason}, finish ${result.finishReason ?? 'none'}): ${JSON.stringify(result.text.slice(0, 500))}`);
            await review.cancel();
            this.showRefusal(verdict, result.text, options, maxTokens, result.usage.completionTokens);
            return;
          }
          const proposal = insertion ? insertionProposal(originalLines, region.startLine, options.range.start, verdict.text, eol, finalEol) : verdict.text;
          const finalReview = createReview({ startLine: region.startLine, originalText, proposalText: proposal, eol, finalEol });
          if (pendingCount(finalReview) === 0) {
            await review.cancel();
            void vscode.window.showInformationMessage(`Redline: ${EXTRACT_MESSAGES.unchanged}`);
            return;
          }
          await review.streamEnd(finalReview);
          this.reviews.revealFirst(review);
        } catch (err) {
          if (frame) clearTimeout(frame);
          await review.settled();
          const error = err instanceof ModelError ? err : undefined;
          if (review.phase() === 'reviewing') {
            // The user edited the text under review and the stream stopped: what arrived is reviewed.
            outcome = 'cancelled';
            return;
          }
          const cancelled = error?.kind === 'cancelled' || token.isCancellationRequested || (!error && abort.signal.aborted);
          await review.cancel();
          if (cancelled) {
            outcome = 'cancelled';
            log.info(`edit ${id}: cancelled`);
            return;
          }
          outcome = 'error';
          if (error) this.services.showModelError(error, () => void this.proposeEdit(options));
          else {
            log.error(`edit ${id}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
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
    const region = regionOf(options.range, document.lineCount);
    const { text: originalText, finalEol, range: fullRange } = regionText(document, region);
    const eol = eolOf(document);
    // Keep whatever shares the first and last lines with the replaced range.
    const head = document.getText(new vscode.Range(fullRange.start, options.range.start));
    const tailEnd = finalEol ? document.lineAt(region.endLine).range.end : fullRange.end;
    const tail = options.range.end.isBefore(tailEnd) ? document.getText(new vscode.Range(options.range.end, tailEnd)) : '';
    const proposal = replacementProposal(head, options.replacement, tail, eol, finalEol);
    const review = createReview({ startLine: region.startLine, originalText, proposalText: proposal, eol, finalEol });
    if (pendingCount(review) === 0) {
      void vscode.window.showInformationMessage(`Redline: ${EXTRACT_MESSAGES.unchanged}`);
      return;
    }
    const handle = this.reviews.start({
      document,
      review: { ...review, segments: segmentsFromHunks(proposalLines(originalText, finalEol), []) },
      originalText,
      instruction: '',
      feature,
      streaming: true,
    });
    await handle.streamEnd(review);
    this.reviews.revealFirst(handle);
  }

}
