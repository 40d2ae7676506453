import * as vscode from 'vscode';
import { chooseApiKey } from '../core/config';
import { SECTION, Settings, StorageKeys } from '../core/names';

const SECRET_KEY = StorageKeys.apiKey;

/**
 * The API key lives in SecretStorage only; OPENAI_API_KEY in the environment is the fallback for a base
 * URL the user set in user settings (never for the default local one).
 */
export class ApiKeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async get(): Promise<string | undefined> {
    const stored = await this.secrets.get(SECRET_KEY);
    return chooseApiKey({ stored, environment: this.env.OPENAI_API_KEY, userBaseUrl: this.userBaseUrl() });
  }

  private userBaseUrl(): unknown {
    return vscode.workspace.getConfiguration(SECTION).inspect<string>(Settings.baseUrl)?.globalValue;
  }

  async promptAndStore(): Promise<boolean> {
    const value = await vscode.window.showInputBox({
      title: 'Redline: Set API Key',
      prompt: 'The key is kept in VS Code\'s secret storage, never in settings or logs. Local servers such as Ollama need none.',
      password: true,
      ignoreFocusOut: true,
      placeHolder: 'sk-…',
      validateInput: (v) => (v.trim() === '' ? 'Enter a key, or press Escape to cancel.' : /\s/.test(v.trim()) ? 'A key has no spaces.' : undefined),
    });
    if (value === undefined) return false;
    await this.secrets.store(SECRET_KEY, value.trim());
    void vscode.window.showInformationMessage('Redline: API key saved in secret storage.');
    return true;
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    void vscode.window.showInformationMessage(
      chooseApiKey({ environment: this.env.OPENAI_API_KEY, userBaseUrl: this.userBaseUrl() })
        ? 'Redline: API key cleared. OPENAI_API_KEY from the environment is still used for your base URL.'
        : 'Redline: API key cleared.',
    );
  }
}
