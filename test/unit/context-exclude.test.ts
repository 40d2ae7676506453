import * as assert from 'assert';
import fc from 'fast-check';
import { isExcludedPath, normalisePath } from '../../src/core/context/exclude';
import { DEFAULT_EXCLUDE, effectiveExclude } from '../../src/core/config';

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
    ['.envrc', defaults],
    ['config/production.env', defaults],
    ['.ssh/id_ecdsa', defaults],
    ['home/me/.ssh/id_ed25519', defaults],
    ['/home/me/.aws/credentials', defaults],
    ['.git-credentials', defaults],
    ['/home/me/.docker/config.json', defaults],
    ['/home/me/.kube/config', defaults],
    ['deploy/kubeconfig', defaults],
    ['infra/prod.tfvars', defaults],
    ['infra/terraform.tfstate', defaults],
    ['infra/terraform.tfstate.backup', defaults],
    ['gcp/credentials.json', defaults],
    ['android/release.jks', defaults],
    ['keys/server.ppk', defaults],
    ['public/.htpasswd', defaults],
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
    ['src/credentials.ts', defaults],
    ['docs/config.json', defaults],
    ['src/kube/config.ts', defaults],
    ['src/environment.env.ts', defaults],
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

  it('ignores case where the file system does, and only there', () => {
    for (const path of ['.ENV', 'Config/.Env.Local', 'certs/SERVER.PEM', '.SSH/ID_RSA', 'Secrets.JSON', 'C:\\Users\\me\\.AWS\\Credentials']) {
      assert.strictEqual(isExcludedPath(path, defaults, { ignoreCase: true }), true, path);
      assert.strictEqual(isExcludedPath(path, defaults, { ignoreCase: false }), false, path);
    }
    assert.strictEqual(isExcludedPath('Src/Generated/api.ts', ['src/generated/**'], { ignoreCase: true }), true);
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

describe('config: effectiveExclude', () => {
  it('a workspace may add patterns but never remove the defaults or the user\'s', () => {
    assert.deepStrictEqual(effectiveExclude({ workspace: [] }), [...DEFAULT_EXCLUDE]);
    assert.deepStrictEqual(effectiveExclude({ user: ['**/*.secret'], workspace: [] }), ['**/*.secret']);
    assert.deepStrictEqual(effectiveExclude({ workspace: ['fixtures/**'] }), [...DEFAULT_EXCLUDE, 'fixtures/**']);
    assert.deepStrictEqual(effectiveExclude({ user: ['a/**'], workspace: ['b/**', 'a/**'], workspaceFolder: ['c/**'] }), ['a/**', 'b/**', 'c/**']);
  });

  it('the user may replace the defaults; junk values are ignored', () => {
    assert.deepStrictEqual(effectiveExclude({ user: [] }), []);
    assert.deepStrictEqual(effectiveExclude({ user: 'not a list', workspace: [3, '', 'x/**'] }), [...DEFAULT_EXCLUDE, 'x/**']);
  });

  it('whatever a workspace sets, every file the defaults exclude stays excluded (property)', () => {
    const pattern = fc.oneof(fc.constantFrom('', '**', '!**/.env', '**/*.ts'), fc.stringMatching(/^[a-z*/.!]{0,12}$/));
    fc.assert(
      fc.property(fc.option(fc.array(pattern, { maxLength: 4 })), (workspace) => {
        const patterns = effectiveExclude({ workspace });
        for (const path of ['.env', 'a/id_rsa', 'x/.aws/credentials']) assert.strictEqual(isExcludedPath(path, patterns, { ignoreCase: false }), true, path);
      }),
    );
  });
});
