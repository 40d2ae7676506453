/**
 * Reasoning ("thinking") in a reply's content: `<think>…</think>` and its cousins. Servers that split
 * reasoning out send it as `reasoning_content` deltas instead (the model client keeps those apart); these
 * rules are for the servers that leave it in the text.
 *
 * The rules: a closed block is reasoning wherever it is; a closing tag with no opening tag before it
 * closes a block whose opening tag was in the chat template (everything before it is reasoning); an
 * opening tag that is never closed, at the start of the reply, means the answer has not begun yet.
 */

export const REASONING_TAGS = ['think', 'thinking', 'reasoning', 'thought'] as const;

/** An opening tag at the start of (trimmed) text; group 1 is the tag name. */
export const REASONING_OPEN = /^<(think|thinking|reasoning|thought)>/i;
/** A closing tag anywhere; group 1 is the tag name. */
export const REASONING_CLOSE = /<\/(think|thinking|reasoning|thought)>/i;

export interface SplitReasoning {
  /** The reply without its reasoning. */
  answer: string;
  /** The reasoning, blocks joined by blank lines (tags removed). */
  reasoning: string;
  /** The reply ends inside an unclosed reasoning block: the model is (or was cut off while) thinking. */
  open: boolean;
}

/** Separates the reasoning of a reply from its answer (see the file comment for the rules). */
export function splitReasoning(text: string): SplitReasoning {
  let answer = text;
  const reasoning: string[] = [];
  let open = false;
  for (const tag of REASONING_TAGS) {
    const closed = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'gi');
    answer = answer.replace(closed, (_, inner: string) => {
      reasoning.push(inner);
      return '';
    });
    // Some servers send only the closing tag (the opening one is in the chat template).
    const close = `</${tag}>`;
    const closeAt = answer.toLowerCase().indexOf(close);
    if (closeAt >= 0 && !answer.slice(0, closeAt).toLowerCase().includes(`<${tag}>`)) {
      reasoning.push(answer.slice(0, closeAt));
      answer = answer.slice(closeAt + close.length);
    }
    // An opening tag that is never closed (a stream still thinking, or cut): everything after it is reasoning.
    const openAt = new RegExp(`^\\s*<${tag}>`, 'i').exec(answer);
    if (openAt) {
      reasoning.push(answer.slice(openAt[0].length));
      answer = '';
      open = true;
    }
  }
  return { answer, reasoning: reasoning.map((r) => r.trim()).filter((r) => r !== '').join('\n\n'), open };
}

/** The reply without its reasoning blocks. */
export function stripReasoning(text: string): string {
  return splitReasoning(text).answer;
}

/**
 * What to show of a reply that is still streaming: its answer without reasoning, and whether the model
 * is thinking right now (inside an open block, or an opening tag still arriving).
 */
export function answerSoFar(text: string): { answer: string; thinking: boolean } {
  const head = text.trimStart().toLowerCase();
  if (head !== '' && head.length < '<reasoning>'.length && REASONING_TAGS.some((tag) => `<${tag}>`.startsWith(head))) {
    return { answer: '', thinking: true };
  }
  const split = splitReasoning(text);
  return { answer: split.answer, thinking: split.open };
}
