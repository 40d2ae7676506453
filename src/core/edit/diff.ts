/**
 * Line diff of a selection against the model's proposal, as hunks the review accepts or rejects one by
 * one. Lines are compared exactly, terminators included, so a changed line ending or a missing final
 * newline is a change like any other and applying every hunk gives back the proposal byte for byte.
 */
import { diffArrays } from 'diff';
import { splitLines } from './lines';

const DIFF_TIMEOUT_MS = 1000;

export interface LineHunk {
  /** Index of the first replaced line in splitLines(original) (for a pure insertion: the line it goes before). */
  oldStart: number;
  /** The original lines the hunk replaces, with terminators (empty for a pure insertion). */
  oldLines: string[];
  /** Index of the first proposed line in splitLines(proposal). */
  newStart: number;
  /** The proposed lines, with terminators (empty for a pure deletion). */
  newLines: string[];
}

/**
 * Hunks that turn `original` into `proposal`, in order, non-overlapping, separated by at least one
 * unchanged line. Uses jsdiff's Myers diff over the lines (after trimming the common head and tail,
 * which keeps large selections with few changes fast).
 */
export function diffHunks(original: string, proposal: string): LineHunk[] {
  return diffLineArrays(splitLines(original), splitLines(proposal));
}

/** diffHunks over lines already split by splitLines. */
export function diffLineArrays(oldAll: readonly string[], newAll: readonly string[]): LineHunk[] {
  let head = 0;
  const maxHead = Math.min(oldAll.length, newAll.length);
  while (head < maxHead && oldAll[head] === newAll[head]) head++;
  let tail = 0;
  const maxTail = maxHead - head;
  while (tail < maxTail && oldAll[oldAll.length - 1 - tail] === newAll[newAll.length - 1 - tail]) tail++;
  const oldMid = oldAll.slice(head, oldAll.length - tail);
  const newMid = newAll.slice(head, newAll.length - tail);
  if (oldMid.length === 0 && newMid.length === 0) return [];
  if (oldMid.length === 0 || newMid.length === 0) {
    return [{ oldStart: head, oldLines: oldMid, newStart: head, newLines: newMid }];
  }

  const hunks: LineHunk[] = [];
  let oldIndex = head;
  let newIndex = head;
  let open: LineHunk | undefined;
  // A pathological pair (thousands of lines all different) stops after DIFF_TIMEOUT_MS and becomes one
  // hunk: still exact, just coarser.
  const changes = diffArrays(oldMid, newMid, { timeout: DIFF_TIMEOUT_MS });
  if (!changes) return [{ oldStart: head, oldLines: oldMid, newStart: head, newLines: newMid }];
  for (const change of changes) {
    const n = change.count ?? change.value.length;
    if (!change.added && !change.removed) {
      open = undefined;
      oldIndex += n;
      newIndex += n;
      continue;
    }
    if (!open) {
      open = { oldStart: oldIndex, oldLines: [], newStart: newIndex, newLines: [] };
      hunks.push(open);
    }
    if (change.removed) {
      for (const line of change.value) open.oldLines.push(line);
      oldIndex += n;
    } else {
      for (const line of change.value) open.newLines.push(line);
      newIndex += n;
    }
  }
  return hunks;
}

/**
 * Applies the hunks for which `accepted(i)` is true to `original` and keeps the original lines of the
 * others. All accepted gives the proposal, none gives the original, byte for byte.
 * `hunks` must come from diffHunks(original, …) (ordered, non-overlapping).
 */
export function applyHunks(original: string, hunks: readonly LineHunk[], accepted: (index: number) => boolean): string {
  const lines = splitLines(original);
  const out: string[] = [];
  let cursor = 0;
  hunks.forEach((hunk, i) => {
    if (hunk.oldStart < cursor || hunk.oldStart + hunk.oldLines.length > lines.length) {
      throw new RangeError(`Hunk ${i} does not fit the original (oldStart ${hunk.oldStart}).`);
    }
    for (; cursor < hunk.oldStart; cursor++) out.push(lines[cursor]);
    for (const line of accepted(i) ? hunk.newLines : hunk.oldLines) out.push(line);
    cursor += hunk.oldLines.length;
  });
  for (; cursor < lines.length; cursor++) out.push(lines[cursor]);
  return out.join('');
}
