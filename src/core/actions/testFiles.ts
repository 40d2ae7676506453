/**
 * Where the tests of a source file obviously live. Write Tests appends to the first candidate that
 * exists; when none does, the tests open in a new editor (named after the first candidate).
 * Paths are `/`-separated, absolute or relative alike; the result keeps the form it was given.
 */

const JS_LIKE = /\.(tsx?|jsx?|mts|cts|mjs|cjs)$/;

/** True when the path already names a test file (then there is nowhere else to put its tests). */
export function isTestFile(path: string): boolean {
  const name = basename(path);
  return (
    /\.(test|spec)\.[A-Za-z0-9]+$/.test(name) ||
    /^test_.+\.py$/.test(name) ||
    /_test\.(py|go|rb|exs?)$/.test(name) ||
    /_spec\.rb$/.test(name) ||
    /Tests?\.(java|kt|cs|scala|swift)$/.test(name) ||
    path.split('/').includes('__tests__')
  );
}

/** Candidate test files for `sourcePath`, most obvious first; empty for a test file itself. */
export function testFileCandidates(sourcePath: string): string[] {
  return [...new Set(candidatesFor(sourcePath))];
}

function candidatesFor(sourcePath: string): string[] {
  const path = sourcePath.replace(/\\/g, '/');
  if (isTestFile(path)) return [];
  const dir = dirname(path);
  const name = basename(path);
  const join = (...parts: string[]) => {
    const joined = parts.filter((p) => p !== '').join('/');
    return dir === '/' && joined.startsWith('//') ? joined.slice(1) : joined;
  };

  const js = JS_LIKE.exec(name);
  if (js) {
    const ext = js[1];
    const stem = name.slice(0, -ext.length - 1);
    const candidates = [
      join(dir, `${stem}.test.${ext}`),
      join(dir, `${stem}.spec.${ext}`),
      join(dir, '__tests__', `${stem}.test.${ext}`),
      join(dir, '__tests__', `${stem}.spec.${ext}`),
      join(dir, '__tests__', `${stem}.${ext}`),
    ];
    // src/a/foo.ts → test/a/foo.test.ts and tests/a/foo.test.ts (a test folder beside src/).
    const srcAt = path.startsWith('src/') ? 0 : path.lastIndexOf('/src/') >= 0 ? path.lastIndexOf('/src/') + 1 : -1;
    if (srcAt >= 0) {
      const root = path.slice(0, srcAt);
      const inner = path.slice(srcAt + 'src/'.length, path.length - name.length);
      for (const folder of ['test', 'tests']) candidates.push(`${root}${folder}/${inner}${stem}.test.${ext}`);
    }
    return candidates;
  }
  if (name.endsWith('.py')) {
    const stem = name.slice(0, -3);
    if (stem === '__init__') return [];
    return [join(dir, `test_${stem}.py`), join(dir, `${stem}_test.py`), join(dir, 'tests', `test_${stem}.py`), join(dirname(dir), 'tests', `test_${stem}.py`)];
  }
  if (name.endsWith('.go')) return [join(dir, `${name.slice(0, -3)}_test.go`)];
  if (name.endsWith('.rb')) {
    const stem = name.slice(0, -3);
    return [join(dir, `${stem}_spec.rb`), join(dir, `${stem}_test.rb`)];
  }
  const jvm = /\.(java|kt|scala)$/.exec(name);
  if (jvm) {
    const stem = name.slice(0, -jvm[0].length);
    const candidates = [join(dir, `${stem}Test${jvm[0]}`)];
    const main = path.lastIndexOf('/src/main/');
    if (main >= 0 || path.startsWith('src/main/')) {
      const at = main >= 0 ? main + 1 : 0;
      candidates.unshift(path.slice(0, at) + 'src/test/' + path.slice(at + 'src/main/'.length, -name.length) + `${stem}Test${jvm[0]}`);
    }
    return candidates;
  }
  if (name.endsWith('.cs')) return [join(dir, `${name.slice(0, -3)}Tests.cs`)];
  return [];
}

/** A name for a new test file when none exists (e.g. for an untitled editor's title), or undefined. */
export function suggestedTestFile(sourcePath: string): string | undefined {
  return testFileCandidates(sourcePath)[0];
}

function basename(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? path.slice(slash + 1) : path;
}

function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  if (slash < 0) return '';
  return slash === 0 ? '/' : path.slice(0, slash);
}
