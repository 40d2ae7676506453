/**
 * Plain data for Redline's actions (Explain, Document, Fix, Simplify, Write Tests and the user's own
 * actions from `redline.actions`). The editor layer turns VS Code objects into these shapes.
 */

/** `edit`: the reply replaces the target code through the inline-diff review. `explain`: it opens in the Explain panel. */
export type ActionKind = 'edit' | 'explain';

export type BuiltinActionId = 'explain' | 'document' | 'fix' | 'simplify' | 'writeTests';

export interface Action {
  /** `builtin.<id>` or `custom.<index in redline.actions>`. */
  id: string;
  title: string;
  kind: ActionKind;
  /** Prompt template: text with `{{variable}}` placeholders (see TEMPLATE_VARIABLES). */
  prompt: string;
  /** When set (or when the prompt uses `{{input}}`), the user is asked for input with this prompt first. */
  askForInput?: string;
  /** Set for the built-in actions. */
  builtin?: BuiltinActionId;
  /** A short line for pickers. */
  description?: string;
  /**
   * A custom action defined by the open workspace (its `.vscode/settings.json`), not by the user:
   * pickers and the lightbulb say so, since whoever wrote the repository wrote its prompt.
   */
  fromWorkspace?: boolean;
}

export type DiagnosticSeverityName = 'error' | 'warning' | 'information' | 'hint';

export interface ActionDiagnostic {
  message: string;
  severity: DiagnosticSeverityName;
  /** 1-based line in the file where the diagnostic starts. */
  line: number;
  /** 1-based column. */
  column?: number;
  source?: string;
  code?: string | number;
}

/** Everything an action's prompt may use. */
export interface ActionContext {
  /** The code the action works on (already redacted or not: the prompt builder redacts). */
  selection: string;
  /** VS Code language id (`typescript`, `python`, …). */
  languageId: string;
  /** Workspace-relative path (or file name for untitled documents), `/`-separated. */
  filePath: string;
  /** 1-based line in the file where `selection` starts. */
  startLine: number;
  diagnostics: ActionDiagnostic[];
  /** The user's answer to `askForInput`. */
  input?: string;
}

/** A position or range in plain numbers, 0-based like VS Code's. */
export interface PlainPosition {
  line: number;
  character: number;
}

export interface PlainRange {
  start: PlainPosition;
  end: PlainPosition;
}
