/**
 * Next-edit settings (`redline.nextEdit.*`): names, defaults and a typed reader. Each key is declared in
 * package.json `contributes.configuration` with a scope and a description; the editor layer reads them
 * fresh for every edit.
 */
import { PROMPT_FORMATS, type PromptFormat } from './prompt';

export const NextEditSettingKeys = {
  enabled: 'nextEdit.enabled',
  model: 'nextEdit.model',
  promptFormat: 'nextEdit.promptFormat',
  debounceMs: 'nextEdit.debounceMs',
} as const;

export const NextEditCommands = {
  toggle: 'redline.nextEdit.toggle',
  accept: 'redline.nextEdit.accept',
  dismiss: 'redline.nextEdit.dismiss',
} as const;

export const NextEditContextKeys = {
  /** A next-edit proposal (its inline diff or its jump hint) is shown in the active editor. */
  visible: 'redline.nextEditVisible',
} as const;

export interface NextEditSettings {
  /** Off by default: every pause after an edit is one request to the endpoint. */
  enabled: boolean;
  /** Empty: the chat model. */
  model: string;
  promptFormat: PromptFormat;
  /** The pause after an edit before a request is sent. */
  debounceMs: number;
  /** A reply that takes longer is dropped. */
  timeoutMs: number;
}

export const DEFAULT_NEXT_EDIT_SETTINGS: NextEditSettings = {
  enabled: false,
  model: '',
  promptFormat: 'chat',
  debounceMs: 400,
  timeoutMs: 20000,
};

export const NEXT_EDIT_LIMITS = { debounceMs: { min: 50, max: 5000 } } as const;

/** Reads and validates the settings; anything missing or malformed falls back to its default. */
export function readNextEditSettings(get: (key: string) => unknown): NextEditSettings {
  const d = DEFAULT_NEXT_EDIT_SETTINGS;
  const enabled = get(NextEditSettingKeys.enabled);
  const model = get(NextEditSettingKeys.model);
  const format = get(NextEditSettingKeys.promptFormat);
  const debounce = get(NextEditSettingKeys.debounceMs);
  return {
    enabled: typeof enabled === 'boolean' ? enabled : d.enabled,
    model: typeof model === 'string' ? model.trim() : d.model,
    promptFormat: typeof format === 'string' && (PROMPT_FORMATS as readonly string[]).includes(format) ? (format as PromptFormat) : d.promptFormat,
    debounceMs:
      typeof debounce === 'number' && Number.isFinite(debounce)
        ? Math.min(NEXT_EDIT_LIMITS.debounceMs.max, Math.max(NEXT_EDIT_LIMITS.debounceMs.min, Math.round(debounce)))
        : d.debounceMs,
    timeoutMs: d.timeoutMs,
  };
}
