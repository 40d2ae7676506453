/**
 * Replies that end before the model finished: `finish_reason: "length"` (the reply limit was reached) or
 * a stream that closed with no finish reason at all. What a feature may keep of one differs: an edit
 * keeps nothing (a cut rewrite would delete whatever the model did not reach); a completion keeps its
 * complete lines and a last line only when it is complete by itself.
 */
import { splitReasoning } from './reasoning';

export type Ending = 'complete' | 'length' | 'closed';

/** How a reply ended, from the finish reason the server sent (null: none came). */
export function replyEnding(finishReason: string | null | undefined): Ending {
  if (finishReason === 'length' || finishReason === 'max_tokens') return 'length';
  if (finishReason === null || finishReason === undefined || finishReason === '') return 'closed';
  return 'complete';
}

/**
 * What a completion keeps of a cut-off text: the lines before the last one (without the newline that
 * ended them), and the unfinished last line too when it reads as complete (brackets and quotes closed, not ending on an operator, a
 * comma, an opening bracket or a dot).
 */
export function keepCompleteLines(text: string): string {
  const nl = text.lastIndexOf('\n');
  const last = text.slice(nl + 1);
  if (last.trim() === '' || lineLooksComplete(last)) return text;
  return nl < 0 ? '' : text.slice(0, nl);
}

export function lineLooksComplete(line: string): boolean {
  const t = line.trim();
  if (t === '') return true;
  const noStrings = t.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '0');
  if (/["'`]/.test(noStrings)) return false;
  let depth = 0;
  for (const ch of noStrings) {
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    // A closer of an earlier line's bracket is fine; brackets this line opens after it must still close.
    if (depth < 0) depth = 0;
  }
  if (depth > 0) return false;
  return !/([-+*/%=<>&|^!~?:,.([{\\]|\b(and|or|not|in|is|new|return|await|yield|typeof|instanceof))$/.test(noStrings);
}

/**
 * What to tell the reader of a prose answer (Explain) that ended badly, or undefined when it did not:
 * reasoning and no answer, or an answer cut off (what arrived stays shown).
 */
export function answerProblem(reply: { text: string; reasoning?: string; finishReason: string | null; completionTokens?: number }): string | undefined {
  const ending = replyEnding(reply.finishReason);
  const split = splitReasoning(reply.text);
  const reasoned = split.open || split.reasoning !== '' || (reply.reasoning ?? '').trim() !== '';
  const after = reply.completionTokens === undefined ? '' : ` after ${reply.completionTokens} tokens`;
  if (split.answer.trim() === '' && reasoned) {
    return ending === 'length' ? `The reply was cut off${after}, while the model was still thinking.` : 'The model only reasoned and gave no answer.';
  }
  if (ending === 'length') return `The answer was cut off${after}.`;
  if (ending === 'closed') return `The answer was cut off${after}: the server closed the stream before the model finished.`;
  return undefined;
}
