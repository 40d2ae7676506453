/**
 * Definitions from the workspace index, without a language server: outlines (header, public members,
 * folded bodies) of what the code at the cursor uses. Candidates come in this order, nearest the cursor
 * first, until the count or character limit is reached:
 *
 * 1. the receiver of the `.` the cursor follows, then the identifiers of the lines around the cursor:
 *    what each is — the type a variable, field or parameter is declared with in the current file, the
 *    module an import alias stands for — or a type or function declared elsewhere by that name;
 * 2. the names the file imports (`import a.b.C;`, `from m import A`, `import { A } from './m'`,
 *    `using X = A.B;`) and the modules it imports (Python), which resolve to workspace files;
 * 3. the other types the file mentions that the workspace declares (same-package classes in Java,
 *    types from namespaces brought in by C# `using`), nearest mention first.
 *
 * The scan of the current file is one pass per regular expression over its readable part, whatever
 * the number of names; every lookup after that is a map access in the index.
 */
import { outlineBlock } from './definitions';
import type { Snippet } from './snippets';
import { type NameMeaning, modulePaths, readableText, receiverAtCursor } from './types';
import type { Declaration } from './workspaceIndex';

/** What the symbol lookup needs from the workspace index. */
export interface SymbolIndex {
  declarationsOf(name: string): Declaration[];
  lines(path: string, start: number, end: number): string[] | undefined;
  has(path: string): boolean;
}

export interface SymbolOptions {
  /** Most outlines offered. */
  maxSymbols?: number;
  /** Most characters of all outlines together (the budget decides the rest). */
  maxChars?: number;
  /** Lines of a type's outline when it is the receiver at the cursor / any other type. */
  receiverLines?: number;
  typeLines?: number;
}

const DEFAULTS: Required<SymbolOptions> = { maxSymbols: 8, maxChars: 4800, receiverLines: 40, typeLines: 24 };

/** Capitalised names that are never worth a lookup (the language's own vocabulary). */
const COMMON_TYPES = /^(?:Promise|Record|Array|Map|Set|String|Number|Boolean|Date|Error|Partial|Readonly|Omit|Pick|Self|None|True|False|Object|Override|Integer|Long|Double|Float|List|Optional|Exception|Override|Deprecated|TODO|FIXME)$/;

type Found = readonly { name: string; meaning: NameMeaning }[];

/** Declarations found per line, remembered: a keystroke re-reads only the line it changed. */
const MEMO_LIMIT = 20_000;
let lineMemo = new Map<string, Found>();
const NOTHING: Found = [];

/** Forgets the remembered lines (tests: each starts from an empty memo). */
export function forgetDeclarations(): void {
  lineMemo = new Map();
}

/** Lines that cannot declare anything (no `=`, `:`, `import`, and no capitalised word before a name). */
const INERT = /^[^=:A-Z]*$/;

function declarationsInLine(line: string): Found {
  if (INERT.test(line) && !/\bimport\b/.test(line)) return NOTHING;
  const hit = lineMemo.get(line);
  if (hit) return hit;
  const found: { at: number; name: string; meaning: NameMeaning }[] = [];
  const scan = (re: RegExp, add: (m: RegExpExecArray) => void) => {
    for (let m = re.exec(line); m; m = re.exec(line)) add(m);
  };
  // `import a.b as name`
  scan(/^[ \t]*import[ \t]+([\w.]+)[ \t]+as[ \t]+(\w+)/g, (m) => found.push({ at: m.index, name: m[2], meaning: { module: m[1] } }));
  // `from a import b, c as d` (a name imported from a module may itself be a module)
  scan(/^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+\(?([\w \t,]+)/g, (m) => {
    for (const item of m[2].split(',')) {
      const parts = item.trim().split(/\s+as\s+/);
      if (!/^\w+$/.test(parts[0]) || (parts[1] !== undefined && !/^\w+$/.test(parts[1]))) continue;
      found.push({ at: m.index, name: parts[1] ?? parts[0], meaning: { module: `${m[1]}${m[1].endsWith('.') ? '' : '.'}${parts[0]}` } });
    }
  });
  // `Type name =`, `Type<A> name;`, `Type[] name)` (typed declarations and parameters)
  scan(/\b([A-Z][\w$]*)(?:<[^;=(){}\n]{0,80}>)?(?:\[\])*\??[ \t]+([A-Za-z_$][\w$]*)[ \t]*[=;,)]/g, (m) => found.push({ at: m.index, name: m[2], meaning: { type: m[1] } }));
  // `name: Type`, `self.name: Type`
  scan(/(?<![\w$])([A-Za-z_$][\w$]*)[ \t]*:[ \t]*(?:[\w.]+\.)?([A-Z][\w$]*)/g, (m) => found.push({ at: m.index, name: m[1], meaning: { type: m[2] } }));
  // `name = Type(…)`, `name = new Type(…)`, `self.name = pkg.Type(…)`, `var name = await Type.create(…)`
  scan(/(?<![\w$])([A-Za-z_$][\w$]*)[ \t]*=[ \t]*(?:new[ \t]+|await[ \t]+)?(?:[a-z_][\w$]*\.)*([A-Z][\w$]*)[ \t]*[(<.{]/g, (m) => found.push({ at: m.index, name: m[1], meaning: { type: m[2] } }));
  found.sort((x, y) => x.at - y.at);
  const result: Found = found.length ? found.map(({ name, meaning }) => ({ name, meaning })) : NOTHING;
  if (lineMemo.size >= MEMO_LIMIT) lineMemo = new Map();
  lineMemo.set(line, result);
  return result;
}

/**
 * What the names in `text` are, from their declarations in it (read line by line, each line's
 * findings remembered): for a name declared more than once the declaration furthest into the text
 * wins (the nearest before the cursor when `text` ends there; a local variable shadows a field).
 */
export function declaredMeanings(text: string): Map<string, NameMeaning> {
  const out = new Map<string, NameMeaning>();
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end);
    for (const f of declarationsInLine(line)) out.set(f.name, f.meaning);
    if (end < 0) break;
    start = end + 1;
  }
  return out;
}

