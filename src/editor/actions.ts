import * as vscode from 'vscode';
import { BUILTIN_ACTIONS, BUILTIN_TITLES, builtinAction } from '../core/actions/builtin';
import { resolveCustomActions, summariseProblems, type CustomActionsResult } from '../core/actions/custom';
import { buildActionMessages, fillActionPrompt, type TestTarget } from '../core/actions/prompts';
import { pickTargetRange, type PlainSymbol } from '../core/actions/target';
import { usesVariable } from '../core/actions/template';
import { testFileCandidates } from '../core/actions/testFiles';
import type { Action, ActionContext, ActionDiagnostic, BuiltinActionId, PlainRange } from '../core/actions/types';
import { SecretVault } from '../core/context/redact';
import { RedlineCodeActions } from './codeActions';
import { showProblem } from './errors';
import { ExplainPanel } from './explainPanel';
import type { Services } from './services';
import { openSettings } from './settings';
import { Commands, SECTION, Settings, settingId } from '../core/names';
import { Disposable } from '../core/lifecycle';

const ACTIONS_SETTING = settingId(Settings.actions);

/** Command ids of the actions, by built-in action id. */
export const ActionCommands = {
  explain: Commands.explain,
  document: Commands.document,
  fix: Commands.fix,
  simplify: Commands.simplify,
  writeTests: Commands.writeTests,
  runAction: Commands.runAction,
} as const;

/** Optional arguments of the action commands (code actions pass them; the palette passes none). */
export interface ActionArgs {
  uri?: vscode.Uri;
  range?: vscode.Range;
  diagnostics?: readonly vscode.Diagnostic[];
}

/** How long to wait for a language server's symbols (it may still be starting) before using the line. */
const SYMBOL_TIMEOUT_MS = 4000;

const CALLABLE_KINDS = new Set([vscode.SymbolKind.Function, vscode.SymbolKind.Method, vscode.SymbolKind.Constructor]);
const CONTAINER_KINDS = new Set([
  vscode.SymbolKind.Class,
  vscode.SymbolKind.Interface,
  vscode.SymbolKind.Struct,
  vscode.SymbolKind.Enum,
  vscode.SymbolKind.Module,
  vscode.SymbolKind.Namespace,
]);

/** Reads and validates `redline.actions` for a document's scope, fresh each time; marks the workspace's. */
export function loadCustomActions(scope?: vscode.Uri): CustomActionsResult {
  const levels = vscode.workspace.getConfiguration(SECTION, scope).inspect<unknown>(Settings.actions);
  return resolveCustomActions(
    { user: levels?.globalValue, workspace: levels?.workspaceValue, workspaceFolder: levels?.workspaceFolderValue },
    BUILTIN_TITLES,
  );
}

/** Every action for the pickers: the built-in ones, then the valid custom ones. */
export function allActions(scope?: vscode.Uri): { actions: Action[]; custom: CustomActionsResult } {
  const custom = loadCustomActions(scope);
  return { actions: [...BUILTIN_ACTIONS, ...custom.actions], custom };
}

/**
 * The command-palette actions, the "Redline" context submenu's commands, the code actions and the
 * Explain panel. Returns one disposable for everything it registered.
 */
export function registerActions(services: Services): vscode.Disposable {
  const runner = new ActionRunner(services);
  return vscode.Disposable.from(
    runner,
    vscode.languages.registerCodeActionsProvider({ scheme: '*' }, new RedlineCodeActions(services), {
      providedCodeActionKinds: RedlineCodeActions.providedKinds,
    }),
  );
}

export class ActionRunner extends Disposable {
  readonly panel: ExplainPanel;
  /** The problems last shown, so the same warning is not repeated on every run. */
  private shownProblems = '';

