/**
 * "retrieval" cases: the context the extension would send for a cursor between `prefix` and `suffix`
 * in `file`, with the other files of `workspace` as the workspace (indexed by the same lazily built
 * BM25 index, through the same source, budget fitting, exclusion and redaction). Scored by the share
 * of `expectIdentifiers` found in the retrieved snippets; a case passes when all are found and none
 * of `forbidIdentifiers` (e.g. from an excluded `.env`) is.
 *
 * {"kind":"retrieval","id","language","workspace":"folder, relative to the suite file","file":"path in it",
 *  "prefix","suffix","budgetTokens":N,"expectIdentifiers":[…]}   Optional: "forbidIdentifiers":[…]
 */
import * as fs from 'fs';
import * as path from 'path';
import { importsOf, symbolsSource, workspaceSource } from '../../src/core/completion/sources';
import { DEFAULT_EXCLUDE } from '../../src/core/config';
import { DEFAULT_BUDGET, gatherContext } from '../../src/core/context/gather';
import { queryText } from '../../src/core/context/snippets';
import { INDEXED_EXTENSIONS, WorkspaceIndex } from '../../src/core/context/workspaceIndex';
import type { CaseResult, EvalCase, EvalContext, Evaluator } from '../types';

interface RetrievalCase extends EvalCase {
  language?: string;
  workspace: string;
  file: string;
  prefix: string;
  suffix: string;
  budgetTokens: number;
  expectIdentifiers: string[];
  forbidIdentifiers?: string[];
}

/** The files the extension's file search would offer (source extensions; `.env` too, to prove exclusion works). */
function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (INDEXED_EXTENSIONS.includes(path.extname(entry.name).slice(1)) || entry.name.startsWith('.env')) out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** Time limit of the index search in the eval (see `check`). */
const UNHURRIED_MS = 60_000;

/** One index per workspace folder, built once (as the extension builds it once per window). */
const indexes = new Map<string, Promise<WorkspaceIndex>>();

function indexFor(root: string): Promise<WorkspaceIndex> {
  let index = indexes.get(root);
  if (!index) {
    const built = new WorkspaceIndex({
      listFiles: async () => listFiles(root),
      readFile: async (p) => fs.readFileSync(path.join(root, p), 'utf8'),
      exclude: () => DEFAULT_EXCLUDE,
      yieldToLoop: () => Promise.resolve(),
    });
    index = built.start().then(() => built);
    indexes.set(root, index);
  }
  return index;
}

/**
 * True when `text` has `id` as a whole identifier: not inside a longer one. Identifier characters
 * include `$` (`RT$` is found, `RT$x` is not it), which `\b…\b` cannot express.
 */
export function containsIdentifier(text: string, id: string): boolean {
  const pattern = new RegExp(`(?<![\\w$])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w$])`);
  return pattern.test(text);
}

async function check(c: RetrievalCase, context: EvalContext): Promise<CaseResult> {
  for (const field of ['workspace', 'file', 'prefix', 'suffix'] as const) {
    if (typeof c[field] !== 'string') return { pass: false, actual: null, detail: `the case has no "${field}" string` };
  }
  if (!Array.isArray(c.expectIdentifiers) || c.expectIdentifiers.length === 0) return { pass: false, actual: null, detail: 'the case has no "expectIdentifiers"' };
  const root = path.resolve(context.suiteDir, c.workspace);
  const index = await indexFor(root);
  const gathered = await gatherContext(
    { path: c.file, languageId: c.language ?? 'plaintext', prefix: c.prefix, suffix: c.suffix, query: queryText(c.prefix, c.suffix) },
    // The index-backed sources the extension uses (no language server and no open editors here). The
    // index search gets no deadline: the eval measures what is found, `npm run bench` how fast, and a
    // loaded machine must not change the figures.
    [symbolsSource(index, { around: () => ({ prefix: c.prefix, suffix: c.suffix }) }), workspaceSource(index, undefined, UNHURRIED_MS, importsOf(() => c.prefix))],
    { budget: { ...DEFAULT_BUDGET, totalTokens: c.budgetTokens ?? 1024 }, exclude: DEFAULT_EXCLUDE },
  );
  const retrieved = gathered.snippets.map((s) => s.text).join('\n');
  const has = (id: string) => containsIdentifier(retrieved, id);
  const found = c.expectIdentifiers.filter(has);
  const missing = c.expectIdentifiers.filter((id) => !has(id));
  const leaked = (c.forbidIdentifiers ?? []).filter((id) => has(id) || gathered.prefix.includes(id));
  const share = Math.round((found.length / c.expectIdentifiers.length) * 1000) / 1000;
  const actual = { share, found, missing, leaked, snippets: gathered.snippets.map((s) => `${s.path}:${s.startLine}`), tokens: gathered.tokens };
  const scores = { share };
  if (missing.length === 0 && leaked.length === 0) return { pass: true, actual, scores };
  return {
    pass: false,
    actual,
    scores,
    detail: `share ${share}${missing.length ? `, missing ${missing.join(', ')}` : ''}${leaked.length ? `, leaked ${leaked.join(', ')}` : ''} (snippets: ${actual.snippets.join(', ') || 'none'})`,
  };
}

export const retrievalEvaluator: Evaluator = {
  evaluate: (testCase, context) => check(testCase as RetrievalCase, context),
};
