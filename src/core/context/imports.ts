/**
 * Files the code before the cursor imports, from its import statements (relative ES/CommonJS
 * specifiers, Python modules). Retrieval prefers them: what a file imports is what it uses.
 */

const ES_IMPORT = /(?:\bfrom\s+|\bimport\s+|\brequire\(\s*|\bimport\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
const PY_FROM = /^\s*from\s+(\.*[A-Za-z_][\w.]*|\.+)\s+import\b/gm;
const PY_IMPORT = /^\s*import\s+([A-Za-z_][\w.]*)/gm;

const JS_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '/index.ts', '/index.js'];

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** Resolves `a/b/../c` and `./x` segments. */
function normalise(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}

/** Workspace-relative candidates for the files `prefix` imports (some may not exist). */
export function importedPaths(prefix: string, currentPath: string, maxChars = 20_000): Set<string> {
  const head = prefix.length > maxChars ? prefix.slice(0, maxChars) : prefix;
  const dir = dirname(currentPath);
  const out = new Set<string>();
  for (const m of head.matchAll(ES_IMPORT)) {
    const base = normalise(`${dir}/${m[1]}`);
    if (/\.[cm]?[jt]sx?$/.test(base)) out.add(base.replace(/\.js$/, '.ts')).add(base);
    else for (const ext of JS_EXTENSIONS) out.add(base + ext);
  }
  const python = (module: string) => {
    const dots = /^\.*/.exec(module)![0].length;
    const rest = module.slice(dots).split('.').filter(Boolean).join('/');
    let root = '';
    if (dots > 0) {
      root = dir;
      for (let i = 1; i < dots; i++) root = dirname(root);
    }
    const base = normalise(root ? `${root}/${rest}` : rest);
    if (base) out.add(`${base}.py`).add(`${base}/__init__.py`);
  };
  for (const m of head.matchAll(PY_FROM)) python(m[1]);
  for (const m of head.matchAll(PY_IMPORT)) python(m[1]);
  return out;
}
