import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { extractRewrite } from '../../src/core/edit/extract';
import { bracketBalance, implausibleCode, isLanguageTagLine, isProseLine, PREFACE } from '../../src/core/reply';

/**
 * The judgement of a model's reply, line by line (src/core/reply/prose.ts) and as a whole
 * (src/core/reply/plausible.ts): the lines models write around code, the code lines that look like
 * words, and the thresholds of each noise check, each on both sides of its edge.
 */

describe('reply judgement: prose lines', () => {
  const rows: [string, string, boolean][] = [
    // Prefaces and closings models write around the code.
    ['a preface', 'Here is the updated code:', true],
    ['an indented preface', '   Here is the updated code:', true],
    ['"Ok," opens a reply', 'Ok, done.', true],
    ['"Changes" with an arrow in it', 'Changes: renamed a -> b', true],
    ['"Sorry" with code in it', 'Sorry, x = 1 does not compile', true],
    ["\"I'm sorry\" with code in it", "I'm sorry, x = 1 does not compile", true],
    ['a heading with two spaces', '##  Changes', true],
    ['a bold label', '**Explanation:**', true],
    ['a short closing sentence', 'Fixed the typo.', true],
    ['six words without a full stop', 'Returns the sum of all prices', true],
    ['a numbered point', '1. renamed the loop variable to total', true],
    ['a numbered point past nine', '12. renamed the loop variable to total', true],
    ['a dash bullet', '- renamed the loop variable to total', true],
    ['inline code with a call in it', 'Call `items.reduce()` to sum the list.', true],
    ['inline code words', 'Rename `a` to `b`.', true],
    ['nine letters in ten is enough', 'Add 2 more to row 9.', true],
    // Code that has a word or a preface inside it, but not at the start.
    ['a call whose name ends in "sure"', 'ensure(value);', false],
    ['"okra" is not "ok,"', 'okra is a vegetable we grow', false],
    ['a comment with a heading mark after code', 'x = 1  ## trailing note', false],
    ['bold text after code', 'x = **bold**', false],
    ['bold text before code', '**Note** x = 1;', false],
    ['a case label', 'case Red:', false],
    ['a capitalised loop label', 'Outer: for (const row of rows) {', false],
    ['a shell echo with a dash', 'echo done - see the log for the details', false],
    ['a removed Python line in a diff', '-    return total if items else none', false],
    ['a Tcl puts with a capitalised string', 'puts "Hello World from the script"', false],
    ['a VB declaration with dots', 'Dim items As System.Collections.ArrayList', false],
    ['COBOL: two words and a full stop', '    STOP RUN.', false],
    ['five words without a full stop', 'Returns the sum of prices', false],
    ['mostly digits', 'Version 1.2.3 was released in 2024.', false],
    ['a blank line', '   ', false],
  ];
  for (const [name, line, prose] of rows) it(`${name}: ${JSON.stringify(line)} → ${prose}`, () => assert.equal(isProseLine(line), prose));

  it('a line that is in the selection is never prose, whatever it reads like', () => {
    assert.equal(isProseLine('Here is the updated code:'), true);
    assert.equal(isProseLine('  Here is the updated code:  ', new Set(['Here is the updated code:'])), false);
    assert.equal(isProseLine('Here is the updated code:', new Set(['x = 1'])), true);
  });

  it('PREFACE matches only at the start of a line', () => {
    assert.equal(PREFACE.test('Sure, here it is'), true);
    assert.equal(PREFACE.test('measure(here)'), false);
  });

  it('property: a code line (keyword or a symbol of syntax) never reads as prose', () => {
    const word = fc.constantFrom('total', 'items', 'price', 'Sum', 'The', 'value', 'Count', 'list');
    const sentence = fc.array(word, { minLength: 3, maxLength: 9 }).map((ws) => ws.join(' '));
    const symbol = fc.constantFrom(' = 0;', ' {', '();', ' => x', ' && y', '[0]', ' -> int');
    fc.assert(
      fc.property(sentence, symbol, fc.constantFrom('', '  ', '\t'), (s, sym, indent) => {
        assert.equal(isProseLine(indent + s + sym), false);
        assert.equal(isProseLine(`${indent}return ${s}.`), false);
      }),
    );
  });
});

