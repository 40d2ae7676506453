import picomatch from 'picomatch';

/**
 * `redline.exclude`: glob patterns for files that must never be read into a prompt.
 * Matching is done with picomatch on a forward-slash path; dot files match (`**` crosses `.git/`,
 * `*.key` matches `.hidden.key`), and patterns are compiled once per distinct pattern list. Where the
 * file system ignores case (Windows, macOS), so does matching: `.ENV` is the same file as `.env` there.
 */

/** True on platforms whose file systems ignore case by default. */
export const CASE_INSENSITIVE_FS = process.platform === 'win32' || process.platform === 'darwin';

export interface ExcludeOptions {
  /** Match without regard to case (default: as the platform's file system does). */
  ignoreCase?: boolean;
}

type Matcher = (path: string) => boolean;

const cache = new Map<string, Matcher>();
const CACHE_LIMIT = 32;

/** Normalises a path for matching: forward slashes, no drive letter, no leading `./`. */
export function normalisePath(path: string): string {
  let p = path.replace(/\\/g, '/');
  p = p.replace(/^[a-zA-Z]:(?=\/)/, '');
  p = p.replace(/^(\.\/)+/, '');
  p = p.replace(/\/{2,}/g, '/');
  return p;
}

function compile(patterns: readonly string[], nocase: boolean): Matcher {
  const key = `${nocase ? 'i' : 's'}\u0000${patterns.join('\u0000')}`;
  let matcher = cache.get(key);
  if (matcher) return matcher;
  const cleaned = patterns.map((p) => normalisePath(p.trim())).filter((p) => p.length > 0);
  if (cleaned.length === 0) {
    matcher = () => false;
  } else {
    const compiled = picomatch(cleaned, { dot: true, nocase });
    // A relative pattern without a slash (`*.pem`) should also match anywhere below the root, the
    // way `.gitignore` and VS Code's `files.exclude` users expect; `basename` matching does that.
    const bare = cleaned.filter((p) => !p.includes('/'));
    const byBase = bare.length > 0 ? picomatch(bare, { dot: true, basename: true, nocase }) : undefined;
    matcher = (path: string) => compiled(path) || (byBase !== undefined && byBase(path));
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, matcher);
  return matcher;
}

/**
 * True when `relativeOrAbsolutePath` matches any of `patterns`. Absolute paths are matched as they are
 * (so `**`-prefixed patterns work) and also by every suffix after a `/`, so that a workspace-relative
 * pattern like `config/secrets.json` excludes `/home/me/repo/config/secrets.json`.
 */
export function isExcludedPath(relativeOrAbsolutePath: string, patterns: readonly string[], options: ExcludeOptions = {}): boolean {
  if (patterns.length === 0) return false;
  const matcher = compile(patterns, options.ignoreCase ?? CASE_INSENSITIVE_FS);
  const path = normalisePath(relativeOrAbsolutePath);
  if (matcher(path)) return true;
  const trimmed = path.replace(/^\/+/, '');
  if (trimmed !== path && matcher(trimmed)) return true;
  for (let i = trimmed.indexOf('/'); i >= 0; i = trimmed.indexOf('/', i + 1)) {
    if (matcher(trimmed.slice(i + 1))) return true;
  }
  return false;
}
