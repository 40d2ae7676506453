import { Commands, SECTION, Views } from '../core/names';
import * as vscode from 'vscode';
import { webviewPage } from './webview';
import { buildUsageView, parseUsageMessage, type UsageToWebview } from '../core/usage/view';
import type { Pricing } from '../core/usage/ledger';
import type { UsageStore } from './usage';
import { openSettings } from './settings';

export const USAGE_VIEW_TYPE = Views.usage;

/**
 * The Usage view: one webview beside the editor with requests, errors, tokens, latency and estimated
 * cost per feature and model for today, 7 and 30 days. The extension computes everything
 * (core/usage); media/usage.js draws it. Same strict CSP as the Explain panel.
 */
export class UsagePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly usage: UsageStore,
    private readonly pricing: () => Pricing,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.commands.registerCommand(Commands.showUsage, () => this.show()),
      usage.onDidChange(() => this.push()),
      vscode.window.registerWebviewPanelSerializer(USAGE_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => {
          if (this.panel) panel.dispose();
          else this.adopt(panel);
        },
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.pricing`)) this.push();
      }),
    );
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside);
      this.push();
      return;
    }
    this.adopt(vscode.window.createWebviewPanel(USAGE_VIEW_TYPE, 'Redline: Usage', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, this.options()));
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, enableCommandUris: false, localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'media')] };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.webview.options = this.options();
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'icon.png');
    panel.webview.html = this.html(panel.webview);
    const subs = [
      panel.webview.onDidReceiveMessage((raw) => void this.onMessage(raw)),
      panel.onDidChangeViewState(() => {
        if (panel.visible) this.push();
      }),
    ];
    panel.onDidDispose(() => {
      this.panel = undefined;
      for (const d of subs) d.dispose();
    });
  }

  private push(): void {
    if (!this.panel || !this.ready) return;
    const message: UsageToWebview = { type: 'data', data: buildUsageView(this.usage.ledger(), this.pricing(), new Date()) };
    void this.panel.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseUsageMessage(raw);
    if (!message) {
      this.log.warn('usage: ignored a malformed message from the panel');
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.push();
        return;
      case 'openSettings':
        openSettings(`${SECTION}.pricing`);
        return;
      case 'reset': {
        const picked = await vscode.window.showWarningMessage(
          'Reset Redline usage? Every recorded request, token count and cost estimate is deleted.',
          { modal: true },
          'Reset',
        );
        if (picked === 'Reset') {
          this.usage.reset();
          this.log.info('usage: reset');
        }
        return;
      }
    }
  }

  private html(webview: vscode.Webview): string {
    const { nonce, csp, media } = webviewPage(webview, this.context.extensionUri);
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media('usage.css')}">
<title>Redline: Usage</title>
</head>
<body>
<header class="header">
  <h1>Redline usage</h1>
  <div class="tabs" role="tablist" aria-label="Period">
    <button type="button" role="tab" data-period="today">Today</button>
    <button type="button" role="tab" data-period="7d">Last 7 days</button>
    <button type="button" role="tab" data-period="30d">Last 30 days</button>
  </div>
  <button type="button" id="reset" class="secondary">Reset…</button>
</header>
<main id="main" aria-live="polite"><p class="muted">Loading…</p></main>
<script nonce="${nonce}" src="${media('usage.js')}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
