/**
 * Redline's settings as plain data (their names are in ./names.ts). The editor layer reads them fresh
 * from VS Code each time (src/editor/settings.ts) and hands core code this plain object.
 * Every key here is declared in package.json `contributes.configuration` with a scope and a description.
 */

import { Settings } from './names';

/** Settings that decide where code and key are sent: read from user settings only, never a workspace. */
export const APPLICATION_SCOPED: readonly string[] = [Settings.baseUrl, Settings.headers];

export const DEFAULT_BASE_URL = 'http://localhost:11434/v1';

export const DEFAULT_EXCLUDE: readonly string[] = [
  '**/.env',
  '**/.env.*',
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/*.pfx',
  '**/*.crt',
  '**/*.cer',
  '**/id_rsa*',
  '**/id_ed25519*',
  '**/.npmrc',
  '**/.netrc',
  '**/secrets.*',
];

export interface EndpointSettings {
  baseUrl: string;
  headers: Record<string, string>;
  timeoutSeconds: number;
}

export interface ChatSettings {
  model: string;
  /** The model's context window in tokens: prompts are budgeted to fit it. */
  contextWindowTokens: number;
  /** Room for a thinking model's reasoning in the edit reply limit (tokens; 0: none). */
  reasoningTokens: number;
}

export interface PricingSettings {
  /** Price per million prompt tokens (0 for local models): only for the status bar estimate. */
  inputPerMillion: number;
  outputPerMillion: number;
}

export interface RedlineSettings {
  endpoint: EndpointSettings;
  chat: ChatSettings;
  exclude: string[];
  pricing: PricingSettings;
}

export const DEFAULT_SETTINGS: RedlineSettings = {
  endpoint: { baseUrl: DEFAULT_BASE_URL, headers: {}, timeoutSeconds: 60 },
  chat: { model: 'qwen2.5-coder:7b', contextWindowTokens: 8192, reasoningTokens: 2048 },
  exclude: [...DEFAULT_EXCLUDE],
  pricing: { inputPerMillion: 0, outputPerMillion: 0 },
};
