import * as vscode from 'vscode';
import { isExcludedPath } from './core/context/exclude';
import { createModelClient } from './core/model/client';
import { warmUpTokenizer } from './core/prompt/tokens';
import type { ModelClient } from './core/model/types';
import { registerActions } from './editor/actions';
import { registerInlineCompletions } from './editor/inlineCompletions';
import { registerNextEdit } from './editor/nextEdit';
import { ApiKeyStore } from './editor/apiKey';
import { EditController } from './editor/editSelection';
import { showModelError } from './editor/errors';
import { ReviewManager } from './editor/reviewManager';
import type { EditRunner, Services } from './editor/services';
import { openSettings, readSettings } from './editor/settings';
import { Status, showStatusMenu } from './editor/status';
import { selectModel } from './editor/selectModel';
import { Commands, SECTION } from './core/names';

/** Builds the services and registers the features; nothing else. */
export function activate(context: vscode.ExtensionContext): Services {
  const log = vscode.window.createOutputChannel('Redline', { log: true });
  context.subscriptions.push(log);
  const keys = new ApiKeyStore(context.secrets);
  const status = new Status(context.globalState, () => readSettings().chat.model, () => readSettings().pricing);
  context.subscriptions.push(status);

  // One client per distinct endpoint configuration, so connections are reused between requests; a
  // changed setting or key gives a new one.
  const clients = new Map<string, ModelClient>();
  const modelClient = async (purpose: 'chat' | 'completion'): Promise<ModelClient> => {
    const s = readSettings();
    const config = {
      baseURL: s.endpoint.baseUrl,
      apiKey: await keys.get(),
      headers: s.endpoint.headers,
      timeoutMs: s.endpoint.timeoutSeconds * 1000,
      // Inline suggestions have their own, shorter limit (redline.completion.timeoutMs) in the engine.
      deadlineMs: purpose === 'completion' ? undefined : s.endpoint.deadlineSeconds * 1000,
      maxRetries: purpose === 'completion' ? 0 : 2,
    };
    const cacheKey = JSON.stringify(config);
    let client = clients.get(cacheKey);
    if (!client) {
      if (clients.size >= 4) clients.clear();
      client = createModelClient(config, { logger: log, observer: (event) => status.onRequest(event) });
      clients.set(cacheKey, client);
    }
    return client;
  };

  // The edit runner is created right after the services object that it needs.
  let edits: EditRunner | undefined;
  const services: Services = {
    context,
    log,
    settings: readSettings,
    modelClient,
    showModelError: (error, retry) => showModelError(log, error, retry),
    isExcluded: (uri) => isExcludedPath(uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri, false) : uri.path, readSettings().exclude),
    get edits(): EditRunner {
      if (!edits) throw new Error('Redline edit runner is not ready');
      return edits;
    },
    status,
  };
  const reviews = new ReviewManager(services);
  context.subscriptions.push(reviews);
  const controller = new EditController(services, reviews);
  edits = controller;
  context.subscriptions.push(controller);
  context.subscriptions.push(registerActions(services));
  context.subscriptions.push(registerInlineCompletions(services));
  context.subscriptions.push(registerNextEdit(services));

  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.showLog, () => log.show()),
    vscode.commands.registerCommand(Commands.setApiKey, () => keys.promptAndStore()),
    vscode.commands.registerCommand(Commands.clearApiKey, () => keys.clear()),
    vscode.commands.registerCommand(Commands.openSettings, () => openSettings()),
    vscode.commands.registerCommand(Commands.statusMenu, () => showStatusMenu()),
    vscode.commands.registerCommand(Commands.selectModel, () => selectModel(services)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) status.refresh();
    }),
  );

  // The tokenizer's tables take a moment to build: do it once, soon after start-up, not on a keystroke.
  const warm = setTimeout(() => void warmUpTokenizer(), 5000);
  context.subscriptions.push({ dispose: () => clearTimeout(warm) });

  log.info(`Redline activated (VS Code ${vscode.version})`);
  return services;
}

export function deactivate(): void {}
