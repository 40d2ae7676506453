import * as assert from 'assert';
import { decideLineMode, guessIndentStyle, indentWidth, openBrackets, skipPosition, symbolsNearCursor } from '../../src/core/completion/position';

describe('completion/position: single or multi line', () => {
  const table: [string, string, string, string, 'single' | 'multi'][] = [
    ['blank line in a body', 'function f() {\n  ', '\n}', 'typescript', 'multi'],
    ['after an opening brace', 'if (ok) {', '\n}', 'typescript', 'multi'],
    ['after a Python colon', 'def f(x):', '\n', 'python', 'multi'],
    ['a colon in TypeScript is a type annotation', 'const x:', '', 'typescript', 'single'],
    ['after an arrow', 'const f = () =>', '', 'typescript', 'multi'],
    ['after Ruby do', 'items.each do |item|', '\nend', 'ruby', 'multi'],
    ['middle of an expression', 'const total = a +', '', 'typescript', 'single'],
    ['code after the cursor', 'const x = ', ' + 1;', 'typescript', 'single'],
    ['only auto-closed brackets after the cursor', 'foo(', ')', 'typescript', 'single'],
    ['an open call with nothing after it', 'foo(', '\nbar()', 'typescript', 'multi'],
    ['inside a line comment', '  // compute the ', '\n', 'typescript', 'single'],
    ['inside a Python comment', '# compute the ', '\n', 'python', 'single'],
    ['end of a statement', 'return x;', '\n}', 'typescript', 'single'],
    ['blank line with closers after', '  ', ');', 'typescript', 'multi'],
  ];
  for (const [name, prefix, suffix, lang, expected] of table) {
    it(`${name} → ${expected}`, () => assert.strictEqual(decideLineMode(prefix, suffix, lang), expected));
  }
});

describe('completion/position: helpers', () => {
  it('finds the brackets still open, ignoring strings and comments', () => {
    assert.deepStrictEqual(openBrackets('f(a, [1, "(", 2', 'typescript'), ['(', '[']);
    assert.deepStrictEqual(openBrackets('x = {a: (1)} // {', 'typescript'), []);
    assert.deepStrictEqual(openBrackets('d = {  # }\n', 'python'), ['{']);
    assert.deepStrictEqual(openBrackets("let r: &'a str = f(", 'rust'), ['(']);
  });

  it('asks for nothing in the middle of a word', () => {
    assert.strictEqual(skipPosition('pri', 'nt(x)'), 'midWord');
    assert.strictEqual(skipPosition('print', '(x)'), undefined);
    assert.strictEqual(skipPosition('x = ', 'value'), undefined);
  });

  it('measures indentation with tabs', () => {
    assert.strictEqual(indentWidth('\t  x', 4), 6);
    assert.strictEqual(indentWidth('  \tx', 4), 4);
  });

  it('guesses tabs or spaces', () => {
    assert.strictEqual(guessIndentStyle('a\n\tb\n\tc').insertSpaces, false);
    assert.strictEqual(guessIndentStyle('a\n  b\n\tc\n  d').insertSpaces, true);
  });

  it('lists identifiers near the cursor, nearest first, without keywords or strings', () => {
    const prefix = 'import { parseUser } from "./user";\nconst account = parseUser(raw, "ignoredName"';
    const names = symbolsNearCursor(prefix, ');\nmore()', 4).map((s) => s.name);
    assert.deepStrictEqual(names.slice(0, 2), ['raw', 'parseUser']);
    assert.ok(!names.includes('const'));
    assert.ok(!names.includes('ignoredName'));
    assert.ok(!names.includes('more'));
  });
});
