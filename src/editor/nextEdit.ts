/**
 * Next edit suggestions in the editor: feeds document edits to the core engine, shows a proposal one
 * hunk at a time as a light inline diff (decorations only: the document is not touched until Tab), and
 * carries out Tab (jump first when the hunk is off screen or far, then accept), Escape and the toggle.
 * All decisions are made in src/core/nextEdit; this file translates.
 */
import * as vscode from 'vscode';
import type { TextChange } from '../core/nextEdit/history';
import { NextEditEngine, type NextEditOutcome } from '../core/nextEdit/engine';
import { firstHunk, hunkEdit, hunkFits, inlineDiff, needsJump, remainingHunks } from '../core/nextEdit/proposal';
import type { LineChange } from '../core/nextEdit/history';
import { Colors, Commands, ContextKeys, SECTION, Settings, StatusItems } from '../core/names';
import { readNextEditSettings, type NextEditSettings } from '../core/nextEdit/settings';
import type { Services } from './services';
import { read } from './settings';

const SCHEMES = new Set(['file', 'untitled', 'vscode-remote']);

interface Shown {
  editor: vscode.TextEditor;
  docKey: string;
  version: number;
  hunks: LineChange[];
  index: number;
  /** 'hint': only the pointer to it is shown (Tab jumps); 'diff': the inline diff (Tab accepts). */
  mode: 'hint' | 'diff';
}

function lineRange(line: number): vscode.Range {
  return new vscode.Range(line, 0, line, 0);
}

