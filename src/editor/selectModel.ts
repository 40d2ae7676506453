import * as vscode from 'vscode';
import { ModelError } from '../core/model/types';
import type { Services } from './services';
import { SECTION, Settings } from '../core/names';

/** Lists the endpoint's models (GET /models) and stores the pick in user settings. */
export async function selectModel(services: Services): Promise<void> {
  const current = services.settings().chat.model;
  const abort = new AbortController();
  let ids: string[] = [];
  try {
    ids = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Redline: asking the server for its models…', cancellable: true },
      async (_p, token) => {
        token.onCancellationRequested(() => abort.abort());
        return (await services.modelClient('chat')).listModels(abort.signal);
      },
    );
  } catch (err) {
    if (err instanceof ModelError) services.showModelError(err, () => void selectModel(services));
    else services.log.error(`listing models failed: ${String(err)}`);
    return;
  }
  const items = ids.map((id) => ({ label: id, description: id === current ? 'current' : undefined }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Redline: Select Chat Model',
    placeHolder: ids.length ? `Current: ${current}` : 'The server listed no models; type a model name',
  });
  if (!picked) return;
  await vscode.workspace.getConfiguration(SECTION).update(Settings.chatModel, picked.label, vscode.ConfigurationTarget.Global);
}
