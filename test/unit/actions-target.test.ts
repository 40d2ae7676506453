import * as assert from 'assert';
import { fitReplacement, locateOriginal, pickTargetRange, PlainSymbol } from '../../src/core/actions/target';
import { isTestFile, suggestedTestFile, testFileCandidates } from '../../src/core/actions/testFiles';
import type { PlainRange } from '../../src/core/actions/types';

const range = (sl: number, sc: number, el: number, ec: number): PlainRange => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });
const cursor = (line: number, character: number) => range(line, character, line, character);
const lineLength = (line: number) => 10 + line;

describe('actions: which code an action works on', () => {
  const symbols: PlainSymbol[] = [
    {
      range: range(0, 0, 20, 1),
      kind: 'container',
      children: [
        { range: range(2, 2, 6, 3), kind: 'callable', children: [{ range: range(3, 4, 5, 5), kind: 'callable' }] },
        { range: range(8, 2, 8, 20), kind: 'other' },
      ],
    },
  ];

  it('uses a non-empty selection as it is', () => {
    assert.deepStrictEqual(pickTargetRange({ selection: range(3, 2, 4, 1), lineLength, symbols }), { range: range(3, 2, 4, 1), reason: 'selection' });
  });

  it('uses the innermost function around the cursor, as whole lines', () => {
    assert.deepStrictEqual(pickTargetRange({ selection: cursor(4, 0), lineLength, symbols }), { range: range(3, 0, 5, 15), reason: 'symbol' });
    assert.deepStrictEqual(pickTargetRange({ selection: cursor(2, 5), lineLength, symbols }), { range: range(2, 0, 6, 16), reason: 'symbol' });
  });

  it('falls back to the enclosing class when no function is around the cursor', () => {
    assert.deepStrictEqual(pickTargetRange({ selection: cursor(8, 3), lineLength, symbols }), { range: range(0, 0, 20, 30), reason: 'symbol' });
  });

  it('falls back to the current line when no symbol is around the cursor', () => {
    assert.deepStrictEqual(pickTargetRange({ selection: cursor(30, 3), lineLength, symbols }), { range: range(30, 0, 30, 40), reason: 'line' });
    assert.deepStrictEqual(pickTargetRange({ selection: cursor(1, 0), lineLength }), { range: range(1, 0, 1, 11), reason: 'line' });
  });

  it('for Fix, prefers the lines of the diagnostics on the cursor line', () => {
    const diagnostics = [range(4, 3, 5, 2), range(4, 8, 4, 9), range(12, 0, 12, 3)];
    assert.deepStrictEqual(pickTargetRange({ selection: cursor(4, 0), lineLength, symbols, diagnostics }), { range: range(4, 0, 5, 15), reason: 'diagnostics' });
    assert.deepStrictEqual(pickTargetRange({ selection: cursor(7, 0), lineLength, diagnostics }), { range: range(7, 0, 7, 17), reason: 'line' });
  });
});

describe('actions: finding the explained code again (Apply)', () => {
  it('finds it where it was', () => assert.strictEqual(locateOriginal('aa\nfoo()\nbb', 'foo()', 3), 3));
  it('finds it after edits above it moved it', () => assert.strictEqual(locateOriginal('new line\naa\nfoo()\nbb', 'foo()', 3), 12));
  it('takes the nearest copy when there are several', () => assert.strictEqual(locateOriginal('foo()\n'.repeat(5), 'foo()', 13), 12));
  it('reports it gone when it was changed', () => assert.strictEqual(locateOriginal('aa\nfoo(1)\nbb', 'foo()', 3), undefined));
  it('never matches an empty original', () => assert.strictEqual(locateOriginal('abc', '', 0), undefined));
});

