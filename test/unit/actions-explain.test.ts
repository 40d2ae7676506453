import * as assert from 'assert';
import { isPersistedThread, parseFromWebview, type PersistedThread } from '../../src/core/actions/explainProtocol';

describe('actions: Explain panel protocol', () => {
  it('accepts the messages the panel sends', () => {
    assert.deepStrictEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
    assert.deepStrictEqual(parseFromWebview({ type: 'stop', extra: 1 }), { type: 'stop' });
    assert.deepStrictEqual(parseFromWebview({ type: 'ask', text: 'Why?' }), { type: 'ask', text: 'Why?' });
    assert.deepStrictEqual(parseFromWebview({ type: 'copy', blockId: 't0-b1' }), { type: 'copy', blockId: 't0-b1' });
    assert.deepStrictEqual(parseFromWebview({ type: 'apply', blockId: 't2-b0', command: 'x' }), { type: 'apply', blockId: 't2-b0' });
    assert.deepStrictEqual(parseFromWebview({ type: 'openLink', href: 'https://example.com' }), { type: 'openLink', href: 'https://example.com' });
  });

  it('rejects anything else', () => {
    for (const raw of [
      null,
      'ask',
      [],
      {},
      { type: 'eval', code: 'x' },
      { type: 'ask' },
      { type: 'ask', text: '   ' },
      { type: 'ask', text: 'x'.repeat(20_001) },
      { type: 'copy', blockId: 3 },
      { type: 'apply', blockId: 'b'.repeat(65) },
      { type: 'openLink', href: { toString: () => 'https://x' } },
    ]) {
      assert.strictEqual(parseFromWebview(raw), undefined, JSON.stringify(raw));
    }
  });

  const thread: PersistedThread = {
    version: 1,
    title: 'Explain',
    firstPrompt: 'Explain this',
    source: { uri: 'file:///w/a.ts', range: [1, 0, 3, 1], offset: 10, text: 'x', languageId: 'typescript', filePath: 'a.ts' },
    turns: [{ question: 'Explain', answer: 'It is x.' }, { question: 'Why?', answer: '', stopped: true }],
  };

  it('restores a saved thread', () => {
    assert.ok(isPersistedThread(thread));
    assert.ok(isPersistedThread({ ...thread, source: undefined }));
  });

  it('refuses a saved state of another shape', () => {
    const broken: unknown[] = [
      undefined,
      { ...thread, version: 2 },
      { ...thread, turns: 'x' },
      { ...thread, turns: [{ question: 'q' }] },
      { ...thread, turns: [{ question: 'q', answer: 'a', error: 5 }] },
      { ...thread, source: { ...thread.source, range: [1, 2, 3] } },
      { ...thread, source: { ...thread.source, offset: '10' } },
      { ...thread, source: { ...thread.source, filePath: undefined } },
      { ...thread, firstPrompt: null },
    ];
    for (const state of broken) assert.strictEqual(isPersistedThread(state), false, JSON.stringify(state));
  });
});