/**
 * The names a file imports, in the order written: simple names of imported classes and members
 * (`import a.b.C;` → `C`, `import static a.b.C.m;` → `C`, `from m import A, B` → `A`, `B`,
 * `import { A, B as C } from './m'` → `A`, `B`, `using X = A.B.C;` → `C`). Wildcards name nothing.
 */
export function importedNames(text: string): string[] {
  const out: string[] = [];
  const add = (name: string | undefined) => {
    if (name && /^[A-Za-z_$][\w$]*$/.test(name) && !out.includes(name)) out.push(name);
  };
  // Java, Kotlin, Scala, Groovy: the last capitalised segment is the class (a static import's class too).
  for (const m of text.matchAll(/^[ \t]*import[ \t]+(?:static[ \t]+)?([\w.]+)(?:\.\*)?[ \t]*;?[ \t]*$/gm)) {
    if (!m[1].includes('.')) continue;
    const segments = m[1].split('.');
    add([...segments].reverse().find((s) => /^[A-Z]/.test(s)));
  }
  // Python: `from m import A, B as C`
  for (const m of text.matchAll(/^[ \t]*from[ \t]+[\w.]+[ \t]+import[ \t]+\(?([\w \t,]+)/gm)) for (const item of m[1].split(',')) add(item.trim().split(/\s+/)[0]);
  // ES: `import { A, B as C } from '…'`, `import D from '…'`
  for (const m of text.matchAll(/^[ \t]*import[ \t]+(?:type[ \t]+)?(?:(\w+)[ \t]*,?[ \t]*)?(?:\{([^}]*)\})?[ \t]*from[ \t]+['"]/gm)) {
    add(m[1]);
    for (const item of (m[2] ?? '').split(',')) add(item.trim().replace(/^type\s+/, '').split(/\s+/)[0]);
  }
  // C#: `using X = A.B.C;`
  for (const m of text.matchAll(/^[ \t]*using[ \t]+(?:static[ \t]+)?(?:\w+[ \t]*=[ \t]*)?[\w.]*?\.?([A-Z]\w*)[ \t]*;/gm)) if (/=/.test(m[0]) || /static/.test(m[0])) add(m[1]);
  return out;
}

/** Modules a Python file imports by name (`import a.b`, `from . import m` is handled as a name). */
function importedModules(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^[ \t]*import[ \t]+([A-Za-z_][\w.]*)[ \t]*$/gm)) if (!out.includes(m[1])) out.push(m[1]);
  return out;
}

/** Identifiers of `text`, nearest the end (the cursor) first, each once. */
export function nearbyIdentifiers(text: string, minLength = 3): string[] {
  const all = text.match(/[A-Za-z_$][A-Za-z0-9_$]*/g) ?? [];
  const out: string[] = [];
  const seen = new Set<string>();
  for (let i = all.length - 1; i >= 0; i--) {
    const n = all[i];
    if (n.length < minLength || seen.has(n)) continue;
    seen.add(n);
    out.push(n);
  }
  return out;
}

/**
 * Capitalised names (`Foo`, `FooBar`; not `FOO`) mentioned in `text`, nearest `cursorAt` first: those
 * before it from the nearest back, then those after it.
 */
export function mentionedTypes(text: string, cursorAt: number): string[] {
  const before: string[] = [];
  const after: string[] = [];
  for (const m of text.matchAll(/(?<![\w$])[A-Z][a-z][\w$]*/g)) (m.index < cursorAt ? before : after).push(m[0]);
  return [...new Set([...before.reverse(), ...after])];
}

