/**
 * The request for a completion, in one of four shapes:
 * - legacy `/v1/completions` with `prompt` + `suffix`, the server applying the model's FIM format;
 * - llama.cpp's `/infill` with `input_prefix`, `input_suffix` and the context files as `input_extra`;
 * - legacy `/v1/completions` with the FIM format applied here from a preset or a custom template;
 * - chat, asking for the missing middle only.
 * Context snippets go where each format expects them: file-separator blocks for the families trained
 * on repository-level prompts, comments otherwise.
 */
import { createHash } from 'node:crypto';
import type { ContextSnippet } from '../context/gather';
import type { ChatMessage } from '../model/types';
import type { ReplyStyle } from './filters';
import { type LineMode, lineComment } from './position';
import type { CompletionMode, FimPresetName } from './settings';

export interface FimPreset {
  /** `{prefix}` and `{suffix}` (and optionally `{path}`, `{language}`) are replaced. */
  template: string;
  stop: string[];
  /** How snippets from other files are written before the prompt. */
  context: 'comments' | 'file-separators';
  /** For `file-separators`: the text before each file and before the current file. */
  fileSeparator?: string;
  /** For `file-separators`: the repository header. */
  repoHeader?: string;
}

export const FIM_PRESETS: Readonly<Record<Exclude<FimPresetName, 'custom'>, FimPreset>> = {
  starcoder: {
    template: '<fim_prefix>{prefix}<fim_suffix>{suffix}<fim_middle>',
    stop: ['<|endoftext|>', '<fim_prefix>', '<fim_suffix>', '<fim_middle>', '<file_sep>'],
    context: 'comments',
  },
  starcoder2: {
    template: '<fim_prefix>{prefix}<fim_suffix>{suffix}<fim_middle>',
    stop: ['<|endoftext|>', '<fim_prefix>', '<fim_suffix>', '<fim_middle>', '<file_sep>', '<repo_name>'],
    context: 'file-separators',
    fileSeparator: '<file_sep>',
  },
  codellama: {
    template: '<PRE> {prefix} <SUF>{suffix} <MID>',
    stop: ['<EOT>', '<PRE>', '<SUF>', '<MID>', '</s>'],
    context: 'comments',
  },
  'deepseek-coder': {
    template: '<｜fim▁begin｜>{prefix}<｜fim▁hole｜>{suffix}<｜fim▁end｜>',
    stop: ['<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>', '<｜end▁of▁sentence｜>', '<|EOT|>'],
    context: 'comments',
  },
  'qwen2.5-coder': {
    template: '<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>',
    stop: ['<|endoftext|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|fim_pad|>', '<|file_sep|>', '<|repo_name|>', '<|im_start|>', '<|im_end|>'],
    context: 'file-separators',
    fileSeparator: '<|file_sep|>',
    repoHeader: '<|repo_name|>workspace\n',
  },
  codestral: {
    template: '[SUFFIX]{suffix}[PREFIX]{prefix}',
    stop: ['[PREFIX]', '[SUFFIX]', '[MIDDLE]', '</s>'],
    context: 'comments',
  },
};

export interface PromptInput {
  path: string;
  languageId: string;
  /** Prefix and suffix windows (already redacted). */
  prefix: string;
  suffix: string;
  snippets: readonly ContextSnippet[];
  lineMode: LineMode;
}

export interface PromptSettings {
  mode: CompletionMode;
  fimTemplate: FimPresetName;
  customFimTemplate: string;
}

export type BuiltPrompt =
  | { endpoint: 'completions'; prompt: string; suffix?: string; stop: string[]; style: ReplyStyle }
  | { endpoint: 'infill'; prefix: string; suffix: string; extra: Array<{ filename: string; text: string }>; stop: string[]; style: ReplyStyle }
  | { endpoint: 'chat'; messages: ChatMessage[]; stop: string[]; style: ReplyStyle };

