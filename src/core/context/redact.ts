/**
 * Redacts recognisable secrets from text before it is sent to a model, and puts them back into what
 * the model writes. Each secret is replaced by a placeholder such as `<redacted:github-token>` in the
 * same place, so quotes, assignments, line structure and the surrounding code keep their shape.
 * Detection is deliberately specific: ordinary identifiers, hashes, UUIDs and base64 data in code stay
 * as they are.
 *
 * A `SecretVault` remembers which secret each placeholder stands for, for one request or one thread:
 * distinct secrets of a kind get distinct placeholders (`<redacted:secret>`, `<redacted:secret-2>`),
 * the same secret always the same one, so a reply that echoes a placeholder can be mapped back to the
 * original text before it is diffed (`restore`, or `restoreStream` for a reply as it streams).
 */

export interface RedactionResult {
  text: string;
  redactions: number;
}

export interface RedactOptions {
  /**
   * The text starts inside a private-key block whose BEGIN line was cut off (a window cut out of a
   * larger text): its leading base64 lines are redacted as the key they are.
   */
  startsInsideKey?: boolean;
}

interface Rule {
  kind: string;
  pattern: RegExp;
  /** Optional extra check on the matched secret (the capture named `secret`, else the whole match). */
  accept?: (secret: string) => boolean;
}

const hasDigit = (s: string) => /[0-9]/.test(s);
const hasLetter = (s: string) => /[A-Za-z]/.test(s);
const mixed = (s: string) => hasDigit(s) && hasLetter(s);
const mixedCase = (s: string) => /[a-z]/.test(s) && /[A-Z]/.test(s);

/** A placeholder anywhere in a text. Kinds are lowercase words joined by `-`. */
const PLACEHOLDER = /<redacted:[a-z0-9]+(?:-[a-z0-9]+)*>/g;
/** The longest placeholder a stream may hold back while it is incomplete. */
const MAX_PLACEHOLDER = 64;

