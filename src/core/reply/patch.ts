/**
 * Replies that describe a change instead of writing the code out: unified diffs (`---`/`+++`, `@@`,
 * `+`/`-`/` ` lines) and SEARCH/REPLACE blocks (`<<<<<<< SEARCH` … `=======` … `>>>>>>> REPLACE`).
 * They are applied to the selection; one that does not apply is refused, never proposed verbatim.
 *
 * Line numbers in `@@` headers are ignored (models get them wrong, and they count from the file, not
 * the selection): each hunk's old lines are looked up in order, exactly, then ignoring whitespace at
 * either end. Context lines keep the selection's own text.
 */

export interface PatchEdit {
  /** Lines the edit replaces, with their role: ' ' context, '-' removed. */
  old: { kind: ' ' | '-'; text: string }[];
  /** The lines in their new order: ' ' context (the selection's own line is kept), '+' added. */
  new: { kind: ' ' | '+'; text: string }[];
  /** A SEARCH block that never reached its `=======` (a cut or broken reply): it cannot be applied. */
  unfinished?: true;
}

export interface PatchReply {
  format: 'unifiedDiff' | 'searchReplace';
  edits: PatchEdit[];
}

export type PatchResult = { ok: true; lines: string[] } | { ok: false; failedEdit: number; edits: number };

const SEARCH = /^[ \t]*<{5,}[ \t]*SEARCH\b/;
const DIVIDER = /^[ \t]*={5,}[ \t]*$/;
const REPLACE = /^[ \t]*>{5,}[ \t]*REPLACE\b/;
const HUNK_HEADER = /^@@ .*@@/;
const FILE_OLD = /^--- \S/;
const FILE_NEW = /^\+\+\+ \S/;
const FENCE = /^[ \t]*(`{3,}|~{3,})/;

/**
 * The patch a reply holds, if it is one. `languageId` is the document's: a diff or patch file is edited
 * as text, never read as a patch.
 */
export function parsePatchReply(text: string, languageId?: string): PatchReply | undefined {
  if (languageId === 'diff' || languageId === 'git-commit') return undefined;
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return parseSearchReplace(lines) ?? parseUnifiedDiff(lines);
}

function parseSearchReplace(lines: string[]): PatchReply | undefined {
  const edits: PatchEdit[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!SEARCH.test(lines[i])) continue;
    let j = i + 1;
    const search: string[] = [];
    for (; j < lines.length && !DIVIDER.test(lines[j]); j++) search.push(lines[j]);
    const replace: string[] = [];
    const unfinished = j >= lines.length;
    for (j++; j < lines.length && !REPLACE.test(lines[j]); j++) replace.push(lines[j]);
    const edit: PatchEdit = { old: search.map((text) => ({ kind: '-', text })), new: replace.map((text) => ({ kind: '+', text })) };
    edits.push(unfinished ? { ...edit, unfinished } : edit);
    i = j;
  }
  return edits.length > 0 ? { format: 'searchReplace', edits } : undefined;
}

function parseUnifiedDiff(lines: string[]): PatchReply | undefined {
  const headerAt = lines.findIndex((l, i) => HUNK_HEADER.test(l) || (FILE_OLD.test(l) && FILE_NEW.test(lines[i + 1] ?? '')));
  if (headerAt < 0) return undefined;
  const edits: PatchEdit[] = [];
  let current: PatchEdit | undefined;
  const close = () => {
    if (!current) return;
    // Blank lines at a hunk's end are the space before whatever follows the diff.
    while (current.old.length > 0 && current.old[current.old.length - 1].text === '' && current.new[current.new.length - 1]?.text === '' && current.new[current.new.length - 1].kind === ' ') {
      current.old.pop();
      current.new.pop();
    }
    if (current.old.length > 0 || current.new.length > 0) edits.push(current);
    current = undefined;
  };
  for (let i = headerAt; i < lines.length; i++) {
    const line = lines[i];
    if (FILE_OLD.test(line) && FILE_NEW.test(lines[i + 1] ?? '')) {
      close();
      i++;
      current = { old: [], new: [] };
      continue;
    }
    if (HUNK_HEADER.test(line)) {
      close();
      current = { old: [], new: [] };
      continue;
    }
    if (!current) continue;
    if (FENCE.test(line)) {
      close();
      continue;
    }
    const mark = line[0];
    if (mark === '+') current.new.push({ kind: '+', text: line.slice(1) });
    else if (mark === '-') current.old.push({ kind: '-', text: line.slice(1) });
    else if (mark === ' ' || line === '') {
      const text = line.slice(1);
      current.old.push({ kind: ' ', text });
      current.new.push({ kind: ' ', text });
    } else if (mark === '\\') continue; // "\ No newline at end of file"
    else close(); // prose after the diff
  }
  close();
  return edits.length > 0 ? { format: 'unifiedDiff', edits } : undefined;
}

/** Applies the edits in order to the selection's lines (no terminators). */
export function applyPatch(selectionLines: readonly string[], patch: PatchReply): PatchResult {
  let lines = [...selectionLines];
  let from = 0;
  for (let e = 0; e < patch.edits.length; e++) {
    const edit = patch.edits[e];
    if (edit.unfinished) return { ok: false, failedEdit: e, edits: patch.edits.length };
    const old = edit.old.map((l) => l.text);
    if (old.length === 0) {
      // Nothing to find: only a whole rewrite (an empty SEARCH) can mean anything.
      if (patch.edits.length !== 1 || edit.new.length === 0) return { ok: false, failedEdit: e, edits: patch.edits.length };
      return { ok: true, lines: edit.new.map((l) => l.text) };
    }
    const at = findSequence(lines, old, from);
    if (at < 0) return { ok: false, failedEdit: e, edits: patch.edits.length };
    // Context lines keep the selection's text; walk old and new together.
    const matched = lines.slice(at, at + old.length);
    const contextTexts = matched.filter((_, k) => edit.old[k].kind === ' ');
    let c = 0;
    const replacement = edit.new.map((l) => (l.kind === ' ' ? (contextTexts[c++] ?? l.text) : l.text));
    lines = [...lines.slice(0, at), ...replacement, ...lines.slice(at + old.length)];
    from = at + replacement.length;
  }
  return { ok: true, lines };
}

/** Where `needle` occurs in `hay` at or after `from`: exactly, else ignoring whitespace at either end; else anywhere. */
function findSequence(hay: readonly string[], needle: readonly string[], from: number): number {
  const exact = (a: string, b: string) => a === b;
  const loose = (a: string, b: string) => a.trim() === b.trim();
  for (const same of [exact, loose]) {
    for (const start of [from, 0]) {
      for (let i = start; i + needle.length <= hay.length; i++) {
        let k = 0;
        while (k < needle.length && same(hay[i + k], needle[k])) k++;
        if (k === needle.length) return i;
      }
    }
  }
  return -1;
}

/** Whether a reply line (after `previous`) starts a patch: a SEARCH marker, a hunk header, or `---`/`+++` file headers. */
export function startsPatch(previous: string, line: string): boolean {
  return SEARCH.test(line) || HUNK_HEADER.test(line) || (FILE_OLD.test(previous) && FILE_NEW.test(line));
}
