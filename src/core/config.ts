/**
 * Redline's settings as plain data (their names are in ./names.ts). The editor layer reads them fresh
 * from VS Code each time (src/editor/settings.ts) and hands core code this plain object.
 * Every key here is declared in package.json `contributes.configuration` with a scope and a description.
 */

import { Settings } from './names';

/**
 * Settings that decide where code and key are sent, which model is asked (a routing gateway bills a
 * costlier model for the same request), how many tokens a request may buy and what the usage estimate
 * says: read from user settings only, never from a workspace's `.vscode/settings.json` (package.json
 * declares them `application`; a unit test keeps the two lists equal).
 */
export const APPLICATION_SCOPED: readonly string[] = [
  Settings.baseUrl,
  Settings.headers,
  Settings.timeoutSeconds,
  Settings.deadlineSeconds,
  Settings.chatModel,
  Settings.contextWindowTokens,
  Settings.reasoningTokens,
  Settings.pricingInput,
  Settings.pricingOutput,
  Settings.completionModel,
  Settings.completionMaxTokens,
  Settings.nextEditModel,
];

export const DEFAULT_BASE_URL = 'http://localhost:11434/v1';

export const DEFAULT_EXCLUDE: readonly string[] = [
  '**/.env',
  '**/.env.*',
  '**/*.env',
  '**/.envrc',
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/*.pfx',
  '**/*.crt',
  '**/*.cer',
  '**/*.jks',
  '**/*.keystore',
  '**/*.ppk',
  '**/id_rsa*',
  '**/id_dsa*',
  '**/id_ecdsa*',
  '**/id_ed25519*',
  '**/.npmrc',
  '**/.netrc',
  '**/.pypirc',
  '**/.git-credentials',
  '**/.htpasswd',
  '**/.aws/credentials',
  '**/.docker/config.json',
  '**/.kube/config',
  '**/kubeconfig',
  '**/*.kubeconfig',
  '**/*.tfvars',
  '**/*.tfvars.json',
  '**/*.tfstate',
  '**/*.tfstate.backup',
  '**/credentials.json',
  '**/secrets.*',
];

/** The values of `redline.exclude` at each level, as `WorkspaceConfiguration.inspect()` gives them. */
export interface ExcludeLevels {
  user?: unknown;
  workspace?: unknown;
  workspaceFolder?: unknown;
}

/**
 * The effective `redline.exclude`: the user's patterns (the defaults when the user set none) plus the
 * workspace's. A workspace (a cloned repository's `.vscode/settings.json`) may add patterns but never
 * remove the defaults or the user's: a value of `[]` there changes nothing. The user may replace the
 * defaults in user settings (for example to allow `*.crt`).
 */
export function effectiveExclude(levels: ExcludeLevels): string[] {
  const patterns = (value: unknown): string[] => (Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : []);
  const base = Array.isArray(levels.user) ? patterns(levels.user) : [...DEFAULT_EXCLUDE];
  return [...new Set([...base, ...patterns(levels.workspace), ...patterns(levels.workspaceFolder)])];
}


export interface EndpointSettings {
  baseUrl: string;
  headers: Record<string, string>;
  timeoutSeconds: number;
  /** Total deadline of one request (retries and waits included). */
  deadlineSeconds: number;
}

export interface ChatSettings {
  model: string;
  /** The model's context window in tokens: prompts are budgeted to fit it. */
  contextWindowTokens: number;
  /** Room for a thinking model's reasoning in the edit reply limit (tokens; 0: none). */
  reasoningTokens: number;
}

export interface PricingSettings {
  /** Price per million prompt tokens (0 for local models): for the cost estimates only. */
  inputPerMillion: number;
  outputPerMillion: number;
  /** Shown after every cost figure, e.g. "USD". */
  currency: string;
}

export interface RedlineSettings {
  endpoint: EndpointSettings;
  chat: ChatSettings;
  exclude: string[];
  pricing: PricingSettings;
}

export const DEFAULT_SETTINGS: RedlineSettings = {
  endpoint: { baseUrl: DEFAULT_BASE_URL, headers: {}, timeoutSeconds: 60, deadlineSeconds: 300 },
  chat: { model: 'qwen2.5-coder:7b', contextWindowTokens: 8192, reasoningTokens: 2048 },
  exclude: [...DEFAULT_EXCLUDE],
  pricing: { inputPerMillion: 0, outputPerMillion: 0, currency: 'USD' },
};

/**
 * The API key sent with requests: the one in SecretStorage, else `OPENAI_API_KEY` from the environment
 * but only when the user chose the base URL in user settings. The environment's key is meant for the
 * service the user points Redline at; sent to the default local URL (or any URL the user did not set)
 * it would go to whatever listens there.
 */
export function chooseApiKey(args: { stored?: string; environment?: string; userBaseUrl?: unknown }): string | undefined {
  if (args.stored) return args.stored;
  const chosen = typeof args.userBaseUrl === 'string' && args.userBaseUrl.trim() !== '';
  return chosen && args.environment ? args.environment : undefined;
}
