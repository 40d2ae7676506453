import * as vscode from 'vscode';
import type { ModelError, NextStep } from '../core/model/types';
import { openSettings } from './settings';
import { Commands, SettingsQueries } from '../core/names';

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
export function showModelError(log: vscode.LogOutputChannel, error: ModelError, retry?: () => void): void {
  if (error.kind === 'cancelled') return;
  const steps = error.nextSteps.filter((s) => s !== 'retry' || retry);
  const message = `Redline: ${error.userMessage}`;
  const show = error.kind === 'rateLimited' || error.kind === 'timeout' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  void show(message, ...steps.map((s) => LABELS[s])).then((picked) => {
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
