import * as vscode from 'vscode';

/** Builds the services and registers the features; nothing else. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Redline', { log: true });
  context.subscriptions.push(log);
  log.info('Redline activated');
  context.subscriptions.push(
    vscode.commands.registerCommand('redline.showLog', () => log.show()),
  );
}

export function deactivate(): void {}
