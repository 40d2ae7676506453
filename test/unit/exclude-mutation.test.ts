import * as assert from 'node:assert/strict';
import { isExcludedPath, normalisePath } from '../../src/core/context/exclude';

/**
 * `redline.exclude` matching (src/core/context/exclude.ts): the path forms it must see through and the
 * pattern lists it must read as written. Found by mutation testing.
 */

describe('context/exclude (mutation)', () => {
  it('normalisePath strips only a leading drive letter and leading ./ segments', () => {
    assert.equal(normalisePath('./././x/.env'), 'x/.env');
    assert.equal(normalisePath('a/./b'), 'a/./b');
    assert.equal(normalisePath('x/a:/b'), 'x/a:/b');
    assert.equal(normalisePath('D:\\repo\\.env'), '/repo/.env');
  });

  it('a workspace-relative pattern matches the same path given from the root', () => {
    assert.equal(isExcludedPath('/src/generated/api.ts', ['src/generated/**'], { ignoreCase: false }), true);
  });

  it('patterns are trimmed, and blank ones match nothing', () => {
    assert.equal(isExcludedPath('x/.env', [' .env '], { ignoreCase: false }), true);
    assert.equal(isExcludedPath('a.ts', ['', '  '], { ignoreCase: false }), false);
    assert.equal(isExcludedPath('.env', ['', '.env'], { ignoreCase: false }), true);
  });

  it('two pattern lists that join to the same text are told apart', () => {
    assert.equal(isExcludedPath('ab', ['ab', 'c'], { ignoreCase: false }), true);
    assert.equal(isExcludedPath('ab', ['a', 'bc'], { ignoreCase: false }), false);
  });

  it('case: ignored only when asked', () => {
    assert.equal(isExcludedPath('config/.ENV', ['.env'], { ignoreCase: true }), true);
    assert.equal(isExcludedPath('config/.ENV', ['.env'], { ignoreCase: false }), false);
  });
});
