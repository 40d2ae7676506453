import * as vscode from 'vscode';
import { webviewPage } from './webview';
import { answerProblem } from '../core/reply';
import {
  isPersistedThread,
  parseFromWebview,
  type Header,
  type PersistedThread,
  type PersistedTurn,
  type ToWebview,
  type TurnView,
} from '../core/actions/explainProtocol';
import { buildExplainMessages, EXPLAIN_SYSTEM_PROMPT, explainVault, type ExplainTurn } from '../core/actions/prompts';
import { SecretVault } from '../core/context/redact';
import { fitReplacement, locateOriginal } from '../core/actions/target';
import { ModelError } from '../core/model/types';
import { countTokens } from '../core/prompt/tokens';
import { isOpenableLink, type CodeBlock } from '../core/markdown/render';
import { MarkdownStream, VisibleAnswer, type StreamUpdate } from '../core/markdown/stream';
import { showProblem } from './errors';
import type { AnswerToShow, Services } from './services';
import { openSettings } from './settings';
import { Settings, settingId, Views } from '../core/names';
import { Disposable } from '../core/lifecycle';

export const EXPLAIN_VIEW_TYPE = Views.explain;

/** How often a streaming answer is re-rendered and sent to the webview. */
const RENDER_INTERVAL_MS = 80;
/** Share of the context window an explanation thread may use (the rest is for the answer). */
const THREAD_SHARE = 0.6;

/** What Explain (or an explain-kind custom action) asks for. */
export interface ExplainRequest {
  title: string;
  firstPrompt: string;
  editor: vscode.TextEditor;
  range: vscode.Range;
  /** The vault `firstPrompt` was redacted with; the thread's follow-ups and Apply use it too. */
  secrets: SecretVault;
}

interface Running {
  turn: number;
  abort: AbortController;
}

/**
 * The Explain panel: one webview beside the editor, reused for each explanation. The extension owns
 * the thread (Markdown, code blocks, the explained code's location); the webview only shows HTML that
 * was rendered and sanitised here, and keeps a copy of the thread with setState for reloads.
 */
