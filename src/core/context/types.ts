/**
 * What the names near the cursor are, read from the current file's text without a language server:
 * the declared type of a variable, field or parameter (`Request request`, `request: Request`,
 * `request = Request(…)`, `var r = new Request(…)`), or the module an alias stands for
 * (`import numpy as np`, `from . import animations as anims`). Retrieval looks these up: the members
 * of the type of the thing before the cursor's `.` are what a completion there needs.
 */

/** Most characters of the file read around the cursor (a huge file is not scanned per keystroke). */
const READ_BEFORE = 16_000;
const READ_AFTER = 8_000;
const READ_HEAD = 4_000;

export interface NameMeaning {
  /** A type (class, struct, interface…) by its simple name. */
  type?: string;
  /** A module, as written in its import (`pkg.mod`, `.animations`). */
  module?: string;
}

function escape(name: string): string {
  return name.replace(/[$]/g, '\\$');
}

/** The part of the file worth reading: its head (imports, fields) and the code around the cursor. */
export function readableText(prefix: string, suffix: string): string {
  const head = prefix.length > READ_BEFORE + READ_HEAD ? prefix.slice(0, READ_HEAD) + '\n' : '';
  return head + prefix.slice(Math.max(0, prefix.length - READ_BEFORE)) + suffix.slice(0, READ_AFTER);
}

/**
 * What `name` is in `text`: the nearest declaration before the end of the text wins (so a local
 * variable shadows a field), and a capitalised name is a type itself.
 */
export function meaningOf(name: string, text: string): NameMeaning | undefined {
  if (/^[A-Z]/.test(name)) return { type: name };
  const n = escape(name);
  const found: { at: number; meaning: NameMeaning }[] = [];
  const add = (re: RegExp, meaning: (m: RegExpExecArray) => NameMeaning | undefined) => {
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const value = meaning(m);
      if (value) found.push({ at: m.index, meaning: value });
    }
  };
  // `import a.b as name`, `from a import b as name`, `from . import name`
  add(new RegExp(`^\\s*import\\s+([\\w.]+)\\s+as\\s+${n}\\b`, 'gm'), (m) => ({ module: m[1] }));
  add(new RegExp(`^\\s*from\\s+([\\w.]+)\\s+import\\s+(?:[\\w\\s,]*,\\s*)?(?:(\\w+)\\s+as\\s+)?${n}\\b`, 'gm'), (m) => ({ module: `${m[1]}${m[1].endsWith('.') ? '' : '.'}${m[2] ?? name}` }));
  // `Type name =`, `Type<A> name;`, `Type[] name)` (typed declarations and parameters)
  add(new RegExp(`\\b([A-Z][\\w$]*)(?:<[^;=(){}\\n]{0,80}>)?(?:\\[\\])*\\??[ \\t]+${n}[ \\t]*[=;,)]`, 'g'), (m) => ({ type: m[1] }));
  // `name: Type`, `self.name: Type`
  add(new RegExp(`\\b${n}\\s*:\\s*(?:[\\w.]+\\.)?([A-Z][\\w$]*)`, 'g'), (m) => ({ type: m[1] }));
  // `name = Type(…)`, `name = new Type(…)`, `self.name = pkg.Type(…)`, `var name = await Type.create(…)`
  add(new RegExp(`\\b${n}\\s*=\\s*(?:new\\s+|await\\s+)?(?:[a-z_][\\w$]*\\.)*([A-Z][\\w$]*)\\s*[(<.{]`, 'g'), (m) => ({ type: m[1] }));
  if (found.length === 0) return undefined;
  found.sort((a, b) => b.at - a.at);
  return found[0].meaning;
}

/** The name right before the `.` the cursor follows (`self.phase_op.` → `phase_op`, `Foo().` → `Foo`). */
export function receiverAtCursor(prefix: string): string | undefined {
  const m = /([A-Za-z_$][\w$]*)\s*(?:\(\s*\))?\s*\.\s*[\w$]*$/.exec(prefix.slice(Math.max(0, prefix.length - 200)));
  return m?.[1];
}

/** Workspace-relative candidate files for a module as imported from `currentPath`. */
export function modulePaths(module: string, currentPath: string): string[] {
  const dots = /^\.*/.exec(module)![0].length;
  const rest = module.slice(dots).split('.').filter(Boolean);
  const dir = currentPath.includes('/') ? currentPath.slice(0, currentPath.lastIndexOf('/')).split('/') : [];
  const base = dots > 0 ? dir.slice(0, Math.max(0, dir.length - (dots - 1))) : [];
  const path = [...base, ...rest].join('/');
  if (!path) return [];
  return [`${path}.py`, `${path}/__init__.py`];
}
