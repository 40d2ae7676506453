import * as assert from 'assert';
import fc from 'fast-check';
import { isExcludedPath, normalisePath } from '../../src/core/context/exclude';
import { DEFAULT_EXCLUDE } from '../../src/core/config';

describe('context/exclude: isExcludedPath', () => {
  const defaults = [...DEFAULT_EXCLUDE];

  const excluded: [string, string[]][] = [
    ['.env', defaults],
    ['.env.local', defaults],
    ['config/.env.production', defaults],
    ['/home/me/repo/.env', defaults],
    ['C:\\Users\\me\\repo\\.env', defaults],
    ['certs\\server.pem', defaults],
    ['deploy/tls/server.key', defaults],
    ['.ssh/id_rsa', defaults],
    ['.ssh/id_ed25519.pub', defaults],
    ['home/.npmrc', defaults],
    ['config/secrets.json', defaults],
    ['a/b/c/.hidden/inner.pfx', defaults],
    ['src/generated/api.ts', ['src/generated/**']],
    ['/abs/repo/src/generated/api.ts', ['src/generated/**']],
    ['deep/nested/x.secret', ['*.secret']],
    ['.github/workflows/release.yml', ['**/release.yml']],
    ['./local/.env', defaults],
  ];
  const kept: [string, string[]][] = [
    ['src/env.ts', defaults],
    ['src/environment.ts', defaults],
    ['docs/keys.md', defaults],
    ['src/keyboard.ts', defaults],
    ['src/secretsManager.ts', defaults],
    ['test/pem-parser.test.ts', defaults],
    ['src/generated.ts', ['src/generated/**']],
    ['README.md', []],
    ['.env', []],
  ];

  for (const [path, patterns] of excluded) {
    it(`excludes ${path} with ${patterns.length === defaults.length ? 'defaults' : JSON.stringify(patterns)}`, () => {
      assert.strictEqual(isExcludedPath(path, patterns), true);
    });
  }
  for (const [path, patterns] of kept) {
    it(`keeps ${path} with ${patterns.length === defaults.length ? 'defaults' : JSON.stringify(patterns)}`, () => {
      assert.strictEqual(isExcludedPath(path, patterns), false);
    });
  }

  it('does not depend on the separator style (property)', () => {
    const segment = fc.stringMatching(/^[a-z.][a-z0-9._-]{0,8}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        const posix = segments.join('/');
        const windows = segments.join('\\');
        assert.strictEqual(isExcludedPath(windows, defaults), isExcludedPath(posix, defaults));
      }),
    );
  });

  it('an absolute path is excluded whenever its relative path is (property)', () => {
    const segment = fc.stringMatching(/^[a-z.][a-z0-9._-]{0,8}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.array(segment, { minLength: 1, maxLength: 3 }), (rel, root) => {
        const relative = rel.join('/');
        if (isExcludedPath(relative, defaults)) {
          assert.strictEqual(isExcludedPath('/' + root.join('/') + '/' + relative, defaults), true);
        }
      }),
    );
  });

  it('normalises Windows paths', () => {
    assert.strictEqual(normalisePath('C:\\a\\b\\.env'), '/a/b/.env');
    assert.strictEqual(normalisePath('./a//b'), 'a/b');
  });

  it('gives the same answers when the pattern list changes between calls (cache per list)', () => {
    assert.strictEqual(isExcludedPath('a/b.log', ['**/*.log']), true);
    assert.strictEqual(isExcludedPath('a/b.log', ['**/*.txt']), false);
    assert.strictEqual(isExcludedPath('a/b.log', ['**/*.log']), true);
  });
});