/** Capitalised identifiers in a signature (parameter and return types) worth one more lookup. */
export function typeNames(text: string): string[] {
  return [...new Set(text.match(/\b[A-Z][A-Za-z0-9_]*\b/g) ?? [])].filter((n) => n.length > 2 && !COMMON_TYPES.test(n));
}

/**
 * Outlines of what the code at the cursor uses (see the file comment). `query` is the text around the
 * cursor; `around` the whole text before and after it, when known (without it only names declared
 * elsewhere by the same name are found).
 */
export function symbolSnippets(
  index: SymbolIndex,
  currentPath: string,
  query: string,
  around: { prefix: string; suffix: string } | undefined,
  options: SymbolOptions = {},
): Snippet[] {
  const o = { ...DEFAULTS, ...options };
  const out: Snippet[] = [];
  const seen = new Set<string>();
  const places = new Set<string>();
  let chars = 0;
  const full = () => out.length >= o.maxSymbols || chars >= o.maxChars;
  const push = (snippet: Snippet) => {
    const place = `${snippet.path}:${snippet.startLine}`;
    if (places.has(place) || snippet.text.trim() === '') return;
    places.add(place);
    out.push(snippet);
    chars += snippet.text.length;
  };

  const outline = (decl: Declaration, name: string, lines: number): Snippet | undefined => {
    const from = Math.max(0, decl.line - 1);
    const read = index.lines(decl.path, from, decl.line + 160);
    if (!read) return undefined;
    const offset = decl.line - from;
    const block = outlineBlock(read, offset, lines, { membersOnly: true });
    return { path: decl.path, text: block.text, startLine: from + block.startLine, endLine: from + block.endLine, symbol: name };
  };
  const visit = (name: string, lines: number, depth = 0) => {
    if (full() || seen.has(name) || COMMON_TYPES.test(name)) return;
    seen.add(name);
    const decl = index.declarationsOf(name).find((d) => d.path !== currentPath);
    if (!decl) return;
    const snippet = outline(decl, name, lines);
    if (!snippet) return;
    push(snippet);
    const header = snippet.text.split('\n').find((l) => l.includes(name)) ?? '';
    if (/^(?:class|interface|struct|record|trait|object)$/.test(decl.kind)) {
      // A type's members include its bases' (`class A(B, C):`, `extends B implements C`, `: B`), a few levels up.
      if (depth < 3) for (const base of typeNames(header.slice(header.indexOf(name) + name.length))) visit(base, lines, depth + 1);
    } else if (depth === 0) {
      // The types a function's signature mentions, one level deep.
      for (const type of typeNames(snippet.text.split('\n').slice(0, 3).join(' '))) visit(type, o.typeLines, 1);
    }
  };
  const visitModule = (module: string) => {
    const key = `module:${module}`;
    if (full() || seen.has(key)) return;
    seen.add(key);
    const path = modulePaths(module, currentPath).find((p) => p !== currentPath && index.has(p));
    if (!path) return;
    const lines = index.lines(path, 0, 4000) ?? [];
    const defs: number[] = [];
    for (let i = 0; i < lines.length && defs.length < 40; i++) if (/^(?:async\s+)?(?:def|class)\s+[A-Za-z]/.test(lines[i])) defs.push(i);
    if (defs.length === 0) return;
    push({ path, text: defs.map((i) => lines[i].trimEnd()).join('\n'), startLine: defs[0], endLine: defs[defs.length - 1] + 1, symbol: module });
  };
  const resolve = (name: string, meanings: Map<string, NameMeaning>, lines: number) => {
    const meaning = /^[A-Z]/.test(name) ? undefined : meanings.get(name);
    if (meaning?.module) visitModule(meaning.module);
    else if (meaning?.type) visit(meaning.type, lines);
    visit(name, lines);
  };

  const text = around ? readableText(around.prefix, around.suffix) : '';
  const meanings = text ? declaredMeanings(text) : new Map<string, NameMeaning>();
  const receiver = around ? receiverAtCursor(around.prefix) : undefined;
  if (receiver) resolve(receiver, meanings, o.receiverLines);
  for (const name of nearbyIdentifiers(query)) {
    if (full()) break;
    resolve(name, meanings, o.typeLines);
  }
  if (!text) return out;
  for (const name of importedNames(text)) {
    if (full()) break;
    resolve(name, meanings, o.typeLines);
  }
  for (const module of importedModules(text)) {
    if (full()) break;
    visitModule(module);
  }
  // Types the file mentions, nearest the cursor first: the prefix's end, then the suffix's start.
  const cursorAt = Math.max(0, text.length - Math.min(around!.suffix.length, 8_000));
  for (const name of mentionedTypes(text, cursorAt)) {
    if (full()) break;
    visit(name, o.typeLines);
  }
  return out;
}
