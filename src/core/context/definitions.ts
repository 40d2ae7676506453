/**
 * Definitions of the symbols near the cursor. The editor layer asks VS Code's definition provider
 * where each symbol is defined and hands the file's lines here; this picks out the declaration: its
 * line plus the block under it, within a line limit (a signature and the start of the body is what a
 * completion needs, not the whole class).
 */
import { indentWidth } from '../completion/position';

export interface DefinitionSnippet {
  path: string;
  symbol: string;
  startLine: number;
  endLine: number;
  text: string;
}

/**
 * The declaration starting at `line` (0-based): doc comments and decorators right above it, then the
 * line itself and the lines under it until the code returns to the declaration's indentation (braces
 * languages) or dedents (Python), at most `maxLines` lines.
 */
export function declarationBlock(lines: readonly string[], line: number, maxLines = 12): { startLine: number; endLine: number; text: string } {
  let start = Math.max(0, Math.min(line, lines.length - 1));
  // doc comments / decorators / attributes directly above
  while (start > 0 && start > line - 6 && /^\s*(?:\/\/\/?|\*|\/\*\*|#\[|@\w|""")/.test(lines[start - 1])) start--;
  const base = indentWidth(lines[line] ?? '');
  let end = line + 1;
  while (end < lines.length && end - start < maxLines) {
    const l = lines[end];
    if (l.trim() === '') {
      end++;
      continue;
    }
    const w = indentWidth(l);
    if (w < base) break;
    if (w === base) {
      // a closing line at the declaration's level ends it (and belongs to it)
      if (/^\s*[)\]}]/.test(l)) end++;
      break;
    }
    end++;
  }
  while (end > line + 1 && lines[end - 1].trim() === '') end--;
  return { startLine: start, endLine: end, text: lines.slice(start, end).join('\n') };
}

/**
 * An outline of the declaration at `line`: its header and, for a class, interface or struct, one line
 * per member with bodies folded to `{ … }` (Python: `: …`). What a completion needs to call the thing
 * or use its members, in a few lines.
 */
export function outlineBlock(lines: readonly string[], line: number, maxLines = 16, options: { membersOnly?: boolean } = {}): { startLine: number; endLine: number; text: string } {
  const header = lines[line] ?? '';
  const base = indentWidth(header);
  const out: string[] = [fold(header)];
  let memberIndent: number | undefined;
  let end = line + 1;
  const code = header.replace(/\s*\/\/.*$/, '');
  const container =
    /[{:(]\s*$/.test(code) &&
    (/^\s*(?:(?:export|default|abstract|public|private|protected|internal|sealed|data|open|pub)\s+)*(?:class|interface|enum|struct|trait|impl|namespace|object|record)\b/.test(code) ||
      /^\s*type\s+\w+\s+(?:struct|interface)\b/.test(code) ||
      /=\s*[{(]\s*$/.test(code));
  // A comment right above says what the thing is for.
  const above = lines[line - 1];
  const startLine = above !== undefined && /^\s*(?:\/\/|\/\*\*?.*\*\/\s*$|#(?!include)|\*)/.test(above) ? line - 1 : line;
  if (startLine < line) out.unshift(above.trimEnd());
  if (container) {
    for (; end < lines.length && out.length < maxLines; end++) {
      const l = lines[end];
      if (l.trim() === '') continue;
      const w = indentWidth(l);
      if (w <= base) {
        if (/^\s*[)\]}]/.test(l)) {
          out.push(l.trimEnd());
          end++;
        }
        break;
      }
      memberIndent ??= w;
      if (w !== memberIndent || /^\s*[)\]}]+[;,]?\s*$/.test(l)) continue;
      // For using the thing from elsewhere: no private members, annotations or comments.
      if (options.membersOnly && /^\s*(?:private\b|@|#|\/\/|\/?\*|(?:async\s+)?def\s+_(?!_init__))/.test(l)) continue;
      out.push(fold(l));
    }
  }
  return { startLine, endLine: end, text: out.join('\n') };
}

/** `foo(a) {` → `foo(a) { … }`; `def f(x):` → `def f(x): …`. */
function fold(line: string): string {
  const t = line.trimEnd();
  if (/\{$/.test(t) && !/^\s*(?:(?:export|default|abstract|public|private|protected|internal|static|sealed|final|partial|data|open|pub)\s+)*(?:class|interface|enum|struct|trait|impl|namespace|object|record)\b/.test(t) && !/=\s*\{$/.test(t)) return `${t} … }`;
  if (/^\s*(?:async\s+)?def\b.*:$/.test(t)) return `${t} …`;
  return t;
}
