import * as vscode from 'vscode';
import { DEFAULT_BASE_URL } from '../core/config';
import { Commands, SECTION, Settings, StorageKeys, Walkthroughs } from '../core/names';

export const WALKTHROUGH_ID = Walkthroughs.gettingStarted;
const SHOWN_KEY = StorageKeys.walkthroughShown;
const SNOOZE_KEY = StorageKeys.completionSnoozedUntil;

/** The Get Started walkthrough (package.json `contributes.walkthroughs`). */
export function openWalkthrough(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
}

/**
 * Opens the walkthrough once, on the first start after install, unless the user turned off VS Code's
 * own "open walkthroughs on install" setting. It stays reachable from the status menu.
 */
export async function openWalkthroughOnFirstStart(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<void> {
  if (context.globalState.get<boolean>(SHOWN_KEY)) return;
  if (vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall') === false) return;
  await context.globalState.update(SHOWN_KEY, true);
  try {
    await openWalkthrough();
  } catch (err) {
    log.warn(`walkthrough: could not open it: ${String(err)}`);
  }
}

/** What the status menu needs to offer the right suggestion toggles. */
export function suggestionState(context: vscode.ExtensionContext): { suggestionsOn: boolean; snoozed: boolean } {
  const until = context.globalState.get<number>(SNOOZE_KEY);
  return {
    suggestionsOn: vscode.workspace.getConfiguration(SECTION).get<boolean>(Settings.completionEnabled) !== false,
    snoozed: until !== undefined && until > Date.now(),
  };
}

interface EndpointChoice extends vscode.QuickPickItem {
  baseUrl?: string;
  needsKey?: boolean;
}

/** "Choose Endpoint…": the common servers with their usual addresses, or any URL. */
export async function chooseEndpoint(): Promise<void> {
  const choices: EndpointChoice[] = [
    { label: 'Ollama (local)', description: DEFAULT_BASE_URL, detail: 'Free and private. Install from ollama.com, then `ollama pull qwen2.5-coder:7b`.', baseUrl: DEFAULT_BASE_URL },
    { label: 'OpenAI', description: 'https://api.openai.com/v1', detail: 'Needs an API key (kept in secret storage).', baseUrl: 'https://api.openai.com/v1', needsKey: true },
    { label: 'LM Studio (local)', description: 'http://localhost:1234/v1', baseUrl: 'http://localhost:1234/v1' },
    { label: 'vLLM', description: 'http://localhost:8000/v1', baseUrl: 'http://localhost:8000/v1' },
    { label: 'llama.cpp server', description: 'http://localhost:8080/v1', baseUrl: 'http://localhost:8080/v1' },
    { label: 'Another OpenAI-compatible server…', detail: 'OpenRouter, Azure OpenAI, a LiteLLM gateway, …' },
  ];
  const picked = await vscode.window.showQuickPick(choices, { title: 'Redline: Choose Endpoint', placeHolder: 'Where does your model run?', matchOnDetail: true });
  if (!picked) return;
  let baseUrl = picked.baseUrl;
  if (!baseUrl) {
    baseUrl = await vscode.window.showInputBox({
      title: 'Redline: Choose Endpoint',
      prompt: 'Base URL of the OpenAI-compatible server (most end in /v1)',
      placeHolder: 'https://openrouter.ai/api/v1',
      ignoreFocusOut: true,
      validateInput: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? undefined : 'Enter an http:// or https:// URL.'),
    });
    if (!baseUrl) return;
  }
  await vscode.workspace.getConfiguration(SECTION).update(Settings.baseUrl, baseUrl.trim(), vscode.ConfigurationTarget.Global);
  const next = await vscode.window.showInformationMessage(
    `Redline: the endpoint is now ${baseUrl.trim()}.`,
    ...(picked.needsKey || !picked.baseUrl ? ['Set API Key'] : []),
    'Test Connection',
  );
  if (next === 'Set API Key') await vscode.commands.executeCommand(Commands.setApiKey);
  else if (next === 'Test Connection') await vscode.commands.executeCommand(Commands.testConnection);
}

const SAMPLE = `// A sample to try Redline on. Select a function and run Redline: Edit Selection… (Ctrl+Alt+E),
// or Redline: Explain (Ctrl+Alt+X). Nothing here is saved unless you save it.

export function average(values: number[]): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum = sum + values[i];
  }
  return sum / values.length;
}

export function slugify(title: string): string {
  return title.toLowerCase().replace(/ /g, '-');
}
`;

/** An untitled TypeScript sample with its first function selected. */
export async function openSample(): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: SAMPLE });
  const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One });
  const start = SAMPLE.split('\n').findIndex((l) => l.startsWith('export function average'));
  editor.selection = new vscode.Selection(start, 0, start + 6, 1);
}
