import * as vscode from 'vscode';
import type { RequestEvent } from '../core/model/types';
import { cost, formatTokens, record, totals, type DayUsage, type Pricing } from '../core/usage/ledger';
import type { StatusReporter } from './services';
import { Commands, SettingsQueries, StatusItems, StorageKeys } from '../core/names';

const USAGE_KEY = StorageKeys.usage;

/**
 * The status bar item: model, busy/idle/error, tokens and estimated cost today. Clicking it opens a
 * small menu of the things people look for (key, settings, log).
 */
export class Status implements StatusReporter, vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(StatusItems.main, vscode.StatusBarAlignment.Right, 100);
  private running = new Map<number, string>();
  private nextId = 0;
  private lastError: string | undefined;

  constructor(
    private readonly state: vscode.Memento,
    private readonly model: () => string,
    private readonly pricing: () => Pricing,
  ) {
    this.item.name = 'Redline';
    this.item.command = Commands.statusMenu;
    this.render();
    this.item.show();
  }

  busy(feature: string): (outcome: 'ok' | 'error' | 'cancelled') => void {
    const id = this.nextId++;
    this.running.set(id, feature);
    this.render();
    return (outcome) => {
      if (!this.running.delete(id)) return;
      this.lastError = outcome === 'error' ? `${feature} failed` : outcome === 'ok' ? undefined : this.lastError;
      this.render();
    };
  }

  /** Called for every model request (the model client's observer). */
  onRequest(event: RequestEvent): void {
    const usage = record(this.state.get<DayUsage>(USAGE_KEY), event, new Date());
    void this.state.update(USAGE_KEY, usage);
    this.render();
  }

  refresh(): void {
    this.render();
  }

  private render(): void {
    const usage = this.state.get<DayUsage>(USAGE_KEY);
    const t = totals(usage);
    const tokens = t.promptTokens + t.completionTokens;
    const price = cost(t, this.pricing());
    const model = this.model();
    const busy = this.running.size > 0;
    const icon = busy ? '$(loading~spin)' : this.lastError ? '$(warning)' : '$(pencil)';
    this.item.text = `${icon} ${model}${tokens ? ` · ${formatTokens(tokens)}` : ''}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    tooltip.appendMarkdown(`**Redline** — ${busy ? `working (${[...new Set(this.running.values())].join(', ')})` : this.lastError ? `last request: ${this.lastError}` : 'idle'}\n\n`);
    tooltip.appendMarkdown(`Chat model: \`${model.replace(/`/g, '')}\`\n\n`);
    tooltip.appendMarkdown(`Today: ${t.requests} requests, ${formatTokens(t.promptTokens)} prompt + ${formatTokens(t.completionTokens)} completion tokens`);
    if (price > 0) tooltip.appendMarkdown(`, about ${price.toFixed(price < 1 ? 3 : 2)} in API cost`);
    this.item.tooltip = tooltip;
    this.item.backgroundColor = this.lastError && !busy ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}

export async function showStatusMenu(): Promise<void> {
  const items: (vscode.QuickPickItem & { command: string; args?: unknown[] })[] = [
    { label: '$(edit) Edit Selection…', command: Commands.editSelection },
    { label: '$(key) Set API Key', command: Commands.setApiKey },
    { label: '$(trash) Clear API Key', command: Commands.clearApiKey },
    { label: '$(server) Select Chat Model…', command: Commands.selectModel },
    { label: '$(arrow-right) Toggle Next Edit Suggestions', command: Commands.nextEditToggle },
    { label: '$(settings-gear) Open Settings', command: 'workbench.action.openSettings', args: [SettingsQueries.all] },
    { label: '$(output) Show Log', command: Commands.showLog },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Redline' });
  if (picked) await vscode.commands.executeCommand(picked.command, ...(picked.args ?? []));
}
