/**
 * Next-edit settings (`redline.nextEdit.*`): defaults and a typed reader (names in ../names.ts). Each key
 * is declared in package.json `contributes.configuration` with a scope and a description; the editor
 * layer reads them fresh for every edit.
 */
import { Settings } from '../names';
import { PROMPT_FORMATS, type PromptFormat } from './prompt';

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
  const enabled = get(Settings.nextEditEnabled);
  const model = get(Settings.nextEditModel);
  const format = get(Settings.nextEditPromptFormat);
  const debounce = get(Settings.nextEditDebounceMs);
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
