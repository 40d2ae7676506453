/**
 * Line helpers shared by extraction and diffing. Lines keep their terminators, so joining them gives
 * back the exact text: `joinLines(splitLines(t)) === t` for every string t.
 * Only "\n" and "\r\n" end a line (a lone "\r" stays inside the line, as in VS Code's model).
 */

export type Eol = '\n' | '\r\n';

/** Splits text into lines WITH their terminators; the last line may have none. "" gives []. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    lines.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

export function joinLines(lines: readonly string[]): string {
  return lines.join('');
}

/** The terminator of a line from splitLines: "\r\n", "\n" or "" (the last line of a text without a final newline). */
export function lineTerminator(line: string): '' | Eol {
  if (line.endsWith('\r\n')) return '\r\n';
  if (line.endsWith('\n')) return '\n';
  return '';
}

/** A line without its terminator. */
export function lineContent(line: string): string {
  return line.slice(0, line.length - lineTerminator(line).length);
}

/** The text's dominant line ending; "\n" when it has none or as many of each. */
export function detectEol(text: string): Eol {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** Rewrites every line ending ("\r\n" or "\n") to `eol`. */
export function normalizeEol(text: string, eol: Eol): string {
  return text.replace(/\r?\n/g, eol);
}
