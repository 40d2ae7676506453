import * as vscode from 'vscode';
import { Commands, Schemes, SECTION, SettingsQueries, Settings, settingId } from '../core/names';
import { advise, renderReport, type Report, type Suggestion } from '../core/connection/advice';
import { probeServer } from '../core/connection/probe';
import { readCompletionSettings } from '../core/completion/settings';
import type { ApiKeyStore } from './apiKey';
import type { Services } from './services';
import { openSettings, read } from './settings';

export const REPORT_SCHEME = Schemes.connectionReport;
const REPORT_URI = vscode.Uri.from({ scheme: REPORT_SCHEME, path: '/Test Connection.md' });
/** Per probe: a server that takes longer than this to answer one token is reported as not answering. */
const PROBE_TIMEOUT_MS = 15_000;

/**
 * Redline: Test Connection. Probes the configured server (./core/connection), shows the report in a
 * read-only Markdown document and its next steps as buttons. Sends only tiny fixed prompts, never code.
 */
export class ConnectionTester implements vscode.Disposable {
  private report = '';
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly services: Services,
    private readonly keys: ApiKeyStore,
  ) {
    this.disposables.push(
      this.changed,
      vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, { onDidChange: this.changed.event, provideTextDocumentContent: () => this.report }),
      vscode.commands.registerCommand(Commands.testConnection, () => this.run()),
    );
  }

  async run(): Promise<Report | undefined> {
    const settings = this.services.settings();
    const config = vscode.workspace.getConfiguration(SECTION);
    const completion = readCompletionSettings((key) => read<unknown>(config, key, undefined));
    const apiKey = await this.keys.get();
    const log = this.services.log;
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Redline: testing ${settings.endpoint.baseUrl}…`, cancellable: true },
      async (_progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          const result = await probeServer(
            {
              baseURL: settings.endpoint.baseUrl,
              apiKey,
              headers: settings.endpoint.headers,
              chatModel: settings.chat.model,
              completionModel: completion.model || settings.chat.model,
              timeoutMs: Math.min(PROBE_TIMEOUT_MS, settings.endpoint.timeoutSeconds * 1000),
              signal: abort.signal,
            },
            globalThis.fetch,
          );
          if (token.isCancellationRequested) return undefined;
          return advise(result, {
            chatModel: settings.chat.model,
            completionModel: completion.model || settings.chat.model,
            completionMode: completion.mode,
            infillModeAvailable: this.infillModeAvailable(),
            hasApiKey: !!apiKey,
            timeoutMs: Math.min(PROBE_TIMEOUT_MS, settings.endpoint.timeoutSeconds * 1000),
          });
        } finally {
          sub.dispose();
        }
      },
    );
    if (!report) return undefined;
    this.report = renderReport(report, new Date());
    log.info(`[connection] ${report.summary}`);
    for (const f of report.findings) log.info(`[connection]   ${f.level}: ${f.text}`);
    this.changed.fire(REPORT_URI);
    const document = await vscode.workspace.openTextDocument(REPORT_URI);
    await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    await vscode.window.showTextDocument(document, { preview: true, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
    this.offer(report);
    return report;
  }

  /** Whether this build's redline.completion.mode has an `infill` choice (llama.cpp's /infill). */
  private infillModeAvailable(): boolean {
    const pkg = this.services.context.extension.packageJSON as { contributes?: { configuration?: { properties?: Record<string, { enum?: unknown[] }> }[] } };
    return (pkg.contributes?.configuration ?? []).some((c) => c.properties?.[settingId(Settings.completionMode)]?.enum?.includes('infill'));
  }

  private offer(report: Report): void {
    const problems = report.findings.some((f) => f.level === 'error');
    const buttons = report.suggestions.slice(0, 3);
    const warnings = report.findings.some((f) => f.level === 'warn');
    const show = problems ? vscode.window.showErrorMessage : warnings ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(`Redline: ${report.summary}`, ...buttons.map((b) => b.label)).then((picked) => {
      const chosen = buttons.find((b) => b.label === picked);
      if (chosen) void this.apply(chosen);
    });
  }

  private async apply(s: Suggestion): Promise<void> {
    switch (s.type) {
      case 'setting':
        await vscode.workspace.getConfiguration(SECTION).update(s.key, s.value, vscode.ConfigurationTarget.Global);
        void vscode.window.showInformationMessage(`Redline: redline.${s.key} is now "${s.value}".`);
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(s.text);
        vscode.window.setStatusBarMessage(`Redline: copied "${s.text}"; paste it in a terminal`, 5000);
        return;
      case 'command':
        if (s.command === 'openSettings') openSettings(SettingsQueries.endpoint);
        else await vscode.commands.executeCommand(s.command === 'setApiKey' ? Commands.setApiKey : Commands.selectModel);
        return;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
