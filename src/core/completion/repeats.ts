/**
 * Two ways a model repeats itself instead of completing, found by their shape alone:
 *
 * - it writes the code before the cursor again, from a line or two above, and only then the
 *   completion (`[NotNull]\n    public |` → `[NotNull]\n    public string Name {`);
 * - it loops: the same few words again and again until its token limit (`QuestQuestQuest…`,
 *   `ref bool a2, ref bool a3, ref bool a4, …`).
 *
 * Pure functions over plain text: the streaming filters in `filters.ts` decide when to call them.
 */

import { afterMemberDot } from './position';

/** How many lines above the cursor's line an echo may start in. */
const ECHO_LINES = 3;
/** A line counts as echoed code when it holds at least this many non-blank characters. */
const ECHO_MIN_CODE = 3;
/** The longest echo looked for (a minified line above must not make every streamed chunk slow). */
const ECHO_MAX_LENGTH = 2000;

export type TailEcho = { drop: number } | 'hold' | undefined;

/**
 * A reply that starts with the end of the prefix, from somewhere in the lines above the cursor's
 * line, so that it repeats at least one whole line of code (from its first non-blank character to its
 * end) before going on. `drop`: the echo's length, to be removed. `hold` (while streaming): the text so
 * far could still be such an echo. The echo must hold a whole line: a reply that only starts like the
 * end of the line above (`a.add(1);\n a.|` → `add(1);\n a.add(2)`) is the model's own code.
 */
export function prefixTailEcho(prefix: string, text: string, final: boolean): TailEcho {
  if (text === '') return undefined;
  // The cursor's line and the lines above it an echo may start in (found from the end: this runs on
  // every streamed chunk, and the prefix can be long).
  let from = prefix.length;
  for (let k = 0; k <= ECHO_LINES && from > 0; k++) from = prefix.lastIndexOf('\n', from - 1);
  const region = prefix.slice(from + 1);
  const lines = region.split('\n');
  // The latest start that still takes in a whole line of code: the first non-blank character of the
  // last such line above the cursor's line.
  let latest = -1;
  let at = 0;
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i];
    if (line.replace(/\s/g, '').length >= ECHO_MIN_CODE) latest = at + line.length - line.trimStart().length;
    at += line.length + 1;
  }
  let hold = false;
  for (let s = Math.max(0, region.length - ECHO_MAX_LENGTH); s <= latest; s++) {
    if (region.charCodeAt(s) !== text.charCodeAt(0)) continue;
    const tail = region.slice(s);
    // A longer echo (from further up) that the text may still become comes first: with the same line
    // twice above the cursor, `apply\n` is whole, but `apply\napply\n` may follow.
    if (text.startsWith(tail)) return hold ? 'hold' : { drop: tail.length };
    if (!final && tail.startsWith(text)) hold = true;
  }
  return hold ? 'hold' : undefined;
}

/**
 * Languages where two dots never stand between names (no range, cascade or concatenation operator
 * `..`): there, a reply that starts with the dot the cursor stands after (`obj.|` + `.name()`) wrote
 * the dot again.
 */
const NO_DOUBLE_DOT = new Set(['python', 'java', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'go', 'c', 'cpp', 'objective-c', 'objective-cpp']);

/**
 * The character the cursor stands after, written again at the start of the reply: the member-access
 * dot (`config.|` + `.merge(conf)`, in languages where `..` cannot stand between names) or the space
 * after code (`public |` + `  string Name` would give `public   string Name`, and hides a keyword
 * echo: `private |` + ` private int x`). Only in code: in a string or a comment the reply's spaces
 * are text. Spaces that line the code up with a column of the line above or below (`Name |` + `   string`
 * under `ID      int`) are kept. `drop`: how much of the reply goes; `hold` (while streaming): it cannot
 * be told yet.
 */
export function cursorCharEcho(linePrefix: string, text: string, languageId: string, inCode: boolean, final: boolean, neighbours: readonly string[] = []): TailEcho {
  if (!inCode || linePrefix.trim() === '') return undefined;
  const last = linePrefix[linePrefix.length - 1];
  if (NO_DOUBLE_DOT.has(languageId) && afterMemberDot(linePrefix)) {
    if (text === '.') return final ? { drop: 1 } : 'hold';
    return /^\.[A-Za-z_$]/.test(text) ? { drop: 1 } : undefined;
  }
  if (last === ' ' || last === '\t') {
    const lead = /^[ \t]*/.exec(text)![0];
    if (lead === '') return undefined;
    if (lead.length === text.length) return final ? undefined : 'hold';
    if (text[lead.length] === '\n' || text[lead.length] === '\r') return undefined;
    const column = linePrefix.length + lead.length;
    const aligned = neighbours.some((line) => /\s/.test(line[column - 1] ?? '') && /\S/.test(line[column] ?? ''));
    return aligned ? undefined : { drop: lead.length };
  }
  return undefined;
}

/** A loop must repeat its unit at least this often, and cover this many characters, to count. */
const LOOP_REPEATS = 3;
const LOOP_MIN_LENGTH = 24;
/** Longer units are lines repeated, which `repeatedLines` handles; the bound keeps this linear. */
const LOOP_MAX_UNIT = 200;
/** Code that ends with one of these may have ended on its own (`list.add(3);`). */
const NATURAL_END = /[;)\]}>'"`]$/;

/**
 * Where a reply that ends in a loop should end: after the first copy of the unit it keeps repeating
 * (numbers may count up between copies: `a2, a3, a4`). Only a loop that runs to the end of the text
 * counts, and only one that was cut off there (the model stopped by its token limit: the text does not
 * end like finished code) or that repeats itself word for word; `f(0.1, 0.1, 0.1)` and `add(1); add(2);
 * add(3);` are code and are kept (undefined).
 */
export function loopEnd(text: string): number | undefined {
  const trimmed = text.replace(/\s+$/, '');
  // Numbers become one symbol so `x2, x3` repeat; positions in `text` are kept in `starts`.
  const symbols: string[] = [];
  const starts: number[] = [];
  for (const m of trimmed.matchAll(/\d+|\D/g)) {
    symbols.push(/^\d/.test(m[0]) ? '#' : m[0]);
    starts.push(m.index);
  }
  const n = symbols.length;
  // The shortest unit that explains the end of the text.
  for (let unit = 1; unit <= LOOP_MAX_UNIT && unit * LOOP_REPEATS <= n; unit++) {
    // Length of the run of symbols, counted back from the end, that repeats with period `unit`.
    let run = unit;
    while (run < n && symbols[n - 1 - run] === symbols[n - 1 - run + unit]) run++;
    if (run < unit * LOOP_REPEATS) continue;
    const from = n - run;
    const loop = trimmed.slice(starts[from]);
    if (loop.length < LOOP_MIN_LENGTH || !/[A-Za-z_]/.test(symbols.slice(from, from + unit).join(''))) continue;
    const word = trimmed.slice(starts[from], starts[from + unit]);
    const verbatim = loop === word.repeat(Math.ceil(loop.length / word.length)).slice(0, loop.length);
    if (NATURAL_END.test(trimmed) && !verbatim) return undefined;
    return starts[from + unit];
  }
  return undefined;
}
