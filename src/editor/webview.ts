import * as crypto from 'crypto';
import * as vscode from 'vscode';

/**
 * What every Redline webview page starts from: a fresh nonce, the strict Content-Security-Policy
 * (nothing but our own media and nonce'd scripts), and the webview URI of a file in `media/`.
 */
export function webviewPage(webview: vscode.Webview, extensionUri: vscode.Uri): { nonce: string; csp: string; media: (file: string) => string } {
  const nonce = crypto.randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  const media = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', file)).toString();
  return { nonce, csp, media };
}
