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

/** The part of the file worth reading: its head (imports, fields) and the code around the cursor. */
export function readableText(prefix: string, suffix: string): string {
  const head = prefix.length > READ_BEFORE + READ_HEAD ? prefix.slice(0, READ_HEAD) + '\n' : '';
  return head + prefix.slice(Math.max(0, prefix.length - READ_BEFORE)) + suffix.slice(0, READ_AFTER);
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
  if (rest.length === 0 && base.length === 0) return [];
  // An absolute import is looked up from the workspace root, then from the file's folder and the
  // folders above it (scripts run from their own folder, `src/` layouts).
  const roots = dots > 0 ? [base] : [[], ...dir.map((_, i) => dir.slice(0, dir.length - i)), ['src']];
  return roots.flatMap((root) => {
    const path = [...root, ...rest].join('/');
    return [`${path}.py`, `${path}/__init__.py`];
  });
}