describe('reply judgement: language tag lines', () => {
  for (const name of ['cpp', 'Bash', 'dockerfile:', 'objective-c', 'YAML', 'c#']) {
    it(`${JSON.stringify(name)} is a language name`, () => assert.equal(isLanguageTagLine(name), true));
  }
  it('the document language counts, in any case; other words do not', () => {
    assert.equal(isLanguageTagLine('Terraform', 'terraform'), true);
    assert.equal(isLanguageTagLine('terraform'), false);
    assert.equal(isLanguageTagLine('main:'), false);
  });
});

describe('reply judgement: plausible code for the selection', () => {
  const sel = ['function total(items) {', '  let sum = 0;', '  for (const item of items) sum += item.price;', '  return sum;', '}'];
  const judge = (code: string[], selection: string[] = sel) => implausibleCode(code, selection);

  it('half of the lines prose is not yet a prose reply; more than half is', () => {
    const fix = 'return items.reduce((s, i) => s + i.price, 0);';
    assert.equal(judge(['Here is the fix:', fix]), undefined);
    assert.deepEqual(judge(['Here is the fix:', 'It sums the prices.', fix]), { why: 'prose', detail: '2 of 3 lines read as sentences' });
  });

  it('editing the sentences of a docstring (the selection’s own lines) is not prose noise', () => {
    const docstring = [
      '    Add up the prices of all the items in the cart.',
      '    Discounts are applied before the taxes are added.',
      '    Returns the total as a plain number.',
    ];
    const reply = [docstring[0], '    Discounts are applied before taxes are added.', docstring[2]];
    assert.equal(implausibleCode(reply, [...docstring, '']), undefined);
    // The same reply for a selection of code is prose.
    assert.equal(judge(reply)?.why, 'prose');
  });

  it('words without syntax: six or more words over lines, counted across line ends and indentation', () => {
    assert.deepEqual(judge(['the items price', 'sum total loop']), { why: 'prose', detail: 'words without any syntax' });
    assert.equal(judge(['the items price', 'sum total']), undefined);
    assert.equal(judge(['    total items price sum loop']), undefined);
  });

  it('words without syntax are fine for a selection of bare words, not for one with any syntax', () => {
    const words = ['apple banana cherry date', 'elderberry fig grape'];
    assert.equal(implausibleCode(words, ['apple banana cherry', 'date elderberry fig']), undefined);
    assert.equal(implausibleCode(words, ['fruits = [', '', ']'])?.why, 'prose');
    assert.equal(implausibleCode(words, ['apple banana', 'cherry;'])?.why, 'prose');
  });

  it('brackets: off by three is too far, off by two is not', () => {
    const cut = ['function total(items) {', '  if (items.length) {', '    for (const item of items) {', '      sum += item.price;'];
    assert.deepEqual(judge(cut), { why: 'brackets', detail: 'brackets are off by 3 compared with the selection' });
    assert.equal(judge(cut.slice(0, 3).concat('      sum += item.price; }')), undefined);
  });

  it('brackets: a selection of block openings rewritten as block openings is balanced alike', () => {
    const opening = ['function render(rows) {', '  if (rows.length) {', '    for (const row of rows) {'];
    const reply = ['function render(rows) {', '  if (rows.length > 0) {', '    for (const row of rows) {'];
    assert.equal(implausibleCode(reply, opening), undefined);
  });

  it('repetition: one token over half of 24 or more', () => {
    const loop = Array.from({ length: 8 }, () => 'total total;');
    assert.deepEqual(judge(loop), { why: 'repetition', detail: 'one token is 67% of the reply' });
    assert.equal(judge(loop.slice(1)), undefined, '21 tokens are too few to judge');
    assert.equal(judge(Array.from({ length: 12 }, () => 'total;')), undefined, 'exactly half is not a loop');
  });

  it('repetition: a word a line, and a run of semicolons, are loops', () => {
    assert.equal(judge(['sum = 0', ...Array.from({ length: 24 }, () => 'sum')])?.why, 'repetition');
    assert.deepEqual(implausibleCode(['x = 1' + ';'.repeat(30)], ['x = 1']), { why: 'repetition', detail: 'one token is 91% of the reply' });
  });

  it('repetition: round numbers are one token each, not a loop of zeros', () => {
    assert.equal(implausibleCode(['x = [1000, 2000, 3000, 4000, 5000, 6000]'], ['x = [1, 2, 3]']), undefined);
  });

  it('identifiers: keeping one of six names is too few; one of five is enough', () => {
    const six = ['const area = width * height;', 'const scaled = area * scale;', 'draw(scaled);'];
    assert.deepEqual(implausibleCode(['const y = width + 1;'], six), { why: 'identifiers', detail: "it keeps 1 of the selection's 6 names" });
    const five = ['const area = width * height;', 'draw(area * scale);'];
    assert.equal(implausibleCode(['const y = width + 1;'], five), undefined);
  });

  it('identifiers: keywords do not count as names, and four names are enough to judge', () => {
    const sel4 = ['def area(self):', '    width = self.width', '    return width * self.height * scale'];
    assert.deepEqual(implausibleCode(['def other(self):', '    return self.value'], sel4), {
      why: 'identifiers',
      detail: "it keeps 0 of the selection's 4 names",
    });
  });

  it('identifiers: three names are too few to judge, and a line without names adds none', () => {
    assert.equal(implausibleCode(['value = 1'], ['total = price * rate', '---']), undefined);
  });

  it('property: a reply equal to the selection is always plausible', () => {
    const line = fc.constantFrom('function f(a) {', '  return a + 1;', '}', 'const items = [];', 'x = y * 2', '# note (', '');
    fc.assert(fc.property(fc.array(line, { maxLength: 12 }), (lines) => assert.equal(implausibleCode(lines, lines), undefined)));
  });
});

