/**
 * The context sources of inline suggestions, built from plain callbacks so that the editor, the
 * benchmark and the retrieval eval all assemble the same context. Each has its own time limit.
 */
import type { ContextSource } from '../context/gather';
import type { DefinitionSnippet } from '../context/definitions';
import { importedPaths } from '../context/imports';
import { type SymbolOptions, symbolSnippets } from '../context/symbols';
import type { OpenDocument, OpenEditorSnippets, RecentEdits, RetrievalQuery, Snippet } from '../context/snippets';
import { type WorkspaceIndex, languageFamily } from '../context/workspaceIndex';

/** Time limits (ms) per source. Definitions ask a language server; the others are in-memory lookups. */
export const SOURCE_LIMITS = { definitions: 75, symbols: 15, recentEdits: 15, openEditors: 15, workspace: 15 } as const;

/** Priority (survives the budget) and order (place in the prompt) of each source's snippets. */
export const SOURCE_RANKS = {
  definitions: { priority: 5, order: 5 },
  symbols: { priority: 4, order: 4 },
  recentEdits: { priority: 3, order: 3 },
  openEditors: { priority: 2, order: 2 },
  workspace: { priority: 1, order: 1 },
} as const;

export function definitionsSource(lookup: (query: RetrievalQuery, signal: AbortSignal) => Promise<DefinitionSnippet[]>, timeLimitMs: number = SOURCE_LIMITS.definitions): ContextSource {
  return {
    name: 'definitions',
    timeLimitMs,
    ...SOURCE_RANKS.definitions,
    fetch: async (query, signal) => (await lookup(query, signal)).map((d) => ({ path: d.path, text: d.text, startLine: d.startLine, endLine: d.endLine, symbol: d.symbol })),
  };
}

export function recentEditsSource(
  edits: RecentEdits,
  readLines: (path: string, start: number, end: number) => { text: string; start: number; end: number } | undefined,
  timeLimitMs: number = SOURCE_LIMITS.recentEdits,
): ContextSource {
  return { name: 'recentEdits', timeLimitMs, ...SOURCE_RANKS.recentEdits, fetch: (query) => edits.snippets(query, readLines, { k: 2 }) };
}

export function openEditorsSource(ranker: OpenEditorSnippets, documents: () => readonly OpenDocument[], timeLimitMs: number = SOURCE_LIMITS.openEditors): ContextSource {
  return {
    name: 'openEditors',
    timeLimitMs,
    ...SOURCE_RANKS.openEditors,
    fetch: (query) => ranker.rank(query, documents(), { k: 3, deadline: performance.now() + timeLimitMs }),
  };
}

/** The import-statement reader for `workspaceSource`, reading the text before the cursor. */
export function importsOf(prefix: () => string): (query: RetrievalQuery) => ReadonlySet<string> {
  return (query) => importedPaths(prefix(), query.path);
}

/**
 * The workspace index. The first fetch starts the lazy background build; until it is done the
 * source contributes what is indexed so far.
 */
export function workspaceSource(
  index: WorkspaceIndex,
  skipPaths: () => ReadonlySet<string> = () => new Set(),
  timeLimitMs: number = SOURCE_LIMITS.workspace,
  imports: (query: RetrievalQuery) => ReadonlySet<string> = () => new Set(),
): ContextSource {
  return {
    name: 'workspace',
    timeLimitMs,
    ...SOURCE_RANKS.workspace,
    fetch: (query): Snippet[] => {
      if (index.status === 'idle') void index.start();
      const skip = new Set(skipPaths());
      skip.add(query.path);
      return index.search(query.text, { k: 3, skipPaths: skip, family: languageFamily(query.path), boostPaths: imports(query), deadline: performance.now() + timeLimitMs });
    },
  };
}

/**
 * Definitions from the workspace index, without a language server (see `context/symbols.ts`): outlines
 * of the types and modules the names at the cursor stand for, of what the file imports, and of the
 * workspace's types it mentions.
 */
export function symbolsSource(
  index: WorkspaceIndex,
  options: SymbolOptions & { timeLimitMs?: number; around?: () => { prefix: string; suffix: string } } = {},
): ContextSource {
  return {
    name: 'symbols',
    timeLimitMs: options.timeLimitMs ?? SOURCE_LIMITS.workspace,
    ...SOURCE_RANKS.symbols,
    fetch: (query): Snippet[] => {
      if (index.status === 'idle') void index.start();
      return symbolSnippets(index, query.path, query.text, options.around?.(), options);
    },
  };
}
