/**
 * Replies that end before the model finished: `finish_reason: "length"` (the reply limit was reached) or
 * a stream that closed with no finish reason at all. What a feature may keep of one differs: an edit
 * keeps nothing (a cut rewrite would delete whatever the model did not reach); a completion keeps its
 * complete lines and a last line only when it is complete by itself.
 */

export type Ending = 'complete' | 'length' | 'closed';

/** How a reply ended, from the finish reason the server sent (null: none came). */
export function replyEnding(finishReason: string | null | undefined): Ending {
  if (finishReason === 'length' || finishReason === 'max_tokens') return 'length';
  if (finishReason === null || finishReason === undefined || finishReason === '') return 'closed';
  return 'complete';
}

/**
 * What a completion keeps of a cut-off text: every line that ended with a newline, and the unfinished
 * last line only when it reads as complete (brackets and quotes closed, not ending on an operator, a
 * comma, an opening bracket or a dot).
 */
export function keepCompleteLines(text: string): string {
  const nl = text.lastIndexOf('\n');
  const last = text.slice(nl + 1);
  if (last.trim() === '' || lineLooksComplete(last)) return text;
  return text.slice(0, nl + 1);
}

export function lineLooksComplete(line: string): boolean {
  const t = line.trim();
  if (t === '') return true;
  const noStrings = t.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""');
  if (/["'`]/.test(noStrings)) return false;
  let depth = 0;
  for (const ch of noStrings) {
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    if (depth < 0) depth = -100;
  }
  if (depth > 0) return false;
  return !/([-+*/%=<>&|^!~?:,.(\[{\\]|\b(and|or|not|in|is|new|return|await|yield|typeof|instanceof))$/.test(noStrings);
}