export class ExplainPanel extends Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private ready = false;
  private thread: PersistedThread | undefined;
  /** Placeholders of the thread's secrets: follow-ups are redacted with it, applied code restored. */
  private secrets = new SecretVault();
  private running: Running | undefined;
  private renderTimer: NodeJS.Timeout | undefined;
  /** Code blocks by id, for Copy and Apply. */
  private blocks = new Map<string, CodeBlock>();
  /** Each answer's incremental renderer: a frame renders only what changed. */
  private renderers = new Map<number, MarkdownStream>();
  /** Each answer without its reasoning (<think>…</think>), kept up to date without rescanning it. */
  private visible = new Map<number, VisibleAnswer>();

  constructor(private readonly services: Services) {
    super();
    this._register(
      vscode.window.registerWebviewPanelSerializer(EXPLAIN_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => this.restorePanel(panel, state),
      }),
    );
  }

  /** Starts a new thread: shows the panel beside the editor and streams the explanation into it. */
  async explain(request: ExplainRequest): Promise<void> {
    const { editor, range } = request;
    const document = editor.document;
    const settings = this.services.settings();
    const promptTokens = countTokens(request.firstPrompt);
    if (promptTokens > settings.chat.contextWindowTokens * THREAD_SHARE) {
      showProblem(
        `the selection is too large to explain (${promptTokens} tokens for a ${settings.chat.contextWindowTokens}-token context window). Select less, or raise redline.chat.contextWindowTokens if your model allows it.`,
        { 'Open Settings': () => openSettings(settingId(Settings.contextWindowTokens)) },
      );
      return;
    }
    this.stop();
    this.thread = {
      version: 1,
      title: request.title,
      firstPrompt: request.firstPrompt,
      source: {
        uri: document.uri.toString(),
        range: [range.start.line, range.start.character, range.end.line, range.end.character],
        offset: document.offsetAt(range.start),
        text: document.getText(range),
        languageId: document.languageId,
        filePath: vscode.workspace.asRelativePath(document.uri),
      },
      turns: [],
    };
    this.secrets = request.secrets;
    this.blocks.clear();
    this.renderers.clear();
    this.visible.clear();
    this.showPanel();
    await this.runTurn(request.title, true);
  }

  /**
   * Shows a reply that was not meant for this panel (an edit's reply with no code to apply) as an
   * answered question, so the user can read it and ask a follow-up with the same code as context.
   */
  showAnswer(answer: AnswerToShow): void {
    this.stop();
    const { editor, range } = answer;
    const document = editor?.document;
    this.thread = {
      version: 1,
      title: answer.title,
      firstPrompt: answer.firstPrompt,
      ...(document && range
        ? {
            source: {
              uri: document.uri.toString(),
              range: [range.start.line, range.start.character, range.end.line, range.end.character] as [number, number, number, number],
              offset: document.offsetAt(range.start),
              text: document.getText(range),
              languageId: document.languageId,
              filePath: vscode.workspace.asRelativePath(document.uri),
            },
          }
        : {}),
      turns: [{ question: answer.question, answer: answer.answer }],
    };
    this.blocks.clear();
    const existing = !!this.panel;
    this.showPanel();
    if (existing) this.post(this.restoreMessage());
  }

  /** A follow-up question in the current thread. */
  private async ask(text: string): Promise<void> {
    if (!this.thread || this.running) return;
    await this.runTurn(text.trim(), false);
  }

  private async runTurn(question: string, reset: boolean): Promise<void> {
    const thread = this.thread!;
    const earlier: ExplainTurn[] = thread.turns.map((t) => ({ question: t.question, answer: t.answer }));
    const settings = this.services.settings();
    const budgetChars = Math.max(4000, Math.floor(settings.chat.contextWindowTokens * 4 * THREAD_SHARE));
    const messages = reset
      ? [
          { role: 'system' as const, content: EXPLAIN_SYSTEM_PROMPT },
          { role: 'user' as const, content: thread.firstPrompt },
        ]
      : buildExplainMessages(thread.firstPrompt, earlier, question, budgetChars, this.secrets);

    const turnIndex = thread.turns.length;
    const turn: PersistedTurn = { question, answer: '' };
    thread.turns.push(turn);
    const abort = new AbortController();
    const running: Running = { turn: turnIndex, abort };
    this.running = running;
    this.post({ type: 'start', turn: turnIndex, question, header: this.header(), reset, state: thread });

    const done = this.services.status.busy('explain');
    let outcome: 'ok' | 'error' | 'cancelled' = 'ok';
    const log = this.services.log;
    try {
      const client = await this.services.modelClient('chat');
      // Reasoning sent apart is not shown: the panel says "Thinking…" while no answer has come.
      const stream = client.streamChat({ feature: 'explain', model: settings.chat.model, messages, temperature: 0.2, signal: abort.signal, onReasoning: () => undefined });
      stream.result.catch(() => undefined); // awaited below unless the loop is left early
      for await (const delta of stream) {
        if (this.running !== running) break;
        turn.answer += delta;
        this.scheduleRender(turnIndex);
      }
      const result = this.running === running ? await stream.result : undefined;
      if (abort.signal.aborted) {
        outcome = 'cancelled';
        turn.stopped = true;
      } else if (result) {
        // Reasoning and no answer, or an answer cut off: said under what arrived.
        const problem = answerProblem({ text: result.text, reasoning: result.reasoning, finishReason: result.finishReason, completionTokens: result.usage.completionTokens });
        if (problem) turn.error = problem;
      }
    } catch (err) {
      if (abort.signal.aborted || (err instanceof ModelError && err.kind === 'cancelled')) {
        outcome = 'cancelled';
        turn.stopped = true;
      } else {
        outcome = 'error';
        const error =
          err instanceof ModelError ? err : new ModelError('badResponse', 'The explanation failed unexpectedly.', ['openOutput'], { cause: err });
        if (!(err instanceof ModelError)) log.error(`explain: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        turn.error = error.userMessage;
        this.services.showModelError(error, () => void this.retryLast());
      }
    } finally {
      done(outcome);
      const current = this.running === running;
      if (current) {
        this.running = undefined;
        this.clearRenderTimer();
      }
      // A new Explain may have replaced this thread while it ran: then nothing of it is shown any more.
      if (this.thread === thread) {
        const update = this.renderTurn(turnIndex, true);
        if (turn.error) this.post({ type: 'error', turn: turnIndex, message: turn.error, ...update, state: thread });
        else this.post({ type: 'done', turn: turnIndex, ...update, stopped: !!turn.stopped, state: thread });
      }
    }
  }

  /** Asks the last question again (Retry after an error). */
  private async retryLast(): Promise<void> {
    const thread = this.thread;
    if (!thread || this.running || thread.turns.length === 0) return;
    const last = thread.turns.pop()!;
    this.post(this.restoreMessage());
    await this.runTurn(last.question, thread.turns.length === 0);
  }

  /** Stop: cancels the running request; what arrived so far stays. */
  stop(): void {
    const running = this.running;
    if (!running) return;
    running.abort.abort();
  }

  private scheduleRender(turn: number): void {
    if (this.renderTimer) return;
    this.renderTimer = setTimeout(() => {
      this.renderTimer = undefined;
      if (this.running?.turn === turn) this.post({ type: 'delta', turn, ...this.renderTurn(turn) });
    }, RENDER_INTERVAL_MS);
  }

  private clearRenderTimer(): void {
    if (this.renderTimer) clearTimeout(this.renderTimer);
    this.renderTimer = undefined;
  }

  /** Renders what is new in one answer (all of it when `final`) and records its code blocks. */
  private renderTurn(index: number, final = false): StreamUpdate {
    const turn = this.thread?.turns[index];
    if (!turn) return { from: 0, segments: [] };
    let renderer = this.renderers.get(index);
    if (!renderer) {
      renderer = new MarkdownStream(`t${index}-`);
      this.renderers.set(index, renderer);
    }
    const update = renderer.update(this.visibleAnswer(index, turn.answer), final);
    for (const block of renderer.codeBlocks()) this.blocks.set(block.id, block);
    return update;
  }

  /** The answer without reasoning: never shown, nor offered as code to apply. */
  private visibleAnswer(index: number, raw: string): string {
    let visible = this.visible.get(index);
    if (!visible) {
      visible = new VisibleAnswer();
      this.visible.set(index, visible);
    }
    return visible.update(raw);
  }

  /** One answer's pieces, all of them (for a webview that starts over). */
  private turnSegments(index: number): string[] {
    const turn = this.thread?.turns[index];
    if (!turn) return [];
    this.renderTurn(index, this.running?.turn !== index);
    return this.renderers.get(index)?.segments() ?? [];
  }

  private header(): Header {
    const thread = this.thread;
    if (!thread) return { title: 'Explain', canApply: false };
    const source = thread.source;
    let where: string | undefined;
    if (source) {
      const first = source.range[0] + 1;
      const last = source.range[2] + (source.range[3] === 0 && source.range[2] > source.range[0] ? 0 : 1);
      where = first === last ? `${source.filePath}, line ${first}` : `${source.filePath}, lines ${first}–${last}`;
    }
    return { title: thread.title, ...(where ? { where } : {}), canApply: !!source };
  }

  private restoreMessage(): ToWebview {
    const thread = this.thread;
    const turns: TurnView[] = (thread?.turns ?? []).map((t, i) => ({
      question: t.question,
      segments: this.turnSegments(i),
      ...(t.stopped ? { stopped: true } : {}),
      ...(t.error ? { error: t.error } : {}),
      ...(this.running?.turn === i ? { streaming: true } : {}),
    }));
    return { type: 'restore', header: this.header(), turns, running: !!this.running, state: thread ?? null };
  }

  private showPanel(): void {
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      EXPLAIN_VIEW_TYPE,
      'Redline: Explain',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      this.webviewOptions(),
    );
    this.adopt(panel);
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(this.services.context.extensionUri, 'media')],
    };
  }

  /** After a window reload: the thread comes back from the webview's saved state. */
  private async restorePanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (this.panel) {
      // Only one Explain panel: a second restored one (from an older layout) is closed.
      panel.dispose();
      return;
    }
    this.thread = isPersistedThread(state) ? state : undefined;
    this.secrets = explainVault(this.thread?.source?.text, (this.thread?.turns ?? []).slice(1).map((t) => t.question));
    if (this.thread) {
      for (const turn of this.thread.turns) if (!turn.answer && !turn.error) turn.stopped = true;
    }
    this.blocks.clear();
    this.renderers.clear();
    this.visible.clear();
    panel.webview.options = this.webviewOptions();
    this.adopt(panel);
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.services.context.extensionUri, 'media', 'icon.png');
    panel.webview.html = this.html(panel.webview);
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage((raw) => this.onMessage(raw)),
      panel.onDidDispose(() => {
        this.stop();
        this.panel = undefined;
        this.thread = undefined;
        this.blocks.clear();
        this.renderers.clear();
    this.visible.clear();
        for (const d of this.panelDisposables) d.dispose();
        this.panelDisposables = [];
      }),
    );
  }

  private post(message: ToWebview): void {
    if (!this.panel || !this.ready) return; // 'ready' brings everything with a restore
    void this.panel.webview.postMessage(message);
  }

  private onMessage(raw: unknown): void {
    const message = parseFromWebview(raw);
    if (!message) {
      this.services.log.warn('explain: ignored a malformed message from the panel');
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post(this.restoreMessage());
        return;
      case 'ask':
        void this.ask(message.text);
        return;
      case 'stop':
        this.stop();
        return;
      case 'copy':
        void this.copy(message.blockId);
        return;
      case 'apply':
        void this.apply(message.blockId);
        return;
      case 'openLink':
        if (isOpenableLink(message.href)) void vscode.env.openExternal(vscode.Uri.parse(message.href, true));
        return;
    }
  }

  private async copy(blockId: string): Promise<void> {
    const block = this.blocks.get(blockId);
    if (!block) return;
    await vscode.env.clipboard.writeText(this.secrets.restore(block.code));
    vscode.window.setStatusBarMessage('Redline: code block copied', 2000);
  }

  /** Apply: the block replaces the explained code, through the inline-diff review. */
  private async apply(blockId: string): Promise<void> {
    const block = this.blocks.get(blockId);
    const source = this.thread?.source;
    if (!block || !source) return;
    if (this.running && blockId.startsWith(`t${this.running.turn}-`)) {
      showProblem('wait for the answer to finish (or stop it) before applying its code.', {}, 'info');
      return;
    }
    let document: vscode.TextDocument;
    try {
      const uri = vscode.Uri.parse(source.uri, true);
      document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === source.uri) ?? (await vscode.workspace.openTextDocument(uri));
    } catch (err) {
      this.services.log.warn(`explain: cannot open ${source.uri}: ${String(err)}`);
      showProblem(`${source.filePath} cannot be opened any more, so there is nothing to apply this code to.`);
      return;
    }
    const offset = locateOriginal(document.getText(), source.text, source.offset);
    if (offset === undefined) {
      showProblem(
        `the code that was explained has changed in ${source.filePath}, so Redline cannot tell what this block should replace. Select the code and run Explain again, or copy the block.`,
      );
      return;
    }
    const range = new vscode.Range(document.positionAt(offset), document.positionAt(offset + source.text.length));
    const editor =
      vscode.window.visibleTextEditors.find((e) => e.document === document) ??
      (await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preserveFocus: false }));
    // The answer holds placeholders where the explained code had secrets: the real text goes back in.
    const replacement = fitReplacement(source.text, this.secrets.restore(block.code), range.start.character === 0);
    await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false, selection: range });
    await this.services.edits.reviewReplacement({ editor, range, replacement, feature: 'explain.apply' });
  }

  private html(webview: vscode.Webview): string {
    const { nonce, csp, media } = webviewPage(webview, this.services.context.extensionUri);
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media('explain.css')}">
<title>Redline: Explain</title>
</head>
<body>
<header class="header">
  <h1 id="title">Explain</h1>
  <p id="where" class="where"></p>
</header>
<main id="thread" class="thread" aria-label="Explanation"></main>
<p id="empty" class="empty">Select code and run <strong>Redline: Explain</strong> to see an explanation here.</p>
<form id="ask" class="ask" autocomplete="off">
  <label for="question">Follow-up question</label>
  <textarea id="question" rows="3" placeholder="Ask about this code… (Ctrl+Enter to send)"></textarea>
  <div class="buttons">
    <button type="submit" id="send">Send</button>
    <button type="button" id="stop" class="secondary" disabled>Stop</button>
  </div>
</form>
<script nonce="${nonce}" src="${media('explain.js')}"></script>
</body>
</html>`;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.stop();
    this.clearRenderTimer();
    this.panel?.dispose();
    super.dispose();
  }
}