describe('reply judgement: bracketBalance', () => {
  it('skips single-quoted strings of any length and comments at the start of a line', () => {
    assert.equal(bracketBalance(["print('(((')"]), 0);
    assert.equal(bracketBalance(['// (', '# [', '  // {']), 0);
    assert.equal(bracketBalance(['a[i] // ]']), 0);
  });

  it('property: the balance of lines is the sum of the balances of each line', () => {
    const line = fc.constantFrom('f(a, [b]) {', '}', '"(" // )', "'[' # ]", ')', 'x = (y', '');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 10 }), fc.array(line, { maxLength: 10 }), (a, b) => {
        assert.equal(bracketBalance([...a, ...b]), bracketBalance(a) + bracketBalance(b));
      }),
    );
  });
});

describe('reply judgement: through extractRewrite', () => {
  it('an edit reply wrapped in a preface and a closing explanation gives the code', () => {
    const reply = 'Here is the updated code:\n\nfunction total(items) {\n  return items.reduce((s, i) => s + i.price, 0);\n}\n\nThis version uses reduce instead of a loop.';
    const selection = 'function total(items) {\n  let sum = 0;\n  for (const item of items) sum += item.price;\n  return sum;\n}';
    assert.deepEqual(extractRewrite(reply, { selection, languageId: 'javascript' }), {
      ok: true,
      text: 'function total(items) {\n  return items.reduce((s, i) => s + i.price, 0);\n}',
    });
  });

  it('a reply that is only prose is refused', () => {
    const reply = 'I cannot change this function without more context.\nPlease share the rest of the file.';
    const result = extractRewrite(reply, { selection: 'function total(items) {\n  return 0;\n}', languageId: 'javascript' });
    assert.equal(result.ok, false);
  });
});
