/**
 * The chat prompt for "Edit Selection": instruction, language, file path, the code around the selection,
 * the diagnostics inside it, and a system prompt that asks for the rewritten selection only, in one
 * fenced block. The selection is never trimmed; the code around it is, nearest lines kept first, so that
 * prompt + room for the reply fit the model's context window. Reply extraction is src/core/edit/extract.ts.
 */
import { SecretVault } from '../context/redact';
import type { ChatMessage } from '../model/types';
import { countTokens } from './tokens';

export interface EditDiagnostic {
  /** 0-based document line (as vscode.Range.start.line). */
  line: number;
  /** "error" | "warning" | "information" | "hint" (shown as given). */
  severity: string;
  message: string;
}

export interface EditPromptInput {
  instruction: string;
  /** VS Code language id. */
  languageId: string;
  /** Workspace-relative path shown to the model. */
  filePath: string;
  /** Document text before the selection (the whole prefix; it is trimmed here). */
  before: string;
  selection: string;
  /** Document text after the selection (the whole suffix; it is trimmed here). */
  after: string;
  /** Diagnostics of the document; those on the selection's lines are listed. */
  diagnostics: EditDiagnostic[];
  contextWindowTokens: number;
  /** Room for the rewrite; by default 1.5 × the selection + 256 tokens. */
  maxOutputTokens?: number;
  /**
   * Extra room for a thinking model's reasoning, added to the reply limit (redline.chat.reasoningTokens).
   * It takes at most half of what the window leaves for context, and is cut to what the window holds.
   */
  reasoningTokens?: number;
  /**
   * Secrets in the selection and the code around it are replaced by this vault's placeholders (a
   * vault of its own when none is given); the caller restores the reply with the same vault.
   */
  secrets?: SecretVault;
}

export type EditPromptResult =
  | {
      ok: true;
      messages: ChatMessage[];
      promptTokens: number;
      /** The reply limit to send: the rewrite's room plus the reasoning room. */
      maxTokens: number;
      /** The reasoning room inside maxTokens. */
      reasoningTokens: number;
    }
  | { ok: false; reason: 'tooLarge'; message: string };

/** Tokens a chat message costs beyond its content (role, separators), and the reply's priming. */
const PER_MESSAGE_TOKENS = 4;
const REPLY_PRIMING_TOKENS = 3;
/** Other models tokenise differently from cl100k_base: keep this share of the window free. */
const SAFETY_SHARE = 0.05;

const FENCE_LANGUAGE: Record<string, string> = {
  typescriptreact: 'tsx',
  javascriptreact: 'jsx',
  shellscript: 'bash',
  plaintext: 'text',
  csharp: 'csharp',
  'objective-c': 'objectivec',
  dockerfile: 'dockerfile',
};

export function fenceLanguage(languageId: string): string {
  return FENCE_LANGUAGE[languageId] ?? languageId;
}

export function editSystemPrompt(languageId: string): string {
  const lang = fenceLanguage(languageId);
  return [
    'You are Redline, a careful programming assistant that rewrites a selected piece of code as the user instructs.',
    `Reply with ONLY the rewritten selection, in exactly one fenced code block (\`\`\`${lang}), in the same language (${languageId}).`,
    'No explanation, no notes, nothing before or after the code block.',
    'Rewrite the selection only: do not repeat the code before or after it. Keep its indentation, line style and the conventions of the surrounding code.',
    'If nothing needs to change, reply with the selection unchanged.',
  ].join('\n');
}

