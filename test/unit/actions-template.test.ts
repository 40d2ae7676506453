import * as assert from 'assert';
import fc from 'fast-check';
import { fillTemplate, templateVariables, TEMPLATE_VARIABLES, unknownVariables } from '../../src/core/actions/template';

describe('actions: template filling', () => {
  const values = { selection: 'let x = 1;', language: 'typescript', filePath: 'src/a.ts', diagnostics: '- line 1: error: x', input: 'be brief' };

  it('fills every variable, with or without spaces inside the braces', () => {
    assert.strictEqual(
      fillTemplate('{{selection}}|{{ language }}|{{filePath}}|{{  diagnostics}}|{{input }}', values),
      'let x = 1;|typescript|src/a.ts|- line 1: error: x|be brief',
    );
  });

  it('fills a variable used several times', () => {
    assert.strictEqual(fillTemplate('{{language}} and {{language}}', values), 'typescript and typescript');
  });

  it('never expands placeholders that arrive inside values', () => {
    const filled = fillTemplate('A: {{selection}} B: {{input}}', { selection: 'const s = "{{input}}";', input: 'use {{selection}} {{language}}', language: 'go' });
    assert.strictEqual(filled, 'A: const s = "{{input}}"; B: use {{selection}} {{language}}');
  });

  it('inserts values verbatim: no $& / $1 / $$ replacement patterns', () => {
    const selection = "s.replace(/(a)/, '$1$&$$') + $` + $'";
    assert.strictEqual(fillTemplate('[{{selection}}]', { selection }), `[${selection}]`);
  });

  it('leaves unknown placeholders and variables without a value as written', () => {
    assert.strictEqual(fillTemplate('{{selecton}} {{input}} {{ }} {{a{{selection}}}}', { selection: 'S' }), '{{selecton}} {{input}} {{ }} {{aS}}');
  });

  it('fills each known placeholder exactly once whatever the values hold (property)', () => {
    const piece = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('{{', '}}', '{{selection}}', '{{input}}', '$&', '$1', '{', '}'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), fc.array(piece, { maxLength: 8 }), (selectionParts, inputParts) => {
        const selection = selectionParts.join('');
        const input = inputParts.join('');
        assert.strictEqual(fillTemplate('<{{selection}}>(\n{{input}}\n)', { selection, input }), `<${selection}>(\n${input}\n)`);
      }),
    );
  });

  it('lists variables in order of first use and finds the unknown ones with likely corrections', () => {
    assert.deepStrictEqual(templateVariables('{{input}} {{selection}} {{input}} {{ foo }}'), ['input', 'selection', 'foo']);
    assert.deepStrictEqual(unknownVariables('{{selecton}} {{filepath}} {{Language}} {{diagnostic}} {{code}} {{selection}}'), [
      { name: 'selecton', suggestion: 'selection' },
      { name: 'filepath', suggestion: 'filePath' },
      { name: 'Language', suggestion: 'language' },
      { name: 'diagnostic', suggestion: 'diagnostics' },
      { name: 'code' },
    ]);
    assert.deepStrictEqual(unknownVariables(TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(' ')), []);
  });
});