export function registerNextEdit(services: Services): vscode.Disposable {
  const { log } = services;
  const subscriptions: vscode.Disposable[] = [];
  const settings = (): NextEditSettings & { chatModel: string } => {
    const config = vscode.workspace.getConfiguration(SECTION);
    const s = readNextEditSettings((key) => read<unknown>(config, key, undefined));
    const chatModel = services.settings().chat.model;
    return { ...s, model: s.model || chatModel, chatModel };
  };
  const relativePath = (uri: vscode.Uri) => (uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri, false) : uri.path);
  const eligible = (doc: vscode.TextDocument) => SCHEMES.has(doc.uri.scheme) && !services.isExcluded(doc.uri);

  const engine = new NextEditEngine({
    client: () => services.modelClient('completion'),
    log,
    busy: (feature) => services.status.busy(feature),
    onOutcome: (outcome) => onOutcome(outcome),
  });
  subscriptions.push({ dispose: () => engine.dispose() });

  // ---- decorations: lighter than a review's, one hunk at a time
  const added = new vscode.ThemeColor(Colors.nextEditAddedBackground);
  const removed = new vscode.ThemeColor(Colors.nextEditRemovedBackground);
  const hintColor = new vscode.ThemeColor('editorCodeLens.foreground');
  const types = {
    removedChars: vscode.window.createTextEditorDecorationType({ backgroundColor: removed, textDecoration: 'line-through', rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed }),
    removedLines: vscode.window.createTextEditorDecorationType({ isWholeLine: true, backgroundColor: removed, textDecoration: 'line-through' }),
    inserted: vscode.window.createTextEditorDecorationType({ before: { backgroundColor: added } }),
    addedLines: vscode.window.createTextEditorDecorationType({ after: { backgroundColor: added, margin: '0 0 0 1em' } }),
    hint: vscode.window.createTextEditorDecorationType({ after: { color: hintColor, fontStyle: 'italic', margin: '0 0 0 2em' } }),
  };
  subscriptions.push(...Object.values(types));

  let shown: Shown | undefined;
  /** Set while Redline applies an accepted hunk, so its own edit is not taken for typing. */
  let applying = false;

  const setVisible = (visible: boolean) => void vscode.commands.executeCommand('setContext', ContextKeys.nextEditVisible, visible);

  const clearDecorations = (editor: vscode.TextEditor) => {
    for (const t of Object.values(types)) editor.setDecorations(t, []);
  };

  const clear = () => {
    if (shown) clearDecorations(shown.editor);
    if (shown) log.trace(`[nextEdit] cleared`);
    shown = undefined;
    setVisible(false);
  };

  const render = () => {
    if (!shown) return;
    const { editor, hunks, index, mode } = shown;
    const hunk = hunks[index];
    clearDecorations(editor);
    if (mode === 'hint') {
      const cursor = editor.selection.active.line;
      const where = hunk.start + 1;
      const arrow = hunk.start < cursor ? '↑' : '↓';
      const end = editor.document.lineAt(cursor).range.end;
      editor.setDecorations(types.hint, [
        { range: new vscode.Range(end, end), renderOptions: { after: { contentText: `${arrow} Next edit at line ${where} · Tab to go there` } } },
      ]);
      return;
    }
    const d = inlineDiff(hunk);
    editor.setDecorations(types.removedChars, d.removed.map((r) => new vscode.Range(r.line, r.start, r.line, r.end)));
    editor.setDecorations(
      types.inserted,
      d.inserted.map((i) => ({ range: new vscode.Range(i.line, i.character, i.line, i.character), renderOptions: { before: { contentText: i.text } } })),
    );
    editor.setDecorations(types.removedLines, d.removedLines.map(lineRange));
    const doc = editor.document;
    const anchor = d.anchorLine >= 0 ? doc.lineAt(Math.min(d.anchorLine, doc.lineCount - 1)).range.end : new vscode.Position(0, 0);
    editor.setDecorations(
      types.addedLines,
      d.addedLines.map((line) => ({ range: new vscode.Range(anchor, anchor), renderOptions: { after: { contentText: `⏎ ${line.replace(/\t/g, '    ')}` } } })),
    );
    const last = doc.lineAt(Math.min(doc.lineCount - 1, Math.max(0, hunk.start + Math.max(hunk.oldLines.length, 1) - 1))).range.end;
    editor.setDecorations(types.hint, [{ range: new vscode.Range(last, last), renderOptions: { after: { contentText: 'Tab accept · Esc dismiss' } } }]);
  };

  const docLines = (doc: vscode.TextDocument): string[] => {
    const out: string[] = [];
    for (let i = 0; i < doc.lineCount; i++) out.push(doc.lineAt(i).text);
    return out;
  };

  /** Shows hunk `index` of `hunks` in `editor`, as a hint when it is far or off screen. */
  const show = (editor: vscode.TextEditor, hunks: LineChange[], preferred?: number) => {
    const lines = docLines(editor.document);
    const fitting = hunks.filter((h) => hunkFits(lines, h));
    if (fitting.length === 0) return clear();
    const cursor = editor.selection.active.line;
    const index = preferred !== undefined && preferred < fitting.length ? preferred : firstHunk(fitting, cursor);
    const visible = editor.visibleRanges.map((r) => ({ start: r.start.line, end: r.end.line }));
    const mode = needsJump(fitting[index], cursor, visible) ? 'hint' : 'diff';
    if (shown && shown.editor !== editor) clearDecorations(shown.editor);
    shown = { editor, docKey: editor.document.uri.toString(), version: editor.document.version, hunks: fitting, index, mode };
    render();
    setVisible(true);
    log.trace(`[nextEdit] showing hunk at line ${fitting[index].start + 1} (${mode}), ${fitting.length} hunk(s)`);
  };

  const onOutcome = (outcome: NextEditOutcome) => {
    if (outcome.kind === 'dropped') {
      log.debug(`[nextEdit] no suggestion (${outcome.reason})`);
      return;
    }
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.toString() !== outcome.docKey) return;
    if (editor.document.version !== outcome.version) {
      log.debug('[nextEdit] the document changed while the model answered: dropped');
      return;
    }
    log.info(`[nextEdit] proposal with ${outcome.proposal.hunks.length} hunk(s) (${outcome.via})`);
    show(editor, outcome.proposal.hunks);
  };

  const track = (doc: vscode.TextDocument) => {
    if (!eligible(doc)) return;
    const path = relativePath(doc.uri);
    if (!engine.history.isTracked(path)) engine.track(path, doc.getText());
  };
  for (const editor of vscode.window.visibleTextEditors) track(editor.document);

  const snapshot = (doc: vscode.TextDocument) => () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document !== doc || !eligible(doc)) return undefined;
    const active = editor.selection.active;
    return { path: relativePath(doc.uri), languageId: doc.languageId, version: doc.version, cursor: { line: active.line, character: active.character } };
  };

  subscriptions.push(
    vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => track(e.document))),
    vscode.window.onDidChangeActiveTextEditor(() => {
      if (shown && vscode.window.activeTextEditor !== shown.editor) clear();
    }),
    vscode.window.onDidChangeTextEditorSelection((event) => {
      if (shown && event.textEditor === shown.editor && shown.mode === 'hint') render();
    }),
    vscode.workspace.onDidChangeTextDocument((event) => {
      const doc = event.document;
      if (event.contentChanges.length === 0 || !eligible(doc)) return;
      const path = relativePath(doc.uri);
      if (!engine.history.isTracked(path)) return track(doc);
      const ours = applying;
      const changes: TextChange[] = event.contentChanges.map((c) => ({
        startLine: c.range.start.line,
        startCharacter: c.range.start.character,
        endLine: c.range.end.line,
        endCharacter: c.range.end.character,
        text: c.text,
      }));
      // Typing anywhere else dismisses what is shown; Undo and Redo ask for nothing new.
      const undoRedo = event.reason === vscode.TextDocumentChangeReason.Undo || event.reason === vscode.TextDocumentChangeReason.Redo;
      if (!ours && shown && shown.docKey === doc.uri.toString()) clear();
      const s = settings();
      const requestAfter = !undoRedo && (!ours || !shown);
      engine.edit(doc.uri.toString(), path, changes, { user: requestAfter, settings: s, snapshot: snapshot(doc) });
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      if (shown && shown.docKey === doc.uri.toString()) clear();
      engine.forget(doc.uri.toString(), relativePath(doc.uri));
    }),
    vscode.workspace.onDidRenameFiles((event) => {
      for (const { oldUri, newUri } of event.files) engine.history.rename(relativePath(oldUri), relativePath(newUri));
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SECTION)) {
        engine.clearCache();
        renderStatus();
        if (!settings().enabled) clear();
      }
    }),
  );

  // ---- Tab, Escape, toggle
  const accept = async () => {
    const current = shown;
    if (!current || vscode.window.activeTextEditor !== current.editor) return clear();
    const { editor, hunks, index } = current;
    const hunk = hunks[index];
    const lines = docLines(editor.document);
    if (!hunkFits(lines, hunk)) return clear();
    const edit = hunkEdit(lines, hunk);
    const start = new vscode.Position(edit.start.line, edit.start.character);
    if (current.mode === 'hint') {
      // The first Tab only goes there: the cursor never moves by itself.
      editor.selection = new vscode.Selection(start, start);
      editor.revealRange(new vscode.Range(start, start), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      current.mode = 'diff';
      render();
      return;
    }
    const range = new vscode.Range(start, new vscode.Position(edit.end.line, edit.end.character));
    const eol = editor.document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    const text = edit.text.replace(/\n/g, eol);
    const rest = remainingHunks(hunks, index);
    clearDecorations(editor);
    // The remaining hunks stay shown through our own edit; typing would clear them.
    shown = rest.length > 0 ? { ...current, hunks: rest } : undefined;
    applying = true;
    let ok = false;
    try {
      ok = await editor.edit((b) => b.replace(range, text), { undoStopBefore: true, undoStopAfter: true });
    } finally {
      applying = false;
    }
    if (!ok) return clear();
    const endOffset = editor.document.offsetAt(start) + text.length;
    const end = editor.document.positionAt(endOffset);
    editor.selection = new vscode.Selection(end, end);
    log.info(`[nextEdit] accepted the edit at line ${hunk.start + 1}`);
    if (rest.length > 0) show(editor, rest);
    else clear();
  };

  const dismiss = () => {
    if (shown) engine.cancel(shown.docKey);
    clear();
  };

  const item = vscode.window.createStatusBarItem(StatusItems.nextEdit, vscode.StatusBarAlignment.Right, 98);
  item.name = 'Redline Next Edit';
  item.command = Commands.nextEditToggle;
  const renderStatus = () => {
    const on = settings().enabled;
    item.text = on ? '$(arrow-right) Next Edit' : '$(circle-slash) Next Edit';
    item.tooltip = on
      ? 'Redline next edit suggestions are on (one request per pause after an edit). Click to turn them off.'
      : 'Redline next edit suggestions are off. Click to turn them on (one request per pause after an edit).';
    item.show();
  };
  renderStatus();

  subscriptions.push(
    item,
    vscode.commands.registerCommand(Commands.nextEditAccept, accept),
    vscode.commands.registerCommand(Commands.nextEditDismiss, dismiss),
    vscode.commands.registerCommand(Commands.nextEditToggle, async () => {
      const on = settings().enabled;
      await vscode.workspace.getConfiguration(SECTION).update(Settings.nextEditEnabled, !on, vscode.ConfigurationTarget.Global);
      renderStatus();
      if (on) dismiss();
    }),
    { dispose: () => clear() },
  );
  return vscode.Disposable.from(...subscriptions.reverse());
}
