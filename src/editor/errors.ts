import * as vscode from 'vscode';
import type { ModelError, NextStep } from '../core/model/types';
import { errorNextStep } from '../core/connection/advice';
import { openSettings } from './settings';
import { Commands, SettingsQueries } from '../core/names';

const TEST_CONNECTION = 'Test Connection';

const LABELS: Record<NextStep, string> = {
  setApiKey: 'Set API Key',
  openSettings: 'Open Settings',
  retry: 'Retry',
  openOutput: 'Open Output',
};

/**
 * One sentence and its next steps as buttons; the detail is already in the log (the model client logs
 * every failure). Cancellation is the user's own doing and shows nothing.
 */
export function showModelError(log: vscode.LogOutputChannel, error: ModelError, retry?: () => void, context?: { baseURL: string; model?: string }): void {
  if (error.kind === 'cancelled') return;
  const steps = error.nextSteps.filter((s) => s !== 'retry' || retry);
  // No server, or no such model/route: say the next step in the user's terms and offer Test Connection.
  const connection = error.kind === 'unreachable' || error.kind === 'notFound';
  const hint = connection && context ? ` ${errorNextStep(error.kind, context.baseURL, context.model)}` : '';
  const message = `Redline: ${error.userMessage}${hint}`;
  const buttons = [...(connection ? [TEST_CONNECTION] : []), ...steps.map((s) => LABELS[s])];
  const show = error.kind === 'rateLimited' || error.kind === 'timeout' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  void show(message, ...buttons).then((picked) => {
    if (picked === TEST_CONNECTION) {
      void vscode.commands.executeCommand(Commands.testConnection);
      return;
    }
    const step = steps.find((s) => LABELS[s] === picked);
    switch (step) {
      case 'setApiKey':
        void vscode.commands.executeCommand(Commands.setApiKey);
        break;
      case 'openSettings':
        openSettings(SettingsQueries.endpoint);
        break;
      case 'retry':
        retry?.();
        break;
      case 'openOutput':
        log.show(true);
        break;
    }
  });
}

/** A problem that is not the model's: one sentence, optionally with buttons that run callbacks. */
export function showProblem(message: string, actions: Record<string, () => void> = {}, level: 'error' | 'warning' | 'info' = 'warning'): void {
  const show =
    level === 'error' ? vscode.window.showErrorMessage : level === 'info' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  void show(`Redline: ${message}`, ...Object.keys(actions)).then((picked) => {
    if (picked) actions[picked]?.();
  });
}
