/**
 * The rules of extractRewrite one by one: indentation helpers, block choice, unfenced code, repeated
 * context and refusals. Each row pins one decision so that a changed rule shows up as a failure here.
 */
import * as assert from 'node:assert/strict';
import {
  applyIndentPlan,
  commonIndent,
  convertIndentStyle,
  EXTRACT_MESSAGES,
  extractRewrite,
  indentBeforeSelection,
  indentStyle,
  indentUnit,
  leadingWhitespace,
  planIndent,
  type ExtractContext,
} from '../../src/core/edit/extract';

const F = '```';

describe('extract: indentation helpers', () => {
  it('leadingWhitespace and commonIndent', () => {
    assert.equal(leadingWhitespace(' \t x'), ' \t ');
    assert.equal(leadingWhitespace('x'), '');
    assert.equal(commonIndent(['    a', '  ', '    b', '      c']), '    ');
    assert.equal(commonIndent(['\t\ta', '\t b']), '\t');
    assert.equal(commonIndent(['  a', 'b', '  c']), '');
    assert.equal(commonIndent(['', ' ']), '');
    assert.equal(commonIndent([]), '');
  });

  it('indentStyle: the majority of indented lines, ties to tabs', () => {
    assert.equal(indentStyle(['a', '  b', '\tc', '  d']), 'spaces');
    assert.equal(indentStyle(['\ta', '  b']), 'tabs');
    assert.equal(indentStyle(['a', '   ', 'b']), undefined);
  });

  it('indentUnit: the most common step between indent widths, 2 to 8, smaller on ties', () => {
    assert.equal(indentUnit(['a', '  b', '    c', '      d']), 2);
    assert.equal(indentUnit(['a', '    b', '        c']), 4);
    assert.equal(indentUnit(['a', ' b']), undefined);
    assert.equal(indentUnit(['a', '   b', '      c', '          d', '              e']), 3);
    assert.equal(indentUnit(['a', '  b', '      c']), 2);
    assert.equal(indentUnit(['\tx', '\t\ty']), undefined);
    assert.equal(indentUnit(['a', '          b']), undefined);
    assert.equal(indentUnit(['a', '        b']), 8);
    // Widths in any order, repeated: steps are taken between the distinct widths, smallest first.
    assert.equal(indentUnit(['    a', '  b', '      c', '  d']), 2);
    // The first width counts as a step too; the most common step wins over it.
    assert.equal(indentUnit(['    a']), 4);
    assert.equal(indentUnit(['    a', '      b', '        c', '          d']), 2);
  });

  it('convertIndentStyle: tabs ↔ spaces by columns, inner whitespace untouched', () => {
    assert.deepEqual(convertIndentStyle(['\ta\tb', '\t\tc', 'd', '  \te'], 'spaces', 4), ['    a\tb', '        c', 'd', '    e']);
    assert.deepEqual(convertIndentStyle(['    a', '      b', '  c'], 'tabs', 4), ['\ta', '\t  b', '  c']);
    assert.deepEqual(convertIndentStyle(['\ta'], 'spaces', 2), ['  a']);
  });

  it('planIndent: converts the style and re-bases the common indent', () => {
    assert.deepEqual(planIndent(['a', '  b'], ['    a', '      b']), { style: undefined, from: '', to: '    ' });
    assert.deepEqual(planIndent(['\ta', '\t\tb'], ['  a', '    b']), { style: { to: 'spaces', unit: 2 }, from: '  ', to: '  ' });
    assert.deepEqual(planIndent(['  a', '    b'], ['\ta', '\t\tb']), { style: { to: 'tabs', unit: 2 }, from: '\t', to: '\t' });
    assert.deepEqual(planIndent(['\ta'], ['x'], ['y', '   z', '      w']), { style: { to: 'spaces', unit: 3 }, from: '   ', to: '' });
    assert.deepEqual(planIndent(['\ta'], ['x'], ['y', ' z']), { style: { to: 'spaces', unit: 4 }, from: '    ', to: '' });
    // No style known on one side: nothing is converted.
    assert.deepEqual(planIndent(['  a'], ['b']), { style: undefined, from: '  ', to: '' });
    assert.deepEqual(planIndent(['a'], ['\tb']), { style: undefined, from: '', to: '\t' });
  });

  it('applyIndentPlan', () => {
    assert.equal(applyIndentPlan('  a', { from: '  ', to: '\t' }), '\ta');
    assert.equal(applyIndentPlan('b', { from: '  ', to: '\t' }), 'b');
    assert.equal(applyIndentPlan('   ', { from: '  ', to: '\t' }), '   ');
    assert.equal(applyIndentPlan('  a', { from: '  ', to: '  ' }), '  a');
    assert.equal(applyIndentPlan('\ta', { style: { to: 'spaces', unit: 2 }, from: '', to: '    ' }), '      a');
  });

  it('indentBeforeSelection: only whitespace before the selection on its line', () => {
    assert.equal(indentBeforeSelection(undefined), '');
    assert.equal(indentBeforeSelection(''), '');
    assert.equal(indentBeforeSelection('x\n  '), '  ');
    assert.equal(indentBeforeSelection('x\n  y'), '');
    assert.equal(indentBeforeSelection('\t'), '\t');
  });
});