  constructor(private readonly services: Services) {
    super();
    this.panel = new ExplainPanel(services);
    const builtin = (id: BuiltinActionId) => (uri?: unknown, range?: unknown, diagnostics?: unknown) =>
      this.guard(id, () => this.runFromCommand(builtinAction(id), toArgs(uri, range, diagnostics)));
    this._registerAll(
      this.panel,
      vscode.commands.registerCommand(ActionCommands.explain, builtin('explain')),
      vscode.commands.registerCommand(ActionCommands.document, builtin('document')),
      vscode.commands.registerCommand(ActionCommands.fix, builtin('fix')),
      vscode.commands.registerCommand(ActionCommands.simplify, builtin('simplify')),
      vscode.commands.registerCommand(ActionCommands.writeTests, builtin('writeTests')),
      vscode.commands.registerCommand(ActionCommands.runAction, (uri?: unknown, range?: unknown, actionId?: unknown, title?: unknown) =>
        this.guard('runAction', () =>
          this.runActionCommand(toArgs(uri, range), typeof actionId === 'string' ? { id: actionId, title: typeof title === 'string' ? title : undefined } : undefined),
        ),
      ),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(ACTIONS_SETTING)) this.reportProblems(loadCustomActions(vscode.window.activeTextEditor?.document.uri));
      }),
    );
  }

  /** Runs a command body; an unexpected failure is logged and reported in one sentence. */
  private async guard(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (err) {
      this.services.log.error(`action ${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      showProblem('the action failed unexpectedly. Your code is unchanged.', { 'Open Output': () => this.services.log.show(true) }, 'error');
    }
  }

  /**
   * "Redline: Run Action…": a quick pick of every action, or the action a code action names (by id
   * and title, so an edited settings list never runs a different action than the one offered).
   */
  private async runActionCommand(args: ActionArgs, wanted?: { id: string; title?: string }): Promise<void> {
    const editor = await this.editorFor(args.uri);
    if (!editor) return;
    const { actions, custom } = allActions(editor.document.uri);
    this.reportProblems(custom);
    let action = wanted ? actions.find((a) => a.id === wanted.id && (wanted.title === undefined || a.title === wanted.title)) : undefined;
    if (wanted && !action) {
      showProblem('that custom action is no longer in redline.actions.', { 'Open Settings': () => openSettings(ACTIONS_SETTING) });
      return;
    }
    if (!action) {
      action = await pickAction(actions, custom);
      if (!action) return;
    }
    await this.run(action, editor, args);
  }

  private async runFromCommand(action: Action, args: ActionArgs): Promise<void> {
    const editor = await this.editorFor(args.uri);
    if (!editor) return;
    await this.run(action, editor, args);
  }

  /** Runs one action on an editor: works out the code, asks for input if needed, then edits or explains. */
  async run(action: Action, editor: vscode.TextEditor, args: ActionArgs = {}): Promise<void> {
    const document = editor.document;
    if (this.services.isExcluded(document.uri)) {
      showProblem(`${vscode.workspace.asRelativePath(document.uri)} matches redline.exclude, so it is never sent to the model.`, {
        'Open Settings': () => openSettings(settingId(Settings.exclude)),
      });
      return;
    }
    const range = args.range ?? (await this.targetRange(editor, action));
    if (document.getText(range).trim() === '') {
      showProblem(`select the code to ${action.title.toLowerCase()} first: there is no code at the cursor.`, {}, 'info');
      return;
    }

    let input: string | undefined;
    if (action.askForInput !== undefined || usesVariable(action.prompt, 'input')) {
      input = await vscode.window.showInputBox({
        title: `Redline: ${action.title}`,
        prompt: action.askForInput ?? `Input for "${action.title}"`,
        ignoreFocusOut: true,
      });
      if (input === undefined) return;
    }

    const diagnostics = (args.diagnostics ?? diagnosticsIn(document, range)).map(toActionDiagnostic);
    const context: ActionContext = {
      selection: document.getText(range),
      languageId: document.languageId,
      filePath: displayPath(document),
      startLine: range.start.line + 1,
      diagnostics,
      ...(input !== undefined ? { input } : {}),
    };
    this.services.log.info(`action ${action.id}: ${context.filePath}:${context.startLine} (${diagnostics.length} diagnostics)`);

    // One vault per request: the reply's placeholders are mapped back to the secrets with it.
    const secrets = new SecretVault();
    if (action.kind === 'explain') {
      await this.panel.explain({ title: action.title, firstPrompt: fillActionPrompt(action, context, secrets), editor, range, secrets });
      return;
    }
    if (action.builtin === 'writeTests') {
      await this.writeTests(action, editor, context);
      return;
    }
    await this.services.edits.proposeEdit({
      editor,
      range,
      instruction: action.title,
      feature: featureOf(action),
      messages: buildActionMessages(action, context, { secrets }),
      secrets,
    });
  }

  /** Write Tests: into the obvious existing test file (appended at its end), else a new editor beside. */
  private async writeTests(action: Action, editor: vscode.TextEditor, context: ActionContext): Promise<void> {
    const source = editor.document;
    let target: TestTarget | undefined;
    let testDocument: vscode.TextDocument | undefined;
    if (source.uri.scheme !== 'untitled') {
      for (const candidate of testFileCandidates(source.uri.path)) {
        const uri = source.uri.with({ path: candidate });
        if (!(await exists(uri))) continue;
        if (this.services.isExcluded(uri)) continue;
        testDocument = await vscode.workspace.openTextDocument(uri);
        target = { path: vscode.workspace.asRelativePath(uri), existingText: testDocument.getText() };
        break;
      }
      if (!target) {
        const suggested = testFileCandidates(source.uri.path)[0];
        if (suggested) target = { path: vscode.workspace.asRelativePath(source.uri.with({ path: suggested })) };
      }
    }
    const secrets = new SecretVault();
    const messages = buildActionMessages(action, context, { ...(target ? { testTarget: target } : {}), secrets });
    if (!testDocument) testDocument = await vscode.workspace.openTextDocument({ language: source.languageId, content: '' });
    const testEditor = await vscode.window.showTextDocument(testDocument, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false });
    const end = testDocument.lineAt(testDocument.lineCount - 1).range.end;
    await this.services.edits.proposeEdit({
      editor: testEditor,
      range: new vscode.Range(end, end),
      instruction: action.title,
      feature: featureOf(action),
      messages,
      secrets,
    });
  }

  /** The selection, else (Fix) the diagnostics' lines at the cursor, else the enclosing function, else the line. */
  private async targetRange(editor: vscode.TextEditor, action: Action): Promise<vscode.Range> {
    const document = editor.document;
    const selection = editor.selection;
    if (!selection.isEmpty) return selection;
    const symbols = await documentSymbols(document);
    const picked = pickTargetRange({
      selection: plain(selection),
      lineLength: (line) => document.lineAt(Math.min(line, document.lineCount - 1)).text.length,
      symbols,
      ...(action.builtin === 'fix' ? { diagnostics: vscode.languages.getDiagnostics(document.uri).map((d) => plain(d.range)) } : {}),
    });
    const r = picked.range;
    return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
  }

  private async editorFor(uri: vscode.Uri | undefined): Promise<vscode.TextEditor | undefined> {
    const active = vscode.window.activeTextEditor;
    if (!uri || active?.document.uri.toString() === uri.toString()) {
      if (!active) showProblem('open a file and select some code first.', {}, 'info');
      return active;
    }
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    if (visible) return visible;
    try {
      return await vscode.window.showTextDocument(uri);
    } catch {
      showProblem(`${vscode.workspace.asRelativePath(uri)} cannot be opened.`);
      return undefined;
    }
  }

  /** Malformed custom actions: logged in full, and one warning naming the entry and field (once per change). */
  private reportProblems(custom: CustomActionsResult): void {
    const signature = custom.problems.map((p) => p.message).join('\n');
    if (signature === this.shownProblems) return;
    this.shownProblems = signature;
    const summary = summariseProblems(custom.problems);
    if (!summary) return;
    for (const problem of custom.problems) this.services.log.warn(`custom actions: ${problem.message}`);
    showProblem(summary, {
      'Open Settings': () => openSettings(ACTIONS_SETTING),
      ...(custom.problems.length > 1 ? { 'Open Output': () => this.services.log.show(true) } : {}),
    });
  }
}

interface ActionItem extends vscode.QuickPickItem {
  action?: Action;
  openSettings?: boolean;
}

async function pickAction(actions: readonly Action[], custom: CustomActionsResult): Promise<Action | undefined> {
  const item = (action: Action): ActionItem => ({ label: action.title, description: action.description, action });
  const items: ActionItem[] = [
    { label: 'Built-in', kind: vscode.QuickPickItemKind.Separator },
    ...actions.filter((a) => a.builtin).map(item),
  ];
  const customActions = actions.filter((a) => !a.builtin);
  if (customActions.length > 0 || custom.problems.length > 0) {
    const label = customActions.some((a) => a.fromWorkspace) ? "Custom, from this workspace's settings (redline.actions)" : 'Custom (redline.actions)';
    items.push({ label, kind: vscode.QuickPickItemKind.Separator });
  }
  items.push(...customActions.map(item));
  const errors = custom.problems.filter((p) => p.severity === 'error').length;
  if (custom.problems.length > 0) {
    items.push({
      label: `$(warning) ${errors > 0 ? `${errors} custom action${errors === 1 ? '' : 's'} could not be loaded` : 'Custom actions have warnings'}`,
      detail: summariseProblems(custom.problems),
      openSettings: true,
    });
  } else if (customActions.length === 0) {
    items.push({ label: '$(gear) Add your own actions…', description: `${ACTIONS_SETTING} in settings`, openSettings: true });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Redline: Run Action',
    placeHolder: 'Choose an action for the selected code',
    matchOnDescription: true,
  });
  if (picked?.openSettings) openSettings(ACTIONS_SETTING);
  return picked?.action;
}

function toArgs(uri: unknown, range: unknown, diagnostics?: unknown): ActionArgs {
  return {
    ...(uri instanceof vscode.Uri ? { uri } : {}),
    ...(range instanceof vscode.Range ? { range } : {}),
    ...(Array.isArray(diagnostics) && diagnostics.every((d) => d instanceof vscode.Diagnostic) ? { diagnostics } : {}),
  };
}

function featureOf(action: Action): string {
  return action.builtin ? `action.${action.builtin}` : 'action.custom';
}

function displayPath(document: vscode.TextDocument): string {
  return document.isUntitled ? document.fileName : vscode.workspace.asRelativePath(document.uri);
}

/** Diagnostics that touch the lines of the range. */
export function diagnosticsIn(document: vscode.TextDocument, range: vscode.Range): vscode.Diagnostic[] {
  const lastLine = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  return vscode.languages
    .getDiagnostics(document.uri)
    .filter((d) => d.range.end.line >= range.start.line && d.range.start.line <= lastLine);
}

const SEVERITY: Record<vscode.DiagnosticSeverity, ActionDiagnostic['severity']> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'information',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

export function toActionDiagnostic(d: vscode.Diagnostic): ActionDiagnostic {
  const code = typeof d.code === 'object' && d.code !== null ? d.code.value : d.code;
  return {
    message: d.message,
    severity: SEVERITY[d.severity] ?? 'information',
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    ...(d.source ? { source: d.source } : {}),
    ...(code !== undefined ? { code } : {}),
  };
}

function plain(range: vscode.Range): PlainRange {
  return { start: { line: range.start.line, character: range.start.character }, end: { line: range.end.line, character: range.end.character } };
}

async function documentSymbols(document: vscode.TextDocument): Promise<PlainSymbol[]> {
  try {
    const symbols = await Promise.race([
      vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>('vscode.executeDocumentSymbolProvider', document.uri),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), SYMBOL_TIMEOUT_MS)),
    ]);
    const convert = (s: vscode.DocumentSymbol | vscode.SymbolInformation): PlainSymbol => ({
      range: plain('range' in s ? s.range : s.location.range),
      kind: CALLABLE_KINDS.has(s.kind) ? 'callable' : CONTAINER_KINDS.has(s.kind) ? 'container' : 'other',
      ...('children' in s && s.children.length > 0 ? { children: s.children.map(convert) } : {}),
    });
    return (symbols ?? []).map(convert);
  } catch {
    return [];
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    return (stat.type & vscode.FileType.File) !== 0;
  } catch {
    return false;
  }
}
