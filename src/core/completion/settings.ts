/**
 * Inline suggestion settings (`redline.completion.*`): defaults and a typed reader (names in ../names.ts). The editor
 * layer reads them fresh on every request through `readCompletionSettings(get)`; each key is declared
 * in package.json `contributes.configuration` with a scope and a description.
 */

import { Settings } from '../names';

export const SNOOZE_MS = 30 * 60 * 1000;

/**
 * How the model is asked:
 * - `completions`: legacy `/v1/completions` with `prompt` + `suffix` (the server applies the model's FIM
 *   format; vLLM and Ollama honour `suffix`, llama.cpp's /v1/completions ignores it);
 * - `fim-template`: legacy `/v1/completions` with the FIM format applied here (`fimTemplate` preset or custom);
 * - `infill`: llama.cpp's own `/infill` endpoint (the server applies the model's FIM tokens, context files as `input_extra`);
 * - `chat`: `/v1/chat/completions`, asking for the missing middle only (works with any chat model).
 */
export type CompletionMode = 'chat' | 'completions' | 'fim-template' | 'infill';
export const COMPLETION_MODES: readonly CompletionMode[] = ['chat', 'completions', 'fim-template', 'infill'];

export type FimPresetName = 'starcoder' | 'starcoder2' | 'codellama' | 'deepseek-coder' | 'qwen2.5-coder' | 'codestral' | 'custom';
export const FIM_PRESET_NAMES: readonly FimPresetName[] = ['starcoder', 'starcoder2', 'codellama', 'deepseek-coder', 'qwen2.5-coder', 'codestral', 'custom'];

export interface CompletionSettings {
  enabled: boolean;
  /** languageId → enabled; `*` is the default for languages not listed. */
  languages: Record<string, boolean>;
  /** Model for suggestions; empty means the chat model (`redline.chat.model`). */
  model: string;
  mode: CompletionMode;
  fimTemplate: FimPresetName;
  /** Used when fimTemplate is `custom`: `{prefix}` and `{suffix}` are replaced, `{path}` and `{language}` too. */
  customFimTemplate: string;
  debounceMs: number;
  maxTokens: number;
  timeoutMs: number;
}

export const DEFAULT_LANGUAGES: Readonly<Record<string, boolean>> = {
  '*': true,
  plaintext: false,
  markdown: false,
  scminput: false,
  log: false,
};

export const DEFAULT_COMPLETION_SETTINGS: CompletionSettings = {
  enabled: true,
  languages: { ...DEFAULT_LANGUAGES },
  model: '',
  mode: 'chat',
  fimTemplate: 'qwen2.5-coder',
  customFimTemplate: '<fim_prefix>{prefix}<fim_suffix>{suffix}<fim_middle>',
  debounceMs: 75,
  maxTokens: 128,
  timeoutMs: 5000,
};

export const LIMITS = {
  debounceMs: { min: 0, max: 2000 },
  maxTokens: { min: 8, max: 1024 },
  timeoutMs: { min: 500, max: 60000 },
} as const;

/** Reads one setting by its key under `redline.` (VS Code's `getConfiguration('redline').get`). */
export type SettingGetter = (key: string) => unknown;

function clampInt(value: unknown, fallback: number, limits: { min: number; max: number }): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(limits.max, Math.max(limits.min, Math.round(value)));
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** Reads and validates the settings; anything missing or malformed falls back to its default. */
export function readCompletionSettings(get: SettingGetter): CompletionSettings {
  const d = DEFAULT_COMPLETION_SETTINGS;
  const languagesRaw = get(Settings.completionLanguages);
  const languages: Record<string, boolean> = { ...DEFAULT_LANGUAGES };
  if (languagesRaw && typeof languagesRaw === 'object' && !Array.isArray(languagesRaw)) {
    for (const [k, v] of Object.entries(languagesRaw as Record<string, unknown>)) if (typeof v === 'boolean') languages[k] = v;
  }
  const enabled = get(Settings.completionEnabled);
  const model = get(Settings.completionModel);
  const custom = get(Settings.completionCustomFimTemplate);
  return {
    enabled: typeof enabled === 'boolean' ? enabled : d.enabled,
    languages,
    model: typeof model === 'string' ? model.trim() : d.model,
    mode: oneOf(get(Settings.completionMode), COMPLETION_MODES, d.mode),
    fimTemplate: oneOf(get(Settings.completionFimTemplate), FIM_PRESET_NAMES, d.fimTemplate),
    customFimTemplate: typeof custom === 'string' && custom.includes('{prefix}') ? custom : d.customFimTemplate,
    debounceMs: clampInt(get(Settings.completionDebounceMs), d.debounceMs, LIMITS.debounceMs),
    maxTokens: clampInt(get(Settings.completionMaxTokens), d.maxTokens, LIMITS.maxTokens),
    timeoutMs: clampInt(get(Settings.completionTimeoutMs), d.timeoutMs, LIMITS.timeoutMs),
  };
}

/** Whether suggestions are on for a language: its own entry, else `*`, else on. */
export function isLanguageEnabled(settings: Pick<CompletionSettings, 'languages'>, languageId: string): boolean {
  const own = settings.languages[languageId];
  if (typeof own === 'boolean') return own;
  const star = settings.languages['*'];
  return typeof star === 'boolean' ? star : true;
}

export type OffReason = 'disabled' | 'language' | 'snoozed' | 'excluded';

/** Why no suggestion may be offered here now, or undefined when one may. */
export function suggestionsOff(
  settings: Pick<CompletionSettings, 'enabled' | 'languages'>,
  languageId: string,
  state: { now: number; snoozedUntil?: number; excluded: boolean },
): OffReason | undefined {
  if (!settings.enabled) return 'disabled';
  if (state.snoozedUntil !== undefined && state.now < state.snoozedUntil) return 'snoozed';
  if (!isLanguageEnabled(settings, languageId)) return 'language';
  if (state.excluded) return 'excluded';
  return undefined;
}