describe('extract: messages', () => {
  it('says each refusal in one sentence', () => {
    assert.deepEqual(EXTRACT_MESSAGES, {
      empty: 'The model returned an empty reply.',
      reasoningOnly: 'The model only reasoned and gave no answer.',
      noCode: 'The model replied without any code to apply.',
      unchanged: 'The model proposed no changes.',
      patchFailed: 'The model replied with a diff that does not apply to the selection.',
      noise: 'The reply does not look like code for the selection.',
    });
  });
});

describe('extract: rules', () => {
  const sel = 'function f() {\n  return 1;\n}\n';
  const rows: { name: string; reply: string; selection?: string; ctx?: Partial<ExtractContext>; text?: string; reason?: string }[] = [
    { name: 'a block identical to the selection loses to another', reply: `${F}\n${sel}${F}\n${F}\nfunction f() {\n  return 2;\n}\n${F}`, text: 'function f() {\n  return 2;\n}\n' },
    { name: 'only blocks identical to the selection: unchanged', reply: `${F}\n${sel}${F}\n${F}\n${sel}${F}`, reason: 'unchanged' },
    { name: 'of two like blocks, the longer wins', reply: `${F}\nfunction f() {\n  return 2;\n}\n${F}\n${F}\nfunction f() {\n  return 2 + 0;\n}\n${F}`, text: 'function f() {\n  return 2 + 0;\n}\n' },
    { name: 'a far less similar block loses even when longer', reply: `${F}\nfunction f() {\n  return 3;\n}\n${F}\n${F}\nconsole.log("a much longer line about something else entirely");\n${F}`, text: 'function f() {\n  return 3;\n}\n' },
    { name: 'empty blocks are skipped', reply: `${F}\n\n${F}\n${F}\nfunction f() {\n  return 4;\n}\n${F}`, text: 'function f() {\n  return 4;\n}\n' },
    { name: 'a double-wrapped block is unwrapped', reply: `~~~\n${F}js\nfunction f() {\n  return 5;\n}\n${F}\n~~~`, text: 'function f() {\n  return 5;\n}\n' },
    { name: 'a wrapper with more than the inner block is kept whole', reply: `~~~\nx();\n${F}js\ny();\n${F}\n~~~`, selection: 'x();\n', text: 'x();\n```js\ny();\n```\n' },
    { name: 'a selection holding a fence is never unwrapped', selection: '```sh\nls\n```\n', ctx: { languageId: 'markdown' }, reply: `~~~~\n${F}sh\nls -la\n${F}\n~~~~`, text: '```sh\nls -la\n```\n' },
    { name: 'two parts of the selection in two blocks are joined', selection: 'a = compute_first(x)\nb = compute_second(y)\n', reply: `${F}\na = compute_first(x, 1)\n${F}\n\n${F}\nb = compute_second(y, 2)\n${F}`, text: 'a = compute_first(x, 1)\n\nb = compute_second(y, 2)\n' },
    { name: 'four blocks are never joined (equal ones: the first)', selection: 'a1 = p(1)\na2 = p(2)\na3 = p(3)\na4 = p(4)\n', reply: [1, 2, 3, 4].map((i) => `${F}\na${i} = p(${i}0)\n${F}`).join('\n'), text: 'a1 = p(10)\n' },
    { name: 'three blocks may be joined', selection: 'a1 = p(1)\na2 = p(2)\na3 = p(3)\n', reply: [1, 2, 3].map((i) => `${F}\na${i} = p(${i}0)\n${F}`).join('\n'), text: 'a1 = p(10)\n\na2 = p(20)\n\na3 = p(30)\n' },
    { name: 'a bare language line alone is no code', reply: 'typescript', reason: 'noCode' },
    { name: 'a language line that is in the selection is code', selection: 'python\nx = 1\n', ctx: { languageId: 'makefile' }, reply: 'python\nx = 2\n', text: 'python\nx = 2\n' },
    { name: 'the document language counts as a language line', selection: 'x := 1\n', ctx: { languageId: 'hcl' }, reply: 'hcl\n\nx := 2\n', text: 'x := 2\n' },
    { name: 'prose language: only a preface with a colon is dropped, trailing text stays', selection: 'Old text.\n', ctx: { languageId: 'markdown' }, reply: 'Here is the text:\nNew text.\nThis is the end.', text: 'New text.\nThis is the end.\n' },
    { name: 'prose language: a sentence without a colon is the text', selection: 'Old text.\n', ctx: { languageId: 'Markdown' }, reply: 'Here is new text.', text: 'Here is new text.\n' },
    { name: 'inline backticks around a one-liner', selection: 'x + 1\n', reply: '`x + 2`', text: 'x + 2\n' },
    { name: 'inline backticks inside a longer reply stay', selection: 'a = `x`\nb()\n', reply: 'a = `y`\nb()\n', text: 'a = `y`\nb()\n' },
    { name: 'leading and trailing prose around unfenced code', reply: "Here's the fix:\n\nfunction f() {\n  return 6;\n}\n\nThis returns six now.", text: 'function f() {\n  return 6;\n}\n' },
    { name: 'a BOM is ignored', reply: '\uFEFF' + 'function f() {\n  return 7;\n}\n', text: 'function f() {\n  return 7;\n}\n' },
    { name: 'reasoning sent apart and an empty reply', reply: '  ', ctx: { reasoning: 'hm' }, reason: 'reasoningOnly' },
    { name: 'blank reasoning sent apart is no reasoning', reply: '', ctx: { reasoning: ' ' }, reason: 'empty' },
    { name: 'a closed reasoning block and nothing else', reply: '<think>hm</think>\n', reason: 'reasoningOnly' },
    { name: 'an empty reasoning block and nothing else', reply: '<think></think>', reason: 'empty' },
    { name: 'repeated context before: the line before the selection', ctx: { before: 'class A {\n', after: '\n}\n' }, reply: `${F}\nclass A {\nfunction f() {\n  return 8;\n}\n${F}`, text: 'function f() {\n  return 8;\n}\n' },
    { name: 'repeated context after: the lines after the selection', ctx: { before: '', after: '\nexport { f };\n' }, reply: `${F}\nfunction f() {\n  return 9;\n}\n\nexport { f };\n${F}`, text: 'function f() {\n  return 9;\n}\n' },
    { name: 'the selection’s own first line is not taken for context', selection: 'x = 1\ny = 2\n', ctx: { before: 'x = 1\n' }, reply: `${F}\nx = 1\ny = 3\n${F}`, text: 'x = 1\ny = 3\n' },
    { name: 'a before text without a final newline ends mid-line', selection: 'b()\nc()\n', ctx: { before: 'a()\nx = ' }, reply: `${F}\na()\nb()\nd()\n${F}`, text: 'b()\nd()\n' },
    { name: 'after text continuing the last line is not context', selection: 'a()\nb(', ctx: { after: '1)\nz()\n' }, reply: `${F}\na()\nb(2)\nz()\n${F}`, text: 'a()\nb(2)' },
    { name: 'a lone closing brace that unbalances the code goes', selection: '  a();\n', ctx: { before: 'if (x) {\n', after: '}\n' }, reply: `${F}\n  a();\n  b();\n}\n${F}`, text: '  a();\n  b();\n' },
    { name: 'a leading brace line that balances like the selection stays', selection: '{\n  a();\n}\n', ctx: { before: 'x = {\n' }, reply: `${F}\n{\n  b();\n}\n${F}`, text: '{\n  b();\n}\n' },
    { name: 'noise is refused', reply: 'import numpy as np\nx = np.zeros(3)\n', selection: 'function total(items) {\n  let sum = 0;\n  for (const item of items) sum += item.price;\n  return sum;\n}\n', reason: 'noise' },
    { name: 'a patch that applies is not judged as noise', selection: 'alpha_one = 1\nbeta_two = 2\ngamma_three = 3\ndelta_four = 4\n', reply: '<<<<<<< SEARCH\nalpha_one = 1\nbeta_two = 2\ngamma_three = 3\ndelta_four = 4\n=======\nx = {{{\n>>>>>>> REPLACE', text: 'x = {{{\n' },
    { name: 'a patch that applies to nothing left is empty', selection: 'a()\n', reply: '<<<<<<< SEARCH\na()\n=======\n\n>>>>>>> REPLACE', reason: 'empty' },
    { name: 'a reply with lone CR line endings', selection: 'a()\nb()\n', reply: 'a()\rc()\r', text: 'a()\nc()\n' },
    { name: 'a block equal to the selection but for blank lines counts as unchanged and loses', selection: 'alpha()\nbeta()\n', reply: `${F}\nalpha()\n\nbeta()\n${F}\n${F}\nalpha()\ngamma()\n${F}`, text: 'alpha()\ngamma()\n' },
    { name: 'an indented fence in the selection is a fence', selection: '  ```sh\n  ls\n  ```\n', ctx: { languageId: 'markdown' }, reply: `~~~~\n  ${F}sh\n  ls -la\n  ${F}\n~~~~`, text: '  ```sh\n  ls -la\n  ```\n' },
    { name: 'a selection line starting with a backtick is no fence', selection: '`x` is y\n', ctx: { languageId: 'markdown' }, reply: `~~~~\n${F}\n\`x\` is z\n${F}\n~~~~`, text: '`x` is z\n' },
    { name: 'a sentence that is in the selection is code', selection: "'''\nThis function returns the total price.\n'''\n", ctx: { languageId: 'python' }, reply: "This function returns the total price.\n'''\n", text: "This function returns the total price.\n'''\n" },
    { name: 'prose language: a preface that is in the selection stays', selection: 'Here is the list:\n- a\n', ctx: { languageId: 'markdown' }, reply: 'Here is the list:\n- a\n- b\n', text: 'Here is the list:\n- a\n- b\n' },
    { name: 'prose language: a preface without a colon stays', selection: 'Old.\n', ctx: { languageId: 'markdown' }, reply: 'Here it is\nNew.\n', text: 'Here it is\nNew.\n' },
    { name: 'two inline code spans on one line are not unwrapped', selection: 'a + b\n', reply: '`a` + `c`', text: '`a` + `c`\n' },
    { name: 'after context equal to the selection’s own last line stays', selection: 'x = 1\ny = 2\n', ctx: { after: 'y = 2\nz = 3\n' }, reply: `${F}\nx = 3\ny = 2\n${F}`, text: 'x = 3\ny = 2\n' },
    { name: 'a two-line reply drops a repeated line before', selection: 'foo()\n', ctx: { before: 'class A {\n' }, reply: `${F}\nclass A {\nbar()\n${F}`, text: 'bar()\n' },
    { name: 'a reply that is only the context is kept', selection: 'c()\n', ctx: { before: 'a()\nb()\n' }, reply: `${F}\na()\nb()\n${F}`, text: 'a()\nb()\n' },
    { name: 'a lone closing paren that unbalances the code goes', selection: '  a,\n', ctx: { before: 'f(\n', after: ')\n' }, reply: `${F}\n  a,\n  b,\n)\n${F}`, text: '  a,\n  b,\n' },
    { name: 'a lone closing bracket that unbalances the code goes', selection: '  1,\n', ctx: { before: 'x = [\n', after: ']\n' }, reply: `${F}\n  1,\n  2,\n]\n${F}`, text: '  1,\n  2,\n' },
    { name: 'a leading opening paren line that balances stays', selection: '(\n  a\n)\n', ctx: { before: 'g(\n' }, reply: `${F}\n(\n  b\n)\n${F}`, text: '(\n  b\n)\n' },
    { name: 'a patch result keeps the selection’s leading blank line once', selection: '\nx = 1\n', reply: '<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE', text: '\nx = 2\n' },
    { name: 'a whitespace-only selection without a final newline', selection: ' \n ', reply: `${F}\nx()\n${F}`, text: 'x()' },
    { name: 'an insertion after text on the line ends without a newline', selection: '', ctx: { before: 'a();', after: 'b();\n' }, reply: `${F}\nx();\n${F}`, text: 'x();' },
    { name: 'an insertion at the end of the text', selection: '', ctx: { before: 'a();\n', after: '' }, reply: `${F}\nx();\n${F}`, text: 'x();' },
    { name: 'a mid-line selection keeps the next lines at the line’s indent', selection: 'a;\n', ctx: { before: '  x = ' }, reply: `${F}\nb;\nc;\n${F}`, text: 'b;\n  c;\n' },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const result = extractRewrite(row.reply, { selection: row.selection ?? sel, ...row.ctx });
      if (row.reason) assert.deepEqual(result, { ok: false, reason: row.reason, message: EXTRACT_MESSAGES[row.reason as keyof typeof EXTRACT_MESSAGES] });
      else assert.deepEqual(result, { ok: true, text: row.text });
    });
  }
});
