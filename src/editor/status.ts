import * as vscode from 'vscode';
import { today } from '../core/usage/aggregate';
import { formatCost, formatTokens, pricingSet, type Pricing } from '../core/usage/ledger';
import type { StatusReporter } from './services';
import type { UsageStore } from './usage';
import { Commands, SettingsQueries, StatusItems } from '../core/names';

/**
 * The status bar item: model, busy/idle/error, and today's estimated cost (with its currency) when
 * prices are set, else today's tokens. Clicking it opens the menu of every feature.
 */
export class Status implements StatusReporter, vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(StatusItems.main, vscode.StatusBarAlignment.Right, 100);
  private running = new Map<number, string>();
  private nextId = 0;
  private lastError: string | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly usage: UsageStore,
    private readonly model: () => string,
    private readonly pricing: () => Pricing,
  ) {
    this.item.name = 'Redline';
    this.item.command = Commands.statusMenu;
    this.subscription = usage.onDidChange(() => this.render());
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

  refresh(): void {
    this.render();
  }

  private render(): void {
    const t = today(this.usage.ledger(), new Date());
    const tokens = t.promptTokens + t.completionTokens;
    const cost = formatCost(t.cost);
    const priced = pricingSet(this.pricing());
    const model = this.model();
    const busy = this.running.size > 0;
    const icon = busy ? '$(loading~spin)' : this.lastError ? '$(warning)' : '$(pencil)';
    const figure = priced ? (cost ? ` · ${cost}` : ` · 0 ${this.pricing().currency}`) : tokens ? ` · ${formatTokens(tokens)} tokens` : '';
    this.item.text = `${icon} ${model}${figure}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    tooltip.appendMarkdown(`**Redline** — ${busy ? `working (${[...new Set(this.running.values())].join(', ')})` : this.lastError ? `last request: ${this.lastError}` : 'idle'}\n\n`);
    tooltip.appendMarkdown(`Chat model: \`${model.replace(/`/g, '')}\`\n\n`);
    tooltip.appendMarkdown(
      `Today: ${t.requests} request${t.requests === 1 ? '' : 's'}${t.errors ? ` (${t.errors} failed)` : ''}, ${formatTokens(t.promptTokens)} prompt + ${formatTokens(t.completionTokens)} completion tokens`,
    );
    if (cost) tooltip.appendMarkdown(`, about ${cost} in API cost`);
    tooltip.appendMarkdown('\n\nClick for the Redline menu.');
    this.item.tooltip = tooltip;
    this.item.backgroundColor = this.lastError && !busy ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

interface MenuItem extends vscode.QuickPickItem {
  command?: string;
  args?: unknown[];
}

/** Every feature, one click away: the status bar item opens this. */
export async function showStatusMenu(state: { suggestionsOn: boolean; snoozed: boolean }): Promise<void> {
  const sep = (label: string): MenuItem => ({ label, kind: vscode.QuickPickItemKind.Separator });
  const items: MenuItem[] = [
    sep('Code'),
    { label: '$(edit) Edit Selection…', description: 'Ctrl+Alt+E', command: Commands.editSelection },
    { label: '$(comment-discussion) Explain', description: 'Ctrl+Alt+X', command: Commands.explain },
    { label: '$(run-all) Run Action…', description: 'Document, Fix, Simplify, Write Tests, your own', command: Commands.runAction },
    sep('Inline suggestions'),
    ...(state.snoozed
      ? [{ label: '$(bell) Resume Inline Suggestions', description: 'snoozed', command: Commands.completionToggle }]
      : state.suggestionsOn
        ? [
            { label: '$(circle-slash) Turn Inline Suggestions Off', command: Commands.completionToggle },
            { label: '$(bell-slash) Snooze Inline Suggestions for 30 Minutes', command: Commands.completionSnooze },
          ]
        : [{ label: '$(lightbulb) Turn Inline Suggestions On', command: Commands.completionToggle }]),
    sep('Model and server'),
    { label: '$(plug) Test Connection', description: 'models, chat, fill-in-the-middle', command: Commands.testConnection },
    { label: '$(server) Select Chat Model…', command: Commands.selectModel },
    { label: '$(arrow-right) Toggle Next Edit Suggestions', command: Commands.nextEditToggle },
    { label: '$(key) Set API Key', command: Commands.setApiKey },
    { label: '$(graph) Usage', description: 'requests, tokens, latency and cost', command: Commands.showUsage },
    sep('Help'),
    { label: '$(book) Get Started', description: 'walkthrough', command: Commands.openWalkthrough },
    { label: '$(settings-gear) Open Settings', command: 'workbench.action.openSettings', args: [SettingsQueries.all] },
    { label: '$(output) Show Log', command: Commands.showLog },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Redline', placeHolder: 'What would you like to do?' });
  if (picked?.command) await vscode.commands.executeCommand(picked.command, ...(picked.args ?? []));
}
