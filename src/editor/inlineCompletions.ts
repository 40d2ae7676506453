import * as vscode from 'vscode';
import { CompletionEngine, type EngineSettings } from '../core/completion/engine';
import { symbolsNearCursor } from '../core/completion/position';
import {
  SNOOZE_MS,
  isLanguageEnabled,
  readCompletionSettings,
  suggestionsOff,
} from '../core/completion/settings';
import { SOURCE_LIMITS, definitionsSource, importsOf, openEditorsSource, recentEditsSource, symbolsSource, workspaceSource } from '../core/completion/sources';
import { type DefinitionSnippet, declarationBlock } from '../core/context/definitions';
import type { ContextSource } from '../core/context/gather';
import { OpenEditorSnippets, type OpenDocument, RecentEdits } from '../core/context/snippets';
import { INDEX_GLOB, INDEX_SKIP, WorkspaceIndex } from '../core/context/workspaceIndex';
import { abortSignalFrom } from '../core/model/cancel';
import type { Services } from './services';
import { Commands, SECTION, Settings, StatusItems, StorageKeys } from '../core/names';
import { DisposableStore } from '../core/lifecycle';
import { read } from './settings';

/**
 * Inline suggestions (ghost text) through VS Code's stable InlineCompletionItemProvider. Thin: it
 * gathers plain data (text around the cursor, open documents, recent edits, definitions) and asks the
 * core engine, which decides whether to send a request and cleans the reply. Tab accepts, word-by-word
 * accept (Ctrl+→) and Escape are VS Code's own.
 */

const SNOOZE_KEY = StorageKeys.completionSnoozedUntil;
/** Documents worth suggesting in: real files, untitled buffers, notebook cells, remote files. */
const SCHEMES = new Set(['file', 'untitled', 'vscode-notebook-cell', 'vscode-remote', 'vscode-vfs']);

function readEngineSettings(services: Services): EngineSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const shared = services.settings();
  return { ...readCompletionSettings((key) => read<unknown>(config, key, undefined)), chatModel: shared.chat.model, exclude: shared.exclude };
}

function relativePath(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri, false) : uri.path;
}