/** Snippets written as comments in the file's language (`// Path: src/a.ts` then the code). */
export function snippetsAsComments(snippets: readonly ContextSnippet[], languageId: string): string {
  const marker = lineComment(languageId);
  if (!marker || snippets.length === 0) return '';
  const blocks = snippets.map((s) => [`Path: ${s.path}`, ...s.text.split('\n')].map((l) => (l ? `${marker} ${l}` : marker)).join('\n'));
  return blocks.join(`\n${marker}\n`) + '\n\n';
}

function fill(template: string, values: Record<string, string>): string {
  // One pass, so a `{suffix}` inside the user's code is never substituted again.
  return template.replace(/\{(prefix|suffix|path|language)\}/g, (_m, key: string) => values[key] ?? '');
}

export const CHAT_SYSTEM_PROMPT = [
  "You are the code completion engine of a code editor. The user shows a file with one hole marked {{FILL_HERE}}.",
  'Reply with exactly the code that belongs in the hole, inside <COMPLETION></COMPLETION>.',
  'No explanations, no Markdown code fences, and nothing that is already before or after the hole.',
  'Continue with the indentation of the surrounding code. If nothing belongs there, reply <COMPLETION></COMPLETION>.',
].join(' ');

export const HOLE = '{{FILL_HERE}}';

export function buildCompletionPrompt(input: PromptInput, settings: PromptSettings): BuiltPrompt {
  if (settings.mode === 'chat') return chatPrompt(input);
  if (settings.mode === 'infill') {
    // llama.cpp writes the FIM tokens (and the repository context from input_extra) itself.
    return {
      endpoint: 'infill',
      prefix: input.prefix,
      suffix: input.suffix,
      extra: input.snippets.map((s) => ({ filename: s.path, text: s.text })),
      stop: [],
      style: 'fim',
    };
  }
  if (settings.mode === 'completions') {
    return {
      endpoint: 'completions',
      prompt: snippetsAsComments(input.snippets, input.languageId) + input.prefix,
      suffix: input.suffix,
      stop: [],
      style: 'fim',
    };
  }
  const preset: FimPreset =
    settings.fimTemplate === 'custom'
      ? { template: settings.customFimTemplate, stop: [], context: 'comments' }
      : FIM_PRESETS[settings.fimTemplate];
  let header = '';
  let prefix = input.prefix;
  if (preset.context === 'file-separators' && preset.fileSeparator && input.snippets.length > 0) {
    header =
      (preset.repoHeader ?? '') +
      input.snippets.map((s) => `${preset.fileSeparator}${s.path}\n${s.text}\n`).join('') +
      `${preset.fileSeparator}${input.path}\n`;
  } else {
    prefix = snippetsAsComments(input.snippets, input.languageId) + prefix;
  }
  const prompt = header + fill(preset.template, { prefix, suffix: input.suffix, path: input.path, language: input.languageId });
  return { endpoint: 'completions', prompt, stop: [...preset.stop], style: 'fim' };
}

function chatPrompt(input: PromptInput): BuiltPrompt {
  const parts: string[] = [];
  if (input.snippets.length > 0) {
    parts.push('Code from other files that may help:');
    for (const s of input.snippets) parts.push(`<FILE path="${s.path}">\n${s.text}\n</FILE>`);
    parts.push('');
  }
  parts.push(`<FILE path="${input.path}" language="${input.languageId}">\n${input.prefix}${HOLE}${input.suffix}\n</FILE>`);
  parts.push(
    input.lineMode === 'single'
      ? 'Fill the hole with the rest of its line only.'
      : 'Fill the hole with at most one statement or block, ending where the code after the hole takes over.',
  );
  return {
    endpoint: 'chat',
    messages: [
      { role: 'system', content: CHAT_SYSTEM_PROMPT },
      { role: 'user', content: parts.join('\n') },
    ],
    stop: ['</COMPLETION>'],
    style: 'chat',
  };
}

/** The cache key: a digest of exactly what is sent, plus what the cleaning depends on. */
export function promptKey(prompt: BuiltPrompt, request: { model: string; maxTokens: number; temperature: number; lineMode: LineMode; languageId: string }): string {
  const material = JSON.stringify([prompt, request.model, request.maxTokens, request.temperature, request.lineMode, request.languageId]);
  return createHash('sha1').update(material).digest('base64');
}
