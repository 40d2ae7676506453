/**
 * The context sources of inline suggestions, built from plain callbacks so that the editor, the
 * benchmark and the retrieval eval all assemble the same context. Each has its own time limit.
 */
import type { ContextSource } from '../context/gather';
import { type DefinitionSnippet, outlineBlock } from '../context/definitions';
import { importedPaths } from '../context/imports';
import { meaningOf, modulePaths, readableText, receiverAtCursor } from '../context/types';
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

/** Capitalised identifiers in a signature (parameter and return types) worth one more lookup. */
function typeNames(text: string): string[] {
  return [...new Set(text.match(/\b[A-Z][A-Za-z0-9_]*\b/g) ?? [])].filter((n) => n.length > 2 && !/^(?:Promise|Record|Array|Map|Set|String|Number|Boolean|Date|Error|Partial|Readonly|Omit|Pick|Self|None|True|False)$/.test(n));
}

/**
 * Definitions from the workspace index, without a language server: for the names near the cursor
 * (the receiver of the `.` the cursor follows first), what each is — the type a variable, field or
 * parameter is declared with in the current file, the module an import alias stands for, or a type
 * or function declared elsewhere by that name — as outlines (header, public members, folded bodies),
 * plus the types their signatures mention, one level deep.
 */
export function symbolsSource(
  index: WorkspaceIndex,
  options: { maxSymbols?: number; timeLimitMs?: number; around?: () => { prefix: string; suffix: string } } = {},
): ContextSource {
  const maxSymbols = options.maxSymbols ?? 4;
  return {
    name: 'symbols',
    timeLimitMs: options.timeLimitMs ?? SOURCE_LIMITS.workspace,
    ...SOURCE_RANKS.symbols,
    fetch: (query): Snippet[] => {
      if (index.status === 'idle') void index.start();
      const out: Snippet[] = [];
      const seen = new Set<string>();
      const outline = (path: string, line: number, name: string, members: boolean) => {
        const lines = index.lines(path, Math.max(0, line - 1), line + 120);
        if (!lines) return undefined;
        const offset = line - Math.max(0, line - 1);
        const block = outlineBlock(lines, offset, members ? 28 : 16, { membersOnly: members });
        const start = line - offset + block.startLine;
        const snippet: Snippet = { path, text: block.text, startLine: start, endLine: line - offset + block.endLine, symbol: name };
        out.push(snippet);
        return snippet;
      };
      const visit = (name: string, depth: number, members = false) => {
        if (out.length >= maxSymbols || seen.has(name)) return;
        seen.add(name);
        const decl = index.declarationsOf(name).find((d) => d.path !== query.path);
        if (!decl) return;
        const snippet = outline(decl.path, decl.line, name, members);
        if (snippet && depth === 0) for (const type of typeNames(snippet.text.split('\n').slice(0, 3).join(' '))) visit(type, 1, members);
      };
      const visitModule = (module: string) => {
        const key = `module:${module}`;
        if (out.length >= maxSymbols || seen.has(key)) return;
        seen.add(key);
        const path = modulePaths(module, query.path).find((p) => p !== query.path && index.has(p));
        if (!path) return;
        const lines = index.lines(path, 0, 4000) ?? [];
        const defs = lines.map((l, i) => ({ l, i })).filter(({ l }) => /^(?:async\s+)?(?:def|class)\s+[A-Za-z]/.test(l));
        if (defs.length === 0) return;
        out.push({ path, text: defs.slice(0, 40).map(({ l }) => l.trimEnd()).join('\n'), startLine: defs[0].i, endLine: defs[Math.min(defs.length, 40) - 1].i + 1, symbol: module });
      };
      const around = options.around?.();
      const text = around ? readableText(around.prefix, around.suffix) : '';
      const receiver = around ? receiverAtCursor(around.prefix) : undefined;
      const names = nearbyIdentifiers(query.text);
      if (receiver) names.unshift(receiver);
      let resolved = 0;
      for (const name of names) {
        if (out.length >= maxSymbols) break;
        // What a name near the cursor is, from its declaration in this file (a few of the nearest).
        const meaning = text && resolved < 6 && !seen.has(name) ? meaningOf(name, text) : undefined;
        if (text && !/^[A-Z]/.test(name)) resolved++;
        if (meaning?.module) visitModule(meaning.module);
        else if (meaning?.type) visit(meaning.type, 0, true);
        visit(name, 0, name === receiver);
      }
      return out;
    },
  };
}

/** Identifiers of the query text, nearest the end (the cursor) first. */
function nearbyIdentifiers(text: string): string[] {
  const all = text.match(/[A-Za-z_$][A-Za-z0-9_$]*/g) ?? [];
  const out: string[] = [];
  const seen = new Set<string>();
  for (let i = all.length - 1; i >= 0; i--) {
    const n = all[i];
    if (n.length < 3 || seen.has(n)) continue;
    seen.add(n);
    out.push(n);
  }
  return out;
}
