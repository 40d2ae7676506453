/**
 * Redacts recognisable secrets from text before it is sent to a model. Each secret is replaced by a
 * placeholder such as `<redacted:github-token>` in the same place, so quotes, assignments, line
 * structure and the surrounding code keep their shape. Detection is deliberately specific: ordinary
 * identifiers, hashes, UUIDs and base64 data in code stay as they are.
 */

export interface RedactionResult {
  text: string;
  redactions: number;
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

const placeholder = (kind: string) => `<redacted:${kind}>`;

/** Token-shaped secrets, most specific first. Each pattern captures the secret as group `secret`. */
const RULES: Rule[] = [
  // Anthropic before OpenAI: both start with `sk-`.
  { kind: 'anthropic-key', pattern: /\b(?<secret>sk-ant-[a-z0-9]{2,12}-[A-Za-z0-9_-]{20,})/g },
  {
    kind: 'openai-key',
    pattern: /\b(?<secret>sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,})/g,
    accept: (s) => mixed(s.slice(3)) && /[A-Z]/.test(s) && !/^sk-[a-z-]+$/.test(s),
  },
  { kind: 'github-token', pattern: /\b(?<secret>gh[pousr]_[A-Za-z0-9]{36,255})\b/g },
  { kind: 'github-token', pattern: /\b(?<secret>github_pat_[A-Za-z0-9_]{22,255})\b/g },
  { kind: 'gitlab-token', pattern: /\b(?<secret>gl(?:pat|dt|ptt|rt|cbt|soat)-[A-Za-z0-9_-]{20,})/g },
  { kind: 'slack-token', pattern: /\b(?<secret>xox[abposr]-(?:[0-9]+-)?[A-Za-z0-9-]{10,})/g, accept: mixed },
  { kind: 'slack-webhook', pattern: /(?<secret>https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+)/g },
  { kind: 'stripe-key', pattern: /\b(?<secret>(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,})\b/g, accept: mixed },
  { kind: 'aws-access-key', pattern: /\b(?<secret>(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16})\b/g },
  { kind: 'google-api-key', pattern: /\b(?<secret>AIza[0-9A-Za-z_-]{35})\b/g },
  {
    kind: 'jwt',
    pattern: /\b(?<secret>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})/g,
  },
  // Bearer tokens in headers: `Authorization: Bearer <token>`.
  { kind: 'bearer-token', pattern: /\bBearer\s+(?<secret>[A-Za-z0-9._~+/-]{20,}=*)/g, accept: mixed },
  // Passwords inside URLs: scheme://user:password@host
  {
    kind: 'url-password',
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"`]+:(?<secret>[^\s@/'"`]{4,})@/g,
    accept: (s) => !s.startsWith('$') && !s.startsWith('{') && !s.startsWith('<') && !/^\*+$/.test(s),
  },
];

const PEM = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?-----END \1-----/g;

/**
 * Names that say "this holds a secret", as the end of an identifier (`DB_PASSWORD`, `stripeApiKey`,
 * `client_secret`, `GITHUB_TOKEN`). Used for assignments whose value is a long literal.
 */
const SECRET_NAME =
  '(?:[A-Za-z0-9_]*?[_-]?)(?:password|passwd|passphrase|pwd|secret|secret[_-]?key|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?token|access[_-]?token|refresh[_-]?token|token|client[_-]?secret|credentials?)';

/** `name = "value"`, `name: 'value'`, `"name": "value"`, `name := "value"` with a quoted literal value. */
const QUOTED_ASSIGNMENT = new RegExp(
  `(?<![A-Za-z0-9_])(["']?)(${SECRET_NAME})\\1(\\s*(?::=|=>|[:=])\\s*)(["'\`])(?<secret>[^"'\`\\s\\\\]{8,})\\4`,
  'gi',
);

/** `.env`/shell/YAML style: a whole line `NAME=value` or `name: value` with an unquoted value. */
const BARE_ASSIGNMENT = new RegExp(
  `^([ \\t]*(?:export[ \\t]+)?)(${SECRET_NAME})([ \\t]*[:=][ \\t]*)(?<secret>[^\\s'"\`()\\[\\]{};,<>]{12,})[ \\t]*$`,
  'gim',
);

function looksLikeLiteralSecret(value: string): boolean {
  if (value.startsWith('<redacted:')) return false;
  if (/^[$%{<]/.test(value) || value.includes('${') || value.includes('{{')) return false; // templates
  if (/^(.)\1+$/.test(value)) return false; // xxxxxxxx, ********
  if (/^(?:process\.env|os\.environ|env\.|import\.meta)/.test(value)) return false;
  if (/^(?:true|false|null|none|undefined|required|optional|string|password|changeme|example)$/i.test(value)) return false;
  if (/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(value)) return false; // a.b.c member access
  return true;
}

function looksLikeBareSecret(value: string): boolean {
  if (!looksLikeLiteralSecret(value)) return false;
  // Unquoted values in code are mostly identifiers and expressions; demand letters and digits.
  return mixed(value) && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value.replace(/[0-9]+$/, ''));
}

/** Replaces recognisable secrets in `text` with placeholders; counts how many were replaced. */
export function redactSecrets(text: string): RedactionResult {
  let redactions = 0;
  let out = text;

  out = out.replace(PEM, (_m, label: string) => {
    redactions++;
    return `-----BEGIN ${label}-----\n${placeholder('private-key')}\n-----END ${label}-----`;
  });

  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    out = out.replace(rule.pattern, (...args: unknown[]) => {
      const match = args[0] as string;
      const groups = args[args.length - 1] as { secret: string };
      const secret = groups.secret;
      if (rule.accept && !rule.accept(secret)) return match;
      redactions++;
      const at = match.lastIndexOf(secret);
      return match.slice(0, at) + placeholder(rule.kind) + match.slice(at + secret.length);
    });
  }

  out = out.replace(QUOTED_ASSIGNMENT, (...args: unknown[]) => {
    const match = args[0] as string;
    const groups = args[args.length - 1] as { secret: string };
    if (!looksLikeLiteralSecret(groups.secret)) return match;
    redactions++;
    const at = match.lastIndexOf(groups.secret);
    return match.slice(0, at) + placeholder('secret') + match.slice(at + groups.secret.length);
  });

  out = out.replace(BARE_ASSIGNMENT, (...args: unknown[]) => {
    const match = args[0] as string;
    const groups = args[args.length - 1] as { secret: string };
    if (!looksLikeBareSecret(groups.secret)) return match;
    redactions++;
    const at = match.lastIndexOf(groups.secret);
    return match.slice(0, at) + placeholder('secret') + match.slice(at + groups.secret.length);
  });

  return { text: out, redactions };
}
