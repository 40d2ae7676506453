import * as vscode from 'vscode';
import { APPLICATION_SCOPED, DEFAULT_SETTINGS, effectiveExclude, type RedlineSettings } from '../core/config';
import { SECTION, Settings, SettingsQueries } from '../core/names';

/**
 * Reads a setting. Endpoint settings decide where code and the key go, so they are taken from user
 * settings only: a value in a cloned repository's .vscode/settings.json is ignored here even if VS Code
 * were to apply it (the package.json scope already says "application").
 */
export function read<T>(config: vscode.WorkspaceConfiguration, key: string, fallback: T): T {
  if (APPLICATION_SCOPED.includes(key)) {
    const inspected = config.inspect<T>(key);
    return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
  }
  return config.get<T>(key) ?? fallback;
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function nonNegative(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** Fresh settings as plain data for core code. Never cache the result. */
export function readSettings(): RedlineSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const d = DEFAULT_SETTINGS;
  // A workspace adds exclude patterns; it never removes the defaults or the user's.
  const excludeLevels = config.inspect<unknown>(Settings.exclude);
  return {
    endpoint: {
      baseUrl: String(read(config, Settings.baseUrl, d.endpoint.baseUrl) || d.endpoint.baseUrl).trim(),
      headers: stringRecord(read<unknown>(config, Settings.headers, {})),
      timeoutSeconds: positive(read(config, Settings.timeoutSeconds, d.endpoint.timeoutSeconds), d.endpoint.timeoutSeconds),
      deadlineSeconds: positive(read(config, Settings.deadlineSeconds, d.endpoint.deadlineSeconds), d.endpoint.deadlineSeconds),
    },
    chat: {
      model: String(read(config, Settings.chatModel, d.chat.model) || d.chat.model).trim(),
      contextWindowTokens: positive(read(config, Settings.contextWindowTokens, d.chat.contextWindowTokens), d.chat.contextWindowTokens),
      reasoningTokens: Math.floor(nonNegative(read(config, Settings.reasoningTokens, d.chat.reasoningTokens))),
    },
    exclude: effectiveExclude({
      user: excludeLevels?.globalValue,
      workspace: excludeLevels?.workspaceValue,
      workspaceFolder: excludeLevels?.workspaceFolderValue,
    }),
    pricing: {
      inputPerMillion: nonNegative(read(config, Settings.pricingInput, 0)),
      outputPerMillion: nonNegative(read(config, Settings.pricingOutput, 0)),
    },
  };
}

export function openSettings(query: string = SettingsQueries.all): void {
  void vscode.commands.executeCommand('workbench.action.openSettings', query);
}
