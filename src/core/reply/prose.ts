/**
 * Prose in a code reply: prefaces ("Here is the updated code:"), sentences, Markdown headings and
 * bullets, and a bare language name on a line of its own (a fence whose backticks the model forgot).
 */

export const PREFACE =
  /^(here('s| is| are)\b|sure\b|certainly\b|of course\b|okay\b|ok[,.!]|absolutely\b|great\b|i('ve| have| made| changed| updated| refactored| added| removed| replaced| renamed| can('t|not)| cannot| am| 'm)\b|i'm\b|this (code|version|change|function|implementation|rewrite|updated)\b|the (updated|modified|refactored|rewritten|new|following|revised|improved|corrected|fixed)\b|below\b|above\b|note\b|explanation\b|changes( made)?\b|summary\b|let me know\b|hope this helps\b|(i'm )?sorry\b|unfortunately\b|as an ai\b|in this (version|code|change)\b)/i;

const KEYWORD_START =
  /^(abstract|and|as|assert|async|await|break|case|catch|class|const|continue|def|default|defer|del|delete|do|elif|else|end|enum|except|export|extends|extern|final|finally|fn|for|from|func|function|go|if|impl|implements|import|in|interface|is|lambda|let|loop|match|mod|module|mut|namespace|new|nonlocal|not|or|package|pass|private|protected|pub|public|raise|require|return|select|static|struct|super|switch|this|throw|throws|trait|try|type|typedef|union|unless|until|use|using|val|var|void|when|where|while|with|yield)\b/;

/**
 * Whether a line of a reply reads as prose rather than code: a preface ("Here is the updated code:"), a
 * sentence, a markdown heading or bullet. Lines present in the selection are never prose.
 */
export function isProseLine(line: string, selectionTrimmed?: ReadonlySet<string>): boolean {
  const t = line.trim();
  if (t === '' || selectionTrimmed?.has(t)) return false;
  if (PREFACE.test(t)) return true;
  if (/^#{2,6}\s+\S/.test(t)) return true;
  if (/^\*\*[^*]+\*\*:?$/.test(t) || /^[A-Z][A-Za-z ]{0,40}:$/.test(t)) return true;
  let body = t;
  const bullet = /^([-*+•]|\d{1,2}[.)])\s+(.*)$/.exec(t);
  if (bullet) body = bullet[2];
  if (KEYWORD_START.test(body)) return false;
  const plain = body.replace(/`[^`]*`/g, 'x');
  if (/[{};=<>|&[\]]|=>|\(\)|::|->|\$\(/.test(plain)) return false;
  const words = plain.split(/\s+/).filter((w) => /[A-Za-z]/.test(w));
  if (words.length < 3) return false;
  const letters = (plain.match(/[A-Za-z\s,.'’:;!?()"-]/g) ?? []).length;
  if (letters / plain.length < 0.9) return false;
  const sentenceStart = /^[A-Z“"'(]/.test(body) || !!bullet;
  if (!sentenceStart) return false;
  return /[.:!?)]$/.test(plain) || words.length >= 6;
}

/** Names models put on a line of their own before unfenced code (a fence's info string without the fence). */
const LANGUAGE_NAMES = new Set(
  (
    'typescript ts tsx typescriptreact javascript js jsx javascriptreact python py python3 java kotlin kt go golang rust rs ' +
    'c cpp c++ cxx h hpp csharp cs c# fsharp ruby rb php swift scala dart lua perl r julia haskell elixir erlang ' +
    'bash sh shell shellscript zsh powershell ps1 sql json jsonc yaml yml toml xml html css scss less vue svelte ' +
    'dockerfile makefile graphql proto objective-c objc'
  ).split(' '),
);

/**
 * Whether a line is only a language name ("typescript", "Python:"), as models write before unfenced
 * code. `languageId` (the document's) counts too.
 */
export function isLanguageTagLine(line: string, languageId?: string): boolean {
  const t = line.trim().replace(/:$/, '').toLowerCase();
  if (t === '') return false;
  return LANGUAGE_NAMES.has(t) || (!!languageId && t === languageId.toLowerCase());
}