/** Token-shaped secrets, most specific first. Each pattern captures the secret as group `secret`. */
const RULES: Rule[] = [
  // Anthropic before OpenAI: both start with `sk-`.
  { kind: 'anthropic-key', pattern: /\b(?<secret>sk-ant-[a-z0-9]{2,12}-[A-Za-z0-9_-]{20,})/g },
  {
    kind: 'openai-key',
    pattern: /\b(?<secret>sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,})/g,
    // Mixed case (OpenAI), or one run of lowercase letters and digits (DeepSeek and other OpenAI-style
    // servers: `sk-` + 32 hex digits). CSS class names like `sk-spinner-fading-circle` have no digits.
    accept: (s) => {
      const body = s.replace(/^sk-(?:proj-|svcacct-|admin-|None-)?/, '');
      return mixed(body) && (/[A-Z]/.test(body) || /^[a-z0-9]{20,}$/.test(body));
    },
  },
  { kind: 'github-token', pattern: /\b(?<secret>gh[pousr]_[A-Za-z0-9]{36,255})\b/g },
  { kind: 'github-token', pattern: /\b(?<secret>github_pat_[A-Za-z0-9_]{22,255})\b/g },
  { kind: 'gitlab-token', pattern: /\b(?<secret>gl(?:pat|dt|ptt|rt|cbt|soat)-[A-Za-z0-9_-]{20,})/g },
  { kind: 'slack-token', pattern: /\b(?<secret>xox[abposr]-(?:[0-9]+-)?[A-Za-z0-9-]{10,})/g, accept: mixed },
  { kind: 'slack-webhook', pattern: /(?<secret>https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+)/g },
  { kind: 'stripe-key', pattern: /\b(?<secret>(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,})\b/g, accept: mixed },
  { kind: 'aws-access-key', pattern: /\b(?<secret>(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16})\b/g },
  { kind: 'google-api-key', pattern: /\b(?<secret>AIza[0-9A-Za-z_-]{35})\b/g },
  { kind: 'google-oauth-token', pattern: /\b(?<secret>ya29\.[0-9A-Za-z_-]{20,})/g },
  { kind: 'sendgrid-key', pattern: /\b(?<secret>SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{30,50})/g },
  { kind: 'npm-token', pattern: /\b(?<secret>npm_[A-Za-z0-9]{36})\b/g },
  { kind: 'huggingface-token', pattern: /\b(?<secret>hf_[A-Za-z0-9]{30,})\b/g, accept: (s) => mixedCase(s.slice(3)) },
  { kind: 'telegram-bot-token', pattern: /(?<![A-Za-z0-9_:])(?<secret>[0-9]{8,10}:AA[A-Za-z0-9_-]{33})(?![A-Za-z0-9_-])/g },
  {
    kind: 'jwt',
    pattern: /\b(?<secret>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})/g,
  },
  {
    // Discord bot tokens: the bot's id in base64 (it starts with M, N or O), a timestamp, an HMAC.
    kind: 'discord-bot-token',
    pattern: /(?<![A-Za-z0-9_.-])(?<secret>[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40})(?![A-Za-z0-9_-])/g,
    accept: (s) => mixed(s) && mixedCase(s),
  },
  // Azure storage / service bus connection strings.
  { kind: 'azure-key', pattern: /\b(?:AccountKey|SharedAccessKey)=(?<secret>[A-Za-z0-9+/]{20,}={0,2})/g },
  // Tokens in headers: `Authorization: Bearer <token>`, `Authorization: Basic <base64 user:password>`.
  { kind: 'bearer-token', pattern: /\bBearer\s+(?<secret>[A-Za-z0-9._~+/-]{20,}=*)/g, accept: mixed },
  {
    kind: 'basic-auth',
    pattern: /\bBasic\s+(?<secret>[A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/g,
    accept: (s) => isBase64Credentials(s),
  },
  // Passwords inside URLs: scheme://user:password@host
  {
    kind: 'url-password',
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"`]+:(?<secret>[^\s@/'"`]{4,})@/g,
    accept: (s) => !s.startsWith('$') && !s.startsWith('{') && !s.startsWith('<') && !/^\*+$/.test(s),
  },
];

/** A Basic credential decodes to printable `user:password`. */
function isBase64Credentials(value: string): boolean {
  if (value.length % 4 !== 0) return false;
  const decoded = Buffer.from(value, 'base64').toString('latin1');
  return decoded.includes(':') && /^[\x20-\x7e]+$/.test(decoded);
}

const PEM_LABEL = '(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?';
const PEM = new RegExp(`(-----BEGIN (${PEM_LABEL})-----)([\\s\\S]*?)(-----END \\2-----)`, 'g');
const PEM_BEGIN = new RegExp(`-----BEGIN ${PEM_LABEL}-----[^\\n]*\\n`, 'g');
const PEM_END = new RegExp(`-----END ${PEM_LABEL}-----`, 'g');
/** A line of a PEM body's base64, and the armour lines that may come before it. */
const DATA_LINE = /^[ \t]*[A-Za-z0-9+/]+={0,2}\r?$/;
const ARMOUR_LINE = /^[ \t]*(?:[A-Za-z][A-Za-z0-9-]*: [^\n]*)?\r?$/;

/**
 * Names that say "this holds a secret", as the end of an identifier (`DB_PASSWORD`, `stripeApiKey`,
 * `client_secret`, `GITHUB_TOKEN`). Used for assignments whose value is a long literal.
 */
const SECRET_NAME =
  '(?:[A-Za-z0-9_]*?[_-]?)(?:password|passwd|passphrase|pwd|secret|secret[_-]?key|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?token|access[_-]?token|refresh[_-]?token|token|client[_-]?secret|credentials?)';
/** Names of passwords in particular: their values are short and plain more often than keys are. */
const PASSWORD_NAME = /(?:password|passwd|passphrase|pwd)$/i;

/** `name = "value"`, `name: 'value'`, `"name": "value"`, `name := "value"` with a quoted literal value. */
const QUOTED_ASSIGNMENT = new RegExp(
  `(?<![A-Za-z0-9_])(["']?)(${SECRET_NAME})\\1(\\s*(?::=|=>|[:=])\\s*)(["'\`])(?<secret>[^"'\`\\s\\\\]{4,})\\4`,
  'gi',
);

/** `.env`/shell/YAML style: a whole line `NAME=value` or `name: value` with an unquoted value. */
const BARE_ASSIGNMENT = new RegExp(
  `^([ \\t]*(?:export[ \\t]+)?)(${SECRET_NAME})([ \\t]*[:=][ \\t]*)(?<secret>[^\\s'"\`()\\[\\]{};,<>]{4,})[ \\t]*$`,
  'gim',
);

/** Values that name a type, a keyword or a stand-in rather than hold a secret. */
const NOT_A_VALUE =
  /^(?:true|false|null|nil|none|undefined|required|optional|string|str|int|bool|bytes|number|any|object|secretstr|password|changeme|example|redacted|secret|token|hidden|empty|default)$/i;

function looksLikeLiteralSecret(value: string): boolean {
  if (value.startsWith('<redacted:')) return false;
  if (/^[$%{<]/.test(value) || value.includes('${') || value.includes('{{')) return false; // templates
  if (/^(.)\1+$/.test(value)) return false; // xxxxxxxx, ********
  if (/^(?:process\.env|os\.environ|env\.|import\.meta)/.test(value)) return false;
  if (NOT_A_VALUE.test(value)) return false;
  if (/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(value)) return false; // a.b.c member access
  return true;
}

function looksLikeBareSecret(value: string, name: string): boolean {
  if (!looksLikeLiteralSecret(value)) return false;
  if (PASSWORD_NAME.test(name)) {
    // `PASSWORD=hunter2`, `password: S3cret!`: letters with digits or symbols; a bare word is
    // more likely a variable or a type in code.
    return value.length >= 4 && !/^[A-Za-z_]+$/.test(value);
  }
  // Unquoted values in code are mostly identifiers and expressions; demand letters and digits.
  return value.length >= 12 && mixed(value) && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value.replace(/[0-9]+$/, ''));
}

function looksLikeQuotedSecret(value: string, name: string): boolean {
  if (!looksLikeLiteralSecret(value)) return false;
  return PASSWORD_NAME.test(name) ? value.length >= 4 : value.length >= 8;
}

/** Lines of `text` as [start, end) offsets (end excludes the `\n`). */
function lineSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      spans.push([start, text.length]);
      return spans;
    }
    spans.push([start, nl]);
    start = nl + 1;
  }
}

/**
 * Remembers, for one request or thread, which secret each placeholder stands for. Redacting with the
 * same vault gives the same secret the same placeholder everywhere; `restore` maps placeholders in a
 * model's reply back to the secrets.
 */
export class SecretVault {
  private readonly placeholders = new Map<string, string>(); // kind \0 secret → placeholder
  private readonly secrets = new Map<string, string>(); // placeholder → secret
  private readonly counts = new Map<string, number>();
  /** Placeholders written literally in the redacted text itself: never assigned to a secret. */
  private readonly reserved = new Set<string>();

  /** How many distinct secrets the vault holds. */
  get size(): number {
    return this.secrets.size;
  }

  /** Replaces recognisable secrets in `text` with placeholders; counts how many were replaced. */
  redact(text: string, options: RedactOptions = {}): RedactionResult {
    for (const literal of text.match(PLACEHOLDER) ?? []) if (!this.secrets.has(literal)) this.reserved.add(literal);
    let redactions = 0;
    const hide = (kind: string, secret: string): string => {
      redactions++;
      return this.placeholderFor(kind, secret);
    };
    let out = this.redactKeys(text, options, hide);

    for (const rule of RULES) {
      rule.pattern.lastIndex = 0;
      out = out.replace(rule.pattern, (...args: unknown[]) => {
        const match = args[0] as string;
        const groups = args[args.length - 1] as { secret: string };
        const secret = groups.secret;
        if (rule.accept && !rule.accept(secret)) return match;
        const at = match.lastIndexOf(secret);
        return match.slice(0, at) + hide(rule.kind, secret) + match.slice(at + secret.length);
      });
    }

    const assignment = (accept: (value: string, name: string) => boolean) => (...args: unknown[]) => {
      const match = args[0] as string;
      const name = args[2] as string;
      const groups = args[args.length - 1] as { secret: string };
      if (!accept(groups.secret, name)) return match;
      const at = match.lastIndexOf(groups.secret);
      return match.slice(0, at) + hide('secret', groups.secret) + match.slice(at + groups.secret.length);
    };
    out = out.replace(QUOTED_ASSIGNMENT, assignment(looksLikeQuotedSecret));
    out = out.replace(BARE_ASSIGNMENT, assignment(looksLikeBareSecret));
    return { text: out, redactions };
  }

  /** Puts the secrets back where `text` holds this vault's placeholders; other text is left alone. */
  restore(text: string): string {
    if (this.secrets.size === 0 || !text.includes('<redacted:')) return text;
    return text.replace(PLACEHOLDER, (p) => this.secrets.get(p) ?? p);
  }

  /**
   * Maps a reply's placeholders back for text that goes straight into `document` (ghost text, a
   * next-edit proposal): only a secret `document` itself holds is put back, so a secret never moves
   * from another file (a context snippet, a recent edit elsewhere) into this one. `unresolved` is the
   * offset in the returned text of the first placeholder left that `document` does not hold literally
   * (-1 when there is none): such a placeholder must not reach the buffer.
   */
  restoreInto(text: string, document: string): { text: string; unresolved: number } {
    if (!text.includes('<redacted:')) return { text, unresolved: -1 };
    let unresolved = -1;
    let out = '';
    let last = 0;
    for (const m of text.matchAll(PLACEHOLDER)) {
      const secret = this.secrets.get(m[0]);
      const home = secret !== undefined && document.includes(secret);
      out += text.slice(last, m.index);
      if (!home && unresolved < 0 && !document.includes(m[0])) unresolved = out.length;
      out += home ? secret : m[0];
      last = m.index + m[0].length;
    }
    return { text: out + text.slice(last), unresolved };
  }

  /**
   * Restores a reply as it streams: `push` returns the text that is safe to show so far (a tail that
   * may be the start of a placeholder is held back until it is complete or cannot be one), `flush` the
   * rest at the end. The concatenation of everything returned equals `restore(reply)`.
   */
  restoreStream(): { push(delta: string): string; flush(): string } {
    let held = '';
    return {
      push: (delta: string): string => {
        const text = held + delta;
        const cut = partialPlaceholderStart(text);
        held = text.slice(cut);
        return this.restore(text.slice(0, cut));
      },
      flush: (): string => {
        const rest = held;
        held = '';
        return this.restore(rest);
      },
    };
  }

  private placeholderFor(kind: string, secret: string): string {
    const key = `${kind}\u0000${secret}`;
    const known = this.placeholders.get(key);
    if (known) return known;
    let n = this.counts.get(kind) ?? 0;
    let placeholder: string;
    do {
      n++;
      placeholder = n === 1 ? `<redacted:${kind}>` : `<redacted:${kind}-${n}>`;
    } while (this.reserved.has(placeholder));
    this.counts.set(kind, n);
    this.placeholders.set(key, placeholder);
    this.secrets.set(placeholder, secret);
    return placeholder;
  }

  /**
   * Private-key blocks: whole ones, ones whose END line is missing (or was cut off), ones whose BEGIN
   * line was cut off. The frame lines stay; the body becomes one placeholder line.
   */
  private redactKeys(text: string, options: RedactOptions, hide: (kind: string, secret: string) => string): string {
    if (!options.startsInsideKey && !text.includes('PRIVATE KEY')) return text;
    let out = text.replace(PEM, (match: string, begin: string, _label: string, body: string, end: string) => {
      const parts = /^(\s*)([\s\S]*?)(\s*)$/.exec(body)!;
      if (parts[2] === '') return match;
      return begin + parts[1] + hide('private-key', parts[2]) + parts[3] + end;
    });
    // From the top: a window that starts inside a block.
    if (options.startsInsideKey) out = this.replaceBody(out, (spans) => takeKeyLines(out, spans, 0, 1, true), hide);
    // A BEGIN line with no END after it: the key runs to the end of its base64 lines.
    for (;;) {
      PEM_BEGIN.lastIndex = 0;
      let replaced = false;
      for (let m = PEM_BEGIN.exec(out); m; m = PEM_BEGIN.exec(out)) {
        const after = m.index + m[0].length;
        const next = this.replaceBody(out, (spans) => takeKeyLines(out, spans, lineAt(spans, after), 1), hide);
        if (next !== out) {
          out = next;
          replaced = true;
          break;
        }
      }
      if (!replaced) break;
    }
    // An END line with no BEGIN before it: the key's base64 lines above it.
    for (;;) {
      PEM_END.lastIndex = 0;
      let replaced = false;
      for (let m = PEM_END.exec(out); m; m = PEM_END.exec(out)) {
        const line = lineAt(lineSpans(out), m.index);
        const next = line === 0 ? out : this.replaceBody(out, (spans) => takeKeyLines(out, spans, line - 1, -1), hide);
        if (next !== out) {
          out = next;
          replaced = true;
          break;
        }
      }
      if (!replaced) break;
    }
    return out;
  }

  /** Replaces the key body on the lines `pick` chooses (none: the text is unchanged) with a placeholder. */
  private replaceBody(text: string, pick: (spans: Array<[number, number]>) => number[], hide: (kind: string, secret: string) => string): string {
    const spans = lineSpans(text);
    const lines = pick(spans);
    if (lines.length === 0) return text;
    const first = Math.min(...lines);
    const last = Math.max(...lines);
    const start = spans[first][0] + (/^[ \t]*/.exec(text.slice(spans[first][0], spans[first][1]))?.[0].length ?? 0);
    const end = spans[last][1] - (text[spans[last][1] - 1] === '\r' ? 1 : 0);
    return text.slice(0, start) + hide('private-key', text.slice(start, end)) + text.slice(end);
  }
}

/** The index of the line holding `offset`. */
function lineAt(spans: Array<[number, number]>, offset: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (spans[mid][0] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The base64 lines of a key body next to a frame line: from `start` downwards (after BEGIN: armour
 * lines may come first, then lines of one width, the last one shorter) or upwards (above END: the
 * short last line, then lines of one width). At least one line as long as a PEM line (16+ characters)
 * is needed, so a lone word next to a frame is not taken for a key. `cutFirst`: the first line is the
 * rest of a line cut in the middle (a window that starts inside the key), of any width. Returns the data
 * lines' indexes.
 */
function takeKeyLines(text: string, spans: Array<[number, number]>, start: number, direction: 1 | -1, cutFirst = false): number[] {
  const lines: number[] = [];
  let width = -1;
  let widest = 0;
  for (let i = start; i >= 0 && i < spans.length; i += direction) {
    const line = text.slice(spans[i][0], spans[i][1]).trim();
    if (!DATA_LINE.test(line)) {
      if (lines.length === 0 && direction === 1 && ARMOUR_LINE.test(line)) continue;
      break;
    }
    if (direction === 1) {
      if (cutFirst && lines.length === 0) {
        lines.push(i);
        widest = line.length;
        continue;
      }
      if (width < 0) width = line.length;
      if (line.length > width) break;
      lines.push(i);
      widest = Math.max(widest, line.length);
      if (line.length < width) break;
    } else {
      // Upwards: the first line met is the key's last (any width); the ones above share one width.
      if (lines.length === 1) width = line.length;
      else if (lines.length > 1 && line.length !== width) break;
      lines.push(i);
      widest = Math.max(widest, line.length);
    }
  }
  return widest >= 16 ? lines : [];
}

/**
 * Where a trailing, possibly incomplete placeholder starts in `text` (text.length when there is none):
 * a `<` followed by a prefix of `<redacted:kind>` that has not closed yet.
 */
function partialPlaceholderStart(text: string): number {
  const from = Math.max(0, text.length - MAX_PLACEHOLDER);
  const at = text.lastIndexOf('<');
  if (at < from) return text.length;
  const tail = text.slice(at);
  const head = '<redacted:';
  if (tail.length <= head.length) return head.startsWith(tail) ? at : text.length;
  return tail.startsWith(head) && /^[a-z0-9-]*$/.test(tail.slice(head.length)) ? at : text.length;
}

/** Redacts `text` with a vault of its own (or the one given); counts the secrets replaced. */
export function redactSecrets(text: string, vault: SecretVault = new SecretVault(), options: RedactOptions = {}): RedactionResult {
  return vault.redact(text, options);
}

/**
 * True when `offset` in `text` lies inside a private-key block whose BEGIN line comes before it and
 * whose END line does not: a window cut at `offset` starts inside the key. Looks back at most 64 KB.
 */
export function insidePrivateKey(text: string, offset: number): boolean {
  const from = Math.max(0, offset - 65_536);
  // Searched in the last 64 KB only: a huge file's whole prefix is not scanned per keystroke.
  const within = text.slice(from, offset + '-----BEGIN '.length).lastIndexOf('-----BEGIN ');
  if (within < 0) return false;
  const begin = from + within;
  const line = text.slice(begin, text.indexOf('\n', begin) < 0 ? text.length : text.indexOf('\n', begin));
  if (!new RegExp(`^-----BEGIN ${PEM_LABEL}-----`).test(line)) return false;
  const end = text.indexOf('-----END ', begin);
  return end < 0 || end >= offset;
}
