/**
 * The next-edit prompt: the recent edits as "User edited <path>" unified diffs, and the excerpt around
 * the cursor with the editable region marked (`<|editable_region_start|>` … `<|user_cursor_is_here|>`
 * … `<|editable_region_end|>`), the format the open next-edit models (Zeta, Instinct) were trained on.
 *
 * Two ways to send it, chosen by a setting and never guessed from a model name:
 * - `chat`: any instruction model, asked to rewrite the region and answer with it between the markers;
 * - `zeta`: a raw `/v1/completions` prompt in the fine-tunes' own layout (Instruction / User Edits /
 *   User Excerpt / Response), for Zeta- or Instinct-style models served by Ollama, llama.cpp or vLLM.
 */
import { SecretVault } from '../context/redact';
import type { ChatMessage } from '../model/types';
import { type HistoryEntry, unifiedDiff } from './history';
import type { Region } from './region';

export const MARKERS = {
  regionStart: '<|editable_region_start|>',
  regionEnd: '<|editable_region_end|>',
  cursor: '<|user_cursor_is_here|>',
  fileStart: '<|start_of_file|>',
} as const;

export type PromptFormat = 'chat' | 'zeta';
export const PROMPT_FORMATS: readonly PromptFormat[] = ['chat', 'zeta'];

export interface NextEditPromptInput {
  path: string;
  languageId: string;
  /** The document's line contents. */
  lines: readonly string[];
  cursor: { line: number; character: number };
  region: Region;
  /** Recent edits, oldest first. */
  history: readonly HistoryEntry[];
  /** Current lines of a history entry's document, for diff context (undefined: no context lines). */
  linesOf?: (path: string) => readonly string[] | undefined;
}

/** `secrets`: the vault the sent text was redacted with, to map the reply's placeholders back. */
export type BuiltNextEditPrompt =
  | { format: 'chat'; messages: ChatMessage[]; text: string; maxTokens: number; secrets: SecretVault }
  | { format: 'zeta'; prompt: string; text: string; maxTokens: number; secrets: SecretVault };

/** "User edited <path>" blocks, oldest first. */
export function formatHistory(history: readonly HistoryEntry[], linesOf?: (path: string) => readonly string[] | undefined): string {
  return history
    .map((e) => `User edited "${e.path}":\n\`\`\`diff\n${unifiedDiff(e, linesOf?.(e.path))}\n\`\`\``)
    .join('\n\n');
}

/** The region's text as the model sees it: its lines with the cursor marker, each line ending in "\n". */
export function markedRegion(lines: readonly string[], region: Region, cursor: { line: number; character: number }): string {
  let out = '';
  for (let i = region.start; i < region.end; i++) {
    const line = lines[i];
    if (i === cursor.line) {
      const at = Math.min(Math.max(0, cursor.character), line.length);
      out += `${line.slice(0, at)}${MARKERS.cursor}${line.slice(at)}\n`;
    } else {
      out += `${line}\n`;
    }
  }
  return out;
}

/** The fenced excerpt: context, the marked region, context. */
export function formatExcerpt(input: NextEditPromptInput): string {
  const { lines, region, path } = input;
  const before = lines.slice(region.contextStart, region.start);
  const after = lines.slice(region.end, region.contextEnd);
  let body = region.contextStart === 0 ? `${MARKERS.fileStart}\n` : '';
  for (const l of before) body += `${l}\n`;
  body += `${MARKERS.regionStart}\n${markedRegion(lines, region, input.cursor)}${MARKERS.regionEnd}\n`;
  for (const l of after) body += `${l}\n`;
  return `\`\`\`${path}\n${body}\`\`\``;
}

const CHAT_SYSTEM = [
  'You predict the next edit a programmer will make, from the edits they just made.',
  `You are shown their recent edits as unified diffs and an excerpt of the file they are in. Part of the excerpt is marked between ${MARKERS.regionStart} and ${MARKERS.regionEnd}; ${MARKERS.cursor} marks their cursor.`,
  'Rewrite the marked region the way the programmer will most likely change it next: finish a rename, add a new parameter at the calls, use what was just imported, repeat a change they made elsewhere.',
  'Change nothing else. Do not undo their recent edits. When no edit follows, return the region unchanged.',
  `Answer with the region only: ${MARKERS.regionStart} on its own line, the rewritten lines, ${MARKERS.regionEnd} on its own line. Leave out ${MARKERS.cursor}. No explanation.`,
].join('\n');

const ZETA_INSTRUCTION =
  'You are a code completion assistant. Analyse the user\'s recent edits, then rewrite the excerpt they provide with the edits that most likely come next, taking the cursor position into account.';

/** Builds the prompt in the chosen format. Secrets in the sent text are redacted, all with one vault. */
export function buildNextEditPrompt(input: NextEditPromptInput, format: PromptFormat): BuiltNextEditPrompt {
  const secrets = new SecretVault();
  const history = secrets.redact(formatHistory(input.history, input.linesOf)).text;
  const excerpt = secrets.redact(formatExcerpt(input)).text;
  let regionChars = 0;
  for (let i = input.region.start; i < input.region.end; i++) regionChars += input.lines[i].length + 1;
  // Room for the region written back, grown a little, plus the markers.
  const maxTokens = Math.min(4096, Math.ceil((regionChars / 4) * 1.5) + 64);
  if (format === 'zeta') {
    const prompt = `### Instruction:\n${ZETA_INSTRUCTION}\n\n### User Edits:\n\n${history}\n\n### User Excerpt:\n\n${excerpt}\n\n### Response:\n`;
    return { format, prompt, text: prompt, maxTokens, secrets };
  }
  const user = `${history ? `Recent edits, oldest first:\n\n${history}\n\n` : 'No recent edits.\n\n'}The file (${input.languageId}):\n\n${excerpt}\n\nRewrite the marked region.`;
  const messages: ChatMessage[] = [
    { role: 'system', content: CHAT_SYSTEM },
    { role: 'user', content: user },
  ];
  return { format, messages, text: `${CHAT_SYSTEM}\n${user}`, maxTokens, secrets };
}
