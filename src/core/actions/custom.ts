/**
 * Custom actions from the `redline.actions` setting: validation with messages a user can act on.
 * A malformed entry is left out and reported by its index, title and field; the others keep working.
 */
import type { Action, ActionKind } from './types';
import { TEMPLATE_VARIABLES, unknownVariables } from './template';
import { Settings, settingId } from '../names';

/** The setting's full id, as users see it in messages. */
const ACTIONS_SETTING = settingId(Settings.actions);

const KNOWN_FIELDS = ['title', 'prompt', 'kind', 'askForInput'] as const;
const KINDS: readonly ActionKind[] = ['edit', 'explain'];

export interface ActionProblem {
  /** 0-based index in `redline.actions`; -1 when the setting itself is malformed. */
  index: number;
  title?: string;
  /** The field at fault (`title`, `prompt`, `kind`, `askForInput`, or an unknown field's name). */
  field?: string;
  /** `error`: the entry is left out. `warning`: the entry works, but something looks wrong. */
  severity: 'error' | 'warning';
  /** One sentence naming the entry and the field. */
  message: string;
}

export interface CustomActionsResult {
  actions: Action[];
  problems: ActionProblem[];
}

/** Validates the raw setting value. Never throws. */
export function validateCustomActions(raw: unknown, reservedTitles: readonly string[] = []): CustomActionsResult {
  const actions: Action[] = [];
  const problems: ActionProblem[] = [];
  if (raw === undefined || raw === null) return { actions, problems };
  if (!Array.isArray(raw)) {
    problems.push({
      index: -1,
      severity: 'error',
      message: `${ACTIONS_SETTING} must be a list of actions like [{ "title": "…", "prompt": "…", "kind": "edit" }], not ${describe(raw)}.`,
    });
    return { actions, problems };
  }

  const seenTitles = new Map<string, number>();
  raw.forEach((entry: unknown, index: number) => {
    const entryProblems: ActionProblem[] = [];
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push({
        index,
        severity: 'error',
        message: `${ACTIONS_SETTING}[${index}] must be an object with "title", "prompt" and "kind", not ${describe(entry)}.`,
      });
      return;
    }
    const record = entry as Record<string, unknown>;
    const title = typeof record.title === 'string' && record.title.trim() !== '' ? record.title.trim() : undefined;
    const label = title ? `${ACTIONS_SETTING}[${index}] "${title}"` : `${ACTIONS_SETTING}[${index}]`;
    const problem = (field: string, message: string, severity: 'error' | 'warning' = 'error') =>
      entryProblems.push({ index, ...(title ? { title } : {}), field, severity, message: `${label}: ${message}` });

    if (!('title' in record) || record.title === undefined) problem('title', 'the "title" field is missing (the name shown in menus).');
    else if (!title) problem('title', `"title" must be a non-empty string, not ${describe(record.title)}.`);

    let prompt: string | undefined;
    if (!('prompt' in record) || record.prompt === undefined) {
      problem('prompt', 'the "prompt" field is missing (the instruction sent to the model, e.g. "Translate the comments in {{selection}} to English").');
    } else if (typeof record.prompt !== 'string' || record.prompt.trim() === '') {
      problem('prompt', `"prompt" must be a non-empty string, not ${describe(record.prompt)}.`);
    } else {
      prompt = record.prompt;
      for (const unknown of unknownVariables(prompt)) {
        const hint = unknown.suggestion ? ` (did you mean {{${unknown.suggestion}}}?)` : '';
        problem(
          'prompt',
          `"prompt" uses the unknown variable {{${unknown.name}}}${hint}; the variables are ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')}.`,
        );
      }
    }

    let kind: ActionKind | undefined;
    if (!('kind' in record) || record.kind === undefined) {
      problem('kind', 'the "kind" field is missing: "edit" (the reply replaces the code, reviewed as a diff) or "explain" (the reply opens in the Explain panel).');
    } else if (typeof record.kind !== 'string' || !(KINDS as readonly string[]).includes(record.kind)) {
      problem('kind', `"kind" must be "edit" or "explain", not ${describe(record.kind)}.`);
    } else {
      kind = record.kind as ActionKind;
    }

    let askForInput: string | undefined;
    if ('askForInput' in record && record.askForInput !== undefined) {
      if (typeof record.askForInput !== 'string' || record.askForInput.trim() === '') {
        problem('askForInput', `"askForInput" must be a non-empty string (the question shown in the input box), not ${describe(record.askForInput)}.`);
      } else {
        askForInput = record.askForInput;
      }
    }

    for (const key of Object.keys(record)) {
      if (!(KNOWN_FIELDS as readonly string[]).includes(key)) {
        problem(key, `unknown field "${key}" is ignored (the fields are ${KNOWN_FIELDS.map((f) => `"${f}"`).join(', ')}).`, 'warning');
      }
    }

    if (title) {
      const key = title.toLowerCase();
      const earlier = seenTitles.get(key);
      if (earlier !== undefined) {
        problem('title', `the title is the same as ${ACTIONS_SETTING}[${earlier}]; give each action its own title.`, 'warning');
      } else if (reservedTitles.some((reserved) => reserved.toLowerCase() === key)) {
        problem('title', 'the title is the same as a built-in action; give it another title to tell them apart.', 'warning');
      }
      if (earlier === undefined) seenTitles.set(key, index);
    }

    problems.push(...entryProblems);
    if (entryProblems.some((p) => p.severity === 'error') || !title || prompt === undefined || kind === undefined) return;
    actions.push({
      id: `custom.${index}`,
      title,
      kind,
      prompt,
      ...(askForInput !== undefined ? { askForInput } : {}),
      description: kind === 'edit' ? 'custom action: edit' : 'custom action: explain',
    });
  });
  return { actions, problems };
}

/** The values of `redline.actions` at each level, as `WorkspaceConfiguration.inspect()` gives them. */
export interface ActionLevels {
  user?: unknown;
  workspace?: unknown;
  workspaceFolder?: unknown;
}

/**
 * The custom actions in effect, as VS Code resolves the setting (the most specific level that sets it
 * wins), validated; actions that come from the workspace or a workspace folder are marked as such.
 */
export function resolveCustomActions(levels: ActionLevels, reservedTitles: readonly string[] = []): CustomActionsResult {
  const fromWorkspace = levels.workspaceFolder !== undefined || levels.workspace !== undefined;
  const raw = levels.workspaceFolder ?? levels.workspace ?? levels.user;
  const result = validateCustomActions(raw, reservedTitles);
  if (!fromWorkspace) return result;
  return {
    ...result,
    actions: result.actions.map((a) => ({ ...a, fromWorkspace: true, description: `${a.description ?? 'custom action'} · from this workspace` })),
  };
}

/** One line for a notification: the first problem, and how many more there are. */
export function summariseProblems(problems: readonly ActionProblem[]): string | undefined {
  if (problems.length === 0) return undefined;
  const first = problems.find((p) => p.severity === 'error') ?? problems[0];
  const more = problems.length - 1;
  return more > 0 ? `${first.message} (${more} more problem${more === 1 ? '' : 's'} in the Redline log.)` : first.message;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value.trim() === '' ? 'an empty string' : JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value; // `undefined`: nothing else a JSON setting can hold is left
}