describe('actions: shaping an applied code block', () => {
  const table: { name: string; original: string; block: string; atLineStart?: boolean; expected: string }[] = [
    { name: 'drops the fence newline when the selection had none', original: 'a()', block: 'b()\n', expected: 'b()' },
    { name: 'keeps a final newline the selection had', original: 'a()\n', block: 'b()\n', expected: 'b()\n' },
    { name: 'adds one the block lacks', original: 'a()\n', block: 'b()', expected: 'b()\n' },
    { name: 'restores the indentation of a flush-left block', original: '    if (a) {\n      b();\n    }\n', block: 'if (a) {\n  c();\n}\n', expected: '    if (a) {\n      c();\n    }\n' },
    { name: 'keeps a block that is already indented', original: '    a();\n', block: '  b();\n', expected: '  b();\n' },
    { name: 'leaves blank lines blank', original: '\tx();\n\n\ty();\n', block: 'x();\n\nz();\n', expected: '\tx();\n\n\tz();\n' },
    { name: 'does not indent the first line of a mid-line selection', original: 'a &&\n    b', block: 'c &&\nd\n', atLineStart: false, expected: 'c &&\n    d' },
    { name: 'follows CRLF', original: 'a();\r\nb();\r\n', block: 'c();\nd();\n', expected: 'c();\r\nd();\r\n' },
  ];
  for (const { name, original, block, atLineStart, expected } of table) {
    it(name, () => assert.strictEqual(fitReplacement(original, block, atLineStart ?? true), expected));
  }
});

describe('actions: where tests go', () => {
  const table: [string, string[]][] = [
    ['src/foo.ts', ['src/foo.test.ts', 'src/foo.spec.ts', 'src/__tests__/foo.test.ts', 'src/__tests__/foo.spec.ts', 'src/__tests__/foo.ts', 'test/foo.test.ts', 'tests/foo.test.ts']],
    ['/w/app/src/lib/a.jsx', ['/w/app/src/lib/a.test.jsx', '/w/app/src/lib/a.spec.jsx', '/w/app/src/lib/__tests__/a.test.jsx', '/w/app/src/lib/__tests__/a.spec.jsx', '/w/app/src/lib/__tests__/a.jsx', '/w/app/test/lib/a.test.jsx', '/w/app/tests/lib/a.test.jsx']],
    ['lib/x.mjs', ['lib/x.test.mjs', 'lib/x.spec.mjs', 'lib/__tests__/x.test.mjs', 'lib/__tests__/x.spec.mjs', 'lib/__tests__/x.mjs']],
    ['pkg/x.py', ['pkg/test_x.py', 'pkg/x_test.py', 'pkg/tests/test_x.py', 'tests/test_x.py']],
    ['x.py', ['test_x.py', 'x_test.py', 'tests/test_x.py']],
    ['cmd/server/x.go', ['cmd/server/x_test.go']],
    ['src/main/java/com/acme/Foo.java', ['src/test/java/com/acme/FooTest.java', 'src/main/java/com/acme/FooTest.java']],
    ['app/models/user.rb', ['app/models/user_spec.rb', 'app/models/user_test.rb']],
    ['C:\\w\\src\\a.ts', ['C:/w/src/a.test.ts', 'C:/w/src/a.spec.ts', 'C:/w/src/__tests__/a.test.ts', 'C:/w/src/__tests__/a.spec.ts', 'C:/w/src/__tests__/a.ts', 'C:/w/test/a.test.ts', 'C:/w/tests/a.test.ts']],
    ['src/lib.rs', []],
    ['README.md', []],
    ['src/foo.test.ts', []],
    ['pkg/test_x.py', []],
    ['x_test.go', []],
    ['src/__tests__/foo.ts', []],
    ['pkg/__init__.py', []],
  ];
  for (const [source, expected] of table) {
    it(`${source} → ${expected.length ? expected[0] : 'a new editor'}`, () => assert.deepStrictEqual(testFileCandidates(source), expected));
  }

  it('knows test files', () => {
    for (const path of ['a.test.ts', 'b.spec.js', 'test_c.py', 'c_test.py', 'd_test.go', 'e_spec.rb', 'FooTest.java', 'FooTests.cs', 'src/__tests__/x.js']) assert.ok(isTestFile(path), path);
    for (const path of ['a.ts', 'testing.py', 'contest.go', 'Test.java.bak']) assert.ok(!isTestFile(path), path);
  });

  it('suggests the first candidate as the new file name', () => {
    assert.strictEqual(suggestedTestFile('src/foo.ts'), 'src/foo.test.ts');
    assert.strictEqual(suggestedTestFile('main.rs'), undefined);
  });
});