export function registerInlineCompletions(services: Services): vscode.Disposable {
  const log = services.log;
  // Everything registered here, the lazily created watcher and index included, is disposed with it.
  const owned = new DisposableStore();
  const engine = new CompletionEngine({
    client: () => services.modelClient('completion'),
    log,
    busy: (feature) => services.status.busy(feature),
  });
  owned.add(engine);

  const snoozedUntil = () => services.context.globalState.get<number>(SNOOZE_KEY);

  // ---- context sources (all lazy: nothing is read or indexed until the first suggestion is asked for)
  const recent = new RecentEdits();
  const ranker = new OpenEditorSnippets();
  const indexUris = new Map<string, vscode.Uri>();
  let index: WorkspaceIndex | undefined;
  const workspaceIndex = (): WorkspaceIndex => {
    if (index) return index;
    index = new WorkspaceIndex({
      log,
      exclude: () => services.settings().exclude,
      listFiles: async () => {
        const uris = await vscode.workspace.findFiles(INDEX_GLOB, `{${INDEX_SKIP.join(',')}}`, 5000);
        return uris.map((uri) => {
          const path = relativePath(uri);
          indexUris.set(path, uri);
          return path;
        });
      },
      readFile: async (path) => {
        const uri = indexUris.get(path);
        if (!uri) return undefined;
        const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        return open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      },
    });
    // Kept current as files change on disk (saves included).
    const watcher = vscode.workspace.createFileSystemWatcher(INDEX_GLOB);
    const reindex = async (uri: vscode.Uri) => {
      const path = relativePath(uri);
      if (/(^|\/)(node_modules|\.git|dist|out|build|target)\//.test(path)) return;
      indexUris.set(path, uri);
      try {
        index?.upsert(path, new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
      } catch {
        index?.remove(path);
      }
    };
    watcher.onDidChange((uri) => void reindex(uri));
    watcher.onDidCreate((uri) => void reindex(uri));
    watcher.onDidDelete((uri) => {
      index?.remove(relativePath(uri));
      recent.rename(relativePath(uri), undefined);
    });
    owned.addAll(watcher, { dispose: () => index?.dispose() });
    return index;
  };

  const openDocuments = (): OpenDocument[] => {
    const seen = new Set<string>();
    const out: OpenDocument[] = [];
    const add = (doc: vscode.TextDocument) => {
      const key = doc.uri.toString();
      if (seen.has(key) || !SCHEMES.has(doc.uri.scheme) || services.isExcluded(doc.uri)) return;
      seen.add(key);
      out.push({ path: relativePath(doc.uri), languageId: doc.languageId, version: doc.version, getText: () => doc.getText() });
    };
    for (const editor of vscode.window.visibleTextEditors) add(editor.document);
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        if (!(tab.input instanceof vscode.TabInputText)) continue;
        const uri = tab.input.uri.toString();
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
        if (doc) add(doc);
      }
    }
    return out.slice(0, 20);
  };

  const readLines = (path: string, start: number, end: number) => {
    const doc = vscode.workspace.textDocuments.find((d) => relativePath(d.uri) === path);
    if (!doc || services.isExcluded(doc.uri)) return undefined;
    const last = Math.min(end, doc.lineCount);
    if (start >= last) return undefined;
    return { text: doc.getText(new vscode.Range(start, 0, last - 1, doc.lineAt(last - 1).text.length)), start, end: last };
  };

  const definitions = (document: vscode.TextDocument, position: vscode.Position, prefix: string, suffix: string) =>
    definitionsSource(async (_query, signal) => {
      const cursorOffset = document.offsetAt(position);
      const symbols = symbolsNearCursor(prefix.slice(-4000), suffix, 3);
      const base = cursorOffset - Math.min(prefix.length, 4000);
      const found = await Promise.all(
        symbols.map(async (symbol): Promise<DefinitionSnippet | undefined> => {
          if (signal.aborted) return undefined;
          const at = document.positionAt(base + symbol.offset + 1);
          const locations = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', document.uri, at);
          const first = locations?.[0];
          if (!first || signal.aborted) return undefined;
          const uri = 'targetUri' in first ? first.targetUri : first.uri;
          const range = 'targetUri' in first ? (first.targetSelectionRange ?? first.targetRange) : first.range;
          if (services.isExcluded(uri)) return undefined;
          // a definition right next to the cursor is in the prompt already
          if (uri.toString() === document.uri.toString() && Math.abs(range.start.line - position.line) < 40) return undefined;
          const target = await vscode.workspace.openTextDocument(uri);
          const lines = target.getText().split(/\r?\n/);
          const block = declarationBlock(lines, range.start.line);
          return { path: relativePath(uri), symbol: symbol.name, ...block };
        }),
      );
      return found.filter((d): d is DefinitionSnippet => d !== undefined);
    });

  owned.addAll(
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (!SCHEMES.has(event.document.uri.scheme) || event.contentChanges.length === 0) return;
      const change = event.contentChanges[0];
      recent.record(relativePath(event.document.uri), change.range.start.line, Date.now());
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => engine.forget(doc.uri.toString())),
    vscode.workspace.onDidRenameFiles((event) => {
      for (const { oldUri, newUri } of event.files) {
        recent.rename(relativePath(oldUri), relativePath(newUri));
        index?.rename(relativePath(oldUri), relativePath(newUri));
      }
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SECTION)) {
        engine.clearCache();
        renderStatus();
      }
    }),
  );

  // ---- the provider
  const provider: vscode.InlineCompletionItemProvider = {
    async provideInlineCompletionItems(document, position, context, token) {
      if (!SCHEMES.has(document.uri.scheme)) return undefined;
      // While the suggest widget is open its selection wins; do not fight it.
      if (context.selectedCompletionInfo) return undefined;
      const settings = readEngineSettings(services);
      const off = suggestionsOff(settings, document.languageId, { now: Date.now(), snoozedUntil: snoozedUntil(), excluded: services.isExcluded(document.uri) });
      if (off) {
        log.trace(`[completion] ${relativePath(document.uri)}: suggestions off (${off}), nothing sent`);
        return undefined;
      }
      const text = document.getText();
      const offset = document.offsetAt(position);
      const prefix = text.slice(0, offset);
      const suffix = text.slice(offset);
      const sources: ContextSource[] = [
        definitions(document, position, prefix, suffix),
        recentEditsSource(recent, readLines),
        openEditorsSource(ranker, openDocuments),
        symbolsSource(workspaceIndex(), { around: () => ({ prefix, suffix }) }),
        workspaceSource(workspaceIndex(), () => new Set(openDocuments().map((d) => d.path)), SOURCE_LIMITS.workspace, importsOf(() => prefix)),
      ];
      const { signal, dispose } = abortSignalFrom(token);
      try {
        const outcome = await engine.provide(
          {
            docKey: document.uri.toString(),
            path: relativePath(document.uri),
            languageId: document.languageId,
            prefix,
            suffix,
            line: position.line,
            indent: indentOf(document),
            sources,
          },
          settings,
          signal,
        );
        log.trace(`[completion] ${relativePath(document.uri)}:${position.line + 1}:${position.character + 1} ${outcome.via}${outcome.reason ? ` (${outcome.reason})` : ''} ${outcome.text.length} chars`);
        if (outcome.via === 'cache') services.usage.cacheHit('completion', settings.model || settings.chatModel);
        if (!outcome.text || token.isCancellationRequested) return undefined;
        return [new vscode.InlineCompletionItem(outcome.text, new vscode.Range(position, position))];
      } finally {
        dispose();
      }
    },
  };
  owned.add(vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, provider));

  // ---- commands and the status bar toggle
  const item = vscode.window.createStatusBarItem(StatusItems.completion, vscode.StatusBarAlignment.Right, 99);
  item.name = 'Redline Inline Suggestions';
  item.command = Commands.completionToggle;
  let snoozeTimer: ReturnType<typeof setTimeout> | undefined;
  const renderStatus = () => {
    const settings = readEngineSettings(services);
    const until = snoozedUntil();
    const languageId = vscode.window.activeTextEditor?.document.languageId;
    if (!settings.enabled) {
      item.text = '$(circle-slash) Suggest';
      item.tooltip = 'Redline inline suggestions are off. Click to turn them on.';
    } else if (until !== undefined && until > Date.now()) {
      const minutes = Math.ceil((until - Date.now()) / 60000);
      item.text = `$(clock) Suggest ${minutes}m`;
      item.tooltip = `Redline inline suggestions are snoozed for ${minutes} more minute(s). Click to resume.`;
      if (snoozeTimer) clearTimeout(snoozeTimer);
      snoozeTimer = setTimeout(renderStatus, Math.min(60000, until - Date.now() + 50));
    } else if (languageId && !isLanguageEnabled(settings, languageId)) {
      item.text = '$(circle-slash) Suggest';
      item.tooltip = `Redline inline suggestions are off for ${languageId} (redline.completion.languages).`;
    } else {
      item.text = '$(sparkle) Suggest';
      item.tooltip = 'Redline inline suggestions are on. Click to turn them off.';
    }
    item.show();
  };
  renderStatus();
  owned.addAll(
    item,
    { dispose: () => snoozeTimer && clearTimeout(snoozeTimer) },
    vscode.window.onDidChangeActiveTextEditor(() => renderStatus()),
    vscode.commands.registerCommand(Commands.completionToggle, async () => {
      const until = snoozedUntil();
      if (until !== undefined && until > Date.now()) {
        await services.context.globalState.update(SNOOZE_KEY, undefined);
      } else {
        const enabled = readEngineSettings(services).enabled;
        await vscode.workspace.getConfiguration(SECTION).update(Settings.completionEnabled, !enabled, vscode.ConfigurationTarget.Global);
      }
      renderStatus();
    }),
    vscode.commands.registerCommand(Commands.completionSnooze, async () => {
      await services.context.globalState.update(SNOOZE_KEY, Date.now() + SNOOZE_MS);
      renderStatus();
      void vscode.window.showInformationMessage('Redline inline suggestions are snoozed for 30 minutes.');
    }),
  );

  return owned;
}

function indentOf(document: vscode.TextDocument): { insertSpaces: boolean; tabSize: number } | undefined {
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
  if (!editor) return undefined;
  const { insertSpaces, tabSize } = editor.options;
  return { insertSpaces: insertSpaces !== false, tabSize: typeof tabSize === 'number' ? tabSize : 4 };
}
