import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { APPLICATION_SCOPED, chooseApiKey, DEFAULT_EXCLUDE } from '../../src/core/config';
import { SECTION } from '../../src/core/names';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const properties: Record<string, { scope?: string; default?: unknown }> = Object.assign(
  {},
  ...[manifest.contributes.configuration].flat().map((c: { properties: object }) => c.properties),
);

describe('config: what a workspace may set', () => {
  it('every user-only setting is declared application scope, so VS Code ignores it in a workspace too', () => {
    for (const key of APPLICATION_SCOPED) assert.strictEqual(properties[`${SECTION}.${key}`]?.scope, 'application', key);
  });

  it('the settings package.json declares application scope are exactly the ones read from user settings only', () => {
    const declared = Object.keys(properties).filter((k) => properties[k].scope === 'application').map((k) => k.slice(SECTION.length + 1));
    assert.deepStrictEqual([...declared].sort(), [...APPLICATION_SCOPED].sort());
  });

  it('every model, every endpoint setting, the token limits and the prices are user-only (a routing gateway bills a costlier model for the same request)', () => {
    const keys = Object.keys(properties).map((k) => k.slice(SECTION.length + 1));
    const costly = keys.filter((k) => /(?:^|\.)model$|^endpoint\.|^pricing\.(?:input|output)|maxTokens$|reasoningTokens$|contextWindowTokens$/.test(k));
    assert.ok(costly.includes('nextEdit.model') && costly.includes('completion.model') && costly.includes('chat.model'), costly.join());
    for (const key of costly) assert.ok(APPLICATION_SCOPED.includes(key), key);
  });

  it('package.json shows the same default exclude list as the code uses', () => {
    assert.deepStrictEqual(properties[`${SECTION}.exclude`].default, [...DEFAULT_EXCLUDE]);
  });
});

describe('config: chooseApiKey', () => {
  it('the stored key wins', () => {
    assert.strictEqual(chooseApiKey({ stored: 'stored', environment: 'env', userBaseUrl: 'https://api.openai.com/v1' }), 'stored');
    assert.strictEqual(chooseApiKey({ stored: 'stored' }), 'stored');
  });

  it('OPENAI_API_KEY goes only to a base URL the user set', () => {
    assert.strictEqual(chooseApiKey({ environment: 'env', userBaseUrl: 'https://api.openai.com/v1' }), 'env');
    assert.strictEqual(chooseApiKey({ environment: 'env' }), undefined, 'the default local URL gets no key');
    assert.strictEqual(chooseApiKey({ environment: 'env', userBaseUrl: '  ' }), undefined);
    assert.strictEqual(chooseApiKey({ environment: 'env', userBaseUrl: 42 }), undefined);
    assert.strictEqual(chooseApiKey({ environment: '', userBaseUrl: 'https://x/v1' }), undefined);
  });
});