export function buildEditPrompt(unredacted: EditPromptInput): EditPromptResult {
  // Everything sent is redacted, the selection first (its secrets get the plainest placeholders).
  const vault = unredacted.secrets ?? new SecretVault();
  const selection = vault.redact(unredacted.selection).text;
  const input: EditPromptInput = { ...unredacted, selection, before: vault.redact(unredacted.before).text, after: vault.redact(unredacted.after).text };
  const window = input.contextWindowTokens;
  const selectionTokens = countTokens(input.selection);
  const maxTokens = input.maxOutputTokens ?? Math.ceil(selectionTokens * 1.5) + 256;
  const fence = fenceFor([input.before, input.selection, input.after]);
  const lang = fenceLanguage(input.languageId);
  const system = editSystemPrompt(input.languageId);
  const diagnostics = diagnosticLines(input);

  const render = (before: string, after: string, beforeCut: boolean, afterCut: boolean): string =>
    renderUser(input, { fence, lang, before, after, beforeCut, afterCut, diagnostics });
  const overhead = 2 * PER_MESSAGE_TOKENS + REPLY_PRIMING_TOKENS;
  const fixed = countTokens(system) + countTokens(render('', '', false, false)) + overhead;
  const safety = Math.ceil(window * SAFETY_SHARE);
  const room = window - fixed - maxTokens - safety;
  if (room < 0) {
    return {
      ok: false,
      reason: 'tooLarge',
      message:
        `The selection is too large for the model: selection ${selectionTokens} tokens, window ${window} tokens ` +
        `(the prompt needs ${fixed} and the rewrite up to ${maxTokens} more). Select less code or raise redline.chat.contextWindowTokens.`,
    };
  }

  const reasoningWanted = Math.max(0, Math.floor(input.reasoningTokens ?? 0));
  const { before, after, beforeCut, afterCut } = fitContext(input.before, input.after, room - Math.min(reasoningWanted, Math.floor(room / 2)));
  const user = render(before, after, beforeCut, afterCut);
  const messages: ChatMessage[] = [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
  const promptTokens = countTokens(system) + countTokens(user) + overhead;
  const reasoningTokens = Math.max(0, Math.min(reasoningWanted, window - promptTokens - maxTokens - safety));
  return { ok: true, messages, promptTokens, maxTokens: maxTokens + reasoningTokens, reasoningTokens };
}

/** A backtick fence longer than any backtick run in the content (at least three). */
function fenceFor(texts: string[]): string {
  let longest = 0;
  for (const text of texts) for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * Keeps the lines nearest the selection on both sides, alternating outwards (before, after, before, …),
 * within `budget` tokens. The partial lines touching the selection (a mid-line start or end) always stay.
 */
export function fitContext(
  beforeText: string,
  afterText: string,
  budget: number,
): { before: string; after: string; beforeCut: boolean; afterCut: boolean } {
  const beforeLines = linesOf(beforeText);
  const afterLines = linesOf(afterText);
  let b = beforeLines.length; // beforeLines[b..] kept
  let a = 0; // afterLines[..a) kept
  let left = budget;
  let beforeOpen = b > 0;
  let afterOpen = a < afterLines.length;
  let turn: 'before' | 'after' = 'before';
  while (beforeOpen || afterOpen) {
    const side: 'before' | 'after' = (turn === 'before' && beforeOpen) || !afterOpen ? 'before' : 'after';
    turn = side === 'before' ? 'after' : 'before';
    const line = side === 'before' ? beforeLines[b - 1] : afterLines[a];
    const cost = countTokens(line);
    if (cost > left) {
      if (side === 'before') beforeOpen = false;
      else afterOpen = false;
      continue;
    }
    left -= cost;
    if (side === 'before') beforeOpen = --b > 0;
    else afterOpen = ++a < afterLines.length;
  }
  return {
    before: beforeLines.slice(b).join(''),
    after: afterLines.slice(0, a).join(''),
    beforeCut: b > 0,
    afterCut: a < afterLines.length,
  };
}

function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

interface RenderParts {
  fence: string;
  lang: string;
  before: string;
  after: string;
  beforeCut: boolean;
  afterCut: boolean;
  diagnostics: string[];
}

function renderUser(input: EditPromptInput, p: RenderParts): string {
  const block = (text: string) => `${p.fence}${p.lang}\n${text.endsWith('\n') || text === '' ? text : text + '\n'}${p.fence}`;
  const parts = [`File: ${input.filePath}`, `Language: ${input.languageId}`, ''];
  if (p.before !== '') {
    parts.push(`Code before the selection${p.beforeCut ? ' (earlier lines omitted)' : ''}:`, block(p.before), '');
  } else {
    parts.push(p.beforeCut ? 'Code before the selection: (omitted)' : 'The selection starts the file.', '');
  }
  parts.push('Selection to rewrite:', block(input.selection), '');
  if (p.after !== '') {
    parts.push(`Code after the selection${p.afterCut ? ' (later lines omitted)' : ''}:`, block(p.after), '');
  } else {
    parts.push(p.afterCut ? 'Code after the selection: (omitted)' : 'The selection ends the file.', '');
  }
  if (p.diagnostics.length > 0) parts.push('Diagnostics in the selection:', ...p.diagnostics, '');
  parts.push(`Instruction: ${input.instruction.trim()}`);
  return parts.join('\n');
}

/** The diagnostics on the selection's lines, 1-based, each with its source line. */
function diagnosticLines(input: EditPromptInput): string[] {
  const firstLine = countNewlines(input.before);
  const selectionLines = input.selection.split(/\r?\n/);
  const lastLine = firstLine + selectionLines.length - 1 - (input.selection.endsWith('\n') ? 1 : 0);
  return input.diagnostics
    .filter((d) => d.line >= firstLine && d.line <= Math.max(firstLine, lastLine))
    .sort((x, y) => x.line - y.line)
    .map((d) => {
      const source = selectionLines[d.line - firstLine]?.trim() ?? '';
      return `- line ${d.line + 1} (${d.severity}): ${d.message.replace(/\s+/g, ' ').trim()}${source ? `  — \`${source}\`` : ''}`;
    });
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
