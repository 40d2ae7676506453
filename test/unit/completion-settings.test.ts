import * as assert from 'assert';
import { DEFAULT_COMPLETION_SETTINGS, isLanguageEnabled, readCompletionSettings, suggestionsOff } from '../../src/core/completion/settings';

describe('completion/settings', () => {
  it('falls back to defaults for missing or malformed values', () => {
    const s = readCompletionSettings((key) => ({ 'completion.mode': 'telepathy', 'completion.debounceMs': 'fast', 'completion.maxTokens': 1e9 } as Record<string, unknown>)[key]);
    assert.strictEqual(s.mode, DEFAULT_COMPLETION_SETTINGS.mode);
    assert.strictEqual(s.debounceMs, DEFAULT_COMPLETION_SETTINGS.debounceMs);
    assert.strictEqual(s.maxTokens, 1024);
  });

  it('reads valid values', () => {
    const values: Record<string, unknown> = {
      'completion.enabled': false,
      'completion.mode': 'fim-template',
      'completion.fimTemplate': 'codestral',
      'completion.model': ' codestral-latest ',
      'completion.debounceMs': 120,
      'completion.timeoutMs': 3000,
      'completion.customFimTemplate': 'no placeholders',
    };
    const s = readCompletionSettings((key) => values[key]);
    assert.deepStrictEqual(
      [s.enabled, s.mode, s.fimTemplate, s.model, s.debounceMs, s.timeoutMs, s.customFimTemplate],
      [false, 'fim-template', 'codestral', 'codestral-latest', 120, 3000, DEFAULT_COMPLETION_SETTINGS.customFimTemplate],
    );
  });

  it('per-language map: own entry, then "*", then on', () => {
    assert.strictEqual(isLanguageEnabled({ languages: { '*': false, python: true } }, 'python'), true);
    assert.strictEqual(isLanguageEnabled({ languages: { '*': false } }, 'go'), false);
    assert.strictEqual(isLanguageEnabled({ languages: {} }, 'go'), true);
    const s = readCompletionSettings((key) => (key === 'completion.languages' ? { markdown: true, go: false, bad: 'x' } : undefined));
    assert.strictEqual(isLanguageEnabled(s, 'markdown'), true);
    assert.strictEqual(isLanguageEnabled(s, 'go'), false);
    assert.strictEqual(isLanguageEnabled(s, 'plaintext'), false);
    assert.strictEqual(isLanguageEnabled(s, 'rust'), true);
  });

  it('says why suggestions are off: disabled, snoozed, language, excluded', () => {
    const s = DEFAULT_COMPLETION_SETTINGS;
    assert.strictEqual(suggestionsOff({ ...s, enabled: false }, 'go', { now: 0, excluded: false }), 'disabled');
    assert.strictEqual(suggestionsOff(s, 'go', { now: 10, snoozedUntil: 20, excluded: false }), 'snoozed');
    assert.strictEqual(suggestionsOff(s, 'go', { now: 30, snoozedUntil: 20, excluded: false }), undefined);
    assert.strictEqual(suggestionsOff(s, 'plaintext', { now: 0, excluded: false }), 'language');
    assert.strictEqual(suggestionsOff(s, 'go', { now: 0, excluded: true }), 'excluded');
  });
});
