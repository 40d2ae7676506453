import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import {
  type CleanContext,
  CompletionCleaner,
  DEFAULT_FILTERS,
  bracketBalance,
  blockScope,
  chatWrapper,
  cleanCompletion,
  indentStyle,
  leadingBreak,
  lineMode,
  operatorSpacing,
  prefixEcho,
  reasoning,
  statement,
  repeatedLines,
  runFilters,
  stopSequences,
  restOfLine,
  suffixOverlap,
} from '../../src/core/completion/filters';
import { ctxOf } from './support/cleanContext';
import { decideLineMode, guessIndentStyle } from '../../src/core/completion/position';

/** Fixtures live in the source tree; tests run from out/, so find them from the repository root. */
const FIXTURES = path.resolve(__dirname, '../../../test/unit/fixtures/completion');

interface Fixture {
  name: string;
  ctx: CleanContext;
  reply: string;
  expected: string;
}

/** `=== key: value` headers and `=== section` blocks; a section is its lines joined by "\n". */
function loadFixture(file: string): Fixture {
  const text = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  const headers: Record<string, string> = {};
  const sections: Record<string, string[]> = {};
  let current: string[] | undefined;
  for (const line of text.replace(/\n$/, '').split('\n')) {
    const m = /^=== (\w+)(?:: (.*))?$/.exec(line);
    if (m) {
      if (m[2] !== undefined) {
        headers[m[1]] = m[2];
        current = undefined;
      } else {
        current = sections[m[1]] = [];
      }
      continue;
    }
    current?.push(line);
  }
  const join = (k: string) => (sections[k] ?? []).join('\n');
  const prefix = join('prefix');
  const suffix = join('suffix');
  const language = headers.language ?? 'typescript';
  const style = (headers.style ?? 'fim') as 'fim' | 'chat';
  const indentHeader = headers.indent?.split(' ');
  return {
    name: path.basename(file, '.txt'),
    ctx: {
      prefix,
      suffix,
      languageId: language,
      lineMode: (headers.lineMode as 'single' | 'multi') ?? decideLineMode(prefix, suffix, language),
      stop: style === 'chat' ? ['</COMPLETION>'] : headers.stop ? headers.stop.split(',') : [],
      style,
      indent: indentHeader ? { insertSpaces: indentHeader[0] === 'spaces', tabSize: Number(indentHeader[1] ?? 4) } : guessIndentStyle(prefix),
    },
    reply: join('reply'),
    expected: join('expected'),
  };
}


describe('completion/filters: recorded replies', () => {
  const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.txt')).sort();
  it('has fixtures', () => assert.ok(files.length >= 15, `only ${files.length} fixtures`));
  for (const file of files) {
    const fixture = loadFixture(path.join(FIXTURES, file));
    it(`${fixture.name}: whole reply`, () => {
      assert.strictEqual(cleanCompletion(fixture.reply, fixture.ctx, fixture.reply.length + 1).text, fixture.expected);
    });
    it(`${fixture.name}: streamed in small chunks gives the same text`, () => {
      for (const size of [1, 2, 5]) assert.strictEqual(cleanCompletion(fixture.reply, fixture.ctx, size).text, fixture.expected, `chunk size ${size}`);
    });
  }
});

describe('completion/filters: each filter', () => {
  it('operatorSpacing puts back the space a detokenizer dropped before != when the file spaces its operators', () => {
    const spaced = ctxOf({ prefix: 'int a = 1;\nif (' });
    assert.deepStrictEqual(operatorSpacing.apply('a!= b && c[0]!= d && f()!= g) {', spaced, true), { text: 'a != b && c[0] != d && f() != g) {' });
    // Already spaced, no space after, or not after an operand: untouched.
    for (const code of ['a != b', 'a!=b', '(!= x', 'a !== b', 'a!== b']) assert.deepStrictEqual(operatorSpacing.apply(code, spaced, true), { text: code }, code);
    // Evidence of the file's style: an operator with a space on each side, and never one written `a= b`.
    for (const prefix of ['if (a == b && ', 'x = 1; if (', 'ok = a || b;\n', 'if (a <= b)\n', 'if (a >= b)\n', 'if (a != b)\n', 'while (a && ']) {
      assert.deepStrictEqual(operatorSpacing.apply('a!= b', ctxOf({ prefix }), true), { text: 'a != b' }, prefix);
    }
    for (const prefix of ['', 'foo(a, b);\n', 'x = 1; y!= 2;\n', 'x = 1; y== 2;\n', 'x = 1; y= 2;\n', 'x = 1; y<= 2;\n', 'x = 1; y>= 2;\n', 'x = 1; y&& z;\n', 'x = 1; y|| z;\n', 'x = 1; f()!= 2;\n', 'x = 1; a[0]!= 2;\n']) {
      assert.deepStrictEqual(operatorSpacing.apply('a!= b', ctxOf({ prefix }), true), { text: 'a!= b' }, prefix);
    }
    // While streaming, a `!` or `!=` at the end waits: the space after it decides.
    assert.deepStrictEqual(operatorSpacing.apply('if (a!', spaced, false), { text: 'if (a' });
    assert.deepStrictEqual(operatorSpacing.apply('if (a!=', spaced, false), { text: 'if (a' });
    assert.deepStrictEqual(operatorSpacing.apply('if (a!=', spaced, true), { text: 'if (a!=' });
    assert.deepStrictEqual(operatorSpacing.apply('if (!', spaced, false), { text: 'if (!' });
    assert.deepStrictEqual(operatorSpacing.apply('a!= b', ctxOf({ prefix: '' }), false), { text: 'a!= b' });
  });

  it('stopSequences ends at a control token of any model, and holds back the start of one', () => {
    const ctx = ctxOf({ stop: [] });
    assert.deepStrictEqual(stopSequences.apply('a.b\n<|im_sep|>import x', ctx, false), { text: 'a.b\n', stop: true });
    assert.deepStrictEqual(stopSequences.apply('x = 1<｜end▁of▁sentence｜>', ctx, true), { text: 'x = 1', stop: true });
    // The earlier of a stop sequence and a control token wins.
    assert.deepStrictEqual(stopSequences.apply('a<|file_sep|>b<END>', ctxOf({ stop: ['<END>'] }), false), { text: 'a', stop: true });
    assert.deepStrictEqual(stopSequences.apply('a<END>b<|file_sep|>', ctxOf({ stop: ['<END>'] }), false), { text: 'a', stop: true });
    for (const partial of ['<', '<|', '<|im_', '<|im_end|', '<｜end▁']) {
      assert.deepStrictEqual(stopSequences.apply(`if (a ${partial}`, ctx, false), { text: 'if (a ' }, partial);
      assert.deepStrictEqual(stopSequences.apply(`if (a ${partial}`, ctx, true), { text: `if (a ${partial}` }, partial);
    }
    // Code that only looks alike goes through: a comparison, an operator with spaces, capitals.
    for (const code of ['if (a < b) {', 'f <| x |> g', 'a <|B|> c', '<|>']) assert.deepStrictEqual(stopSequences.apply(code, ctx, false), { text: code }, code);
  });

  it('stopSequences cuts at the earliest stop and holds back half a stop sequence', () => {
    const ctx = ctxOf({ stop: ['<|endoftext|>', '\n\n\n'] });
    assert.deepStrictEqual(stopSequences.apply('abc<|endoftext|>def\n\n\n', ctx, false), { text: 'abc', stop: true });
    assert.deepStrictEqual(stopSequences.apply('abc<|endo', ctx, false), { text: 'abc' });
    assert.deepStrictEqual(stopSequences.apply('abc<|endo', ctx, true), { text: 'abc<|endo' });
  });

  it('chatWrapper waits for an unfinished opening fence, then drops it', () => {
    const ctx = ctxOf({ style: 'chat' });
    assert.strictEqual(chatWrapper.apply('``', ctx, false).text, '');
    assert.strictEqual(chatWrapper.apply('```py', ctx, false).text, '');
    assert.deepStrictEqual(chatWrapper.apply('```py\nx = 1\n```\nmore', ctx, false), { text: 'x = 1', stop: true });
  });

  it('chatWrapper leaves fill-in-the-middle replies alone unless they start with a fence', () => {
    const ctx = ctxOf({ style: 'fim' });
    assert.strictEqual(chatWrapper.apply('Sure thing', ctx, true).text, 'Sure thing');
    assert.strictEqual(chatWrapper.apply('```\nx\n```', ctx, true).text, 'x');
  });

  it('prefixEcho strips a repeated cursor line, in fill-in-the-middle replies only where a statement is in progress', () => {
    const prefix = 'function f() {\n  const total = ';
    assert.strictEqual(prefixEcho.apply('const total = 1;', ctxOf({ prefix, style: 'chat' }), true).text, '1;');
    assert.strictEqual(prefixEcho.apply('const total = 1;', ctxOf({ prefix, style: 'fim' }), true).text, '1;');
    assert.strictEqual(prefixEcho.apply('const total = 1;', ctxOf({ prefix, suffix: ' + 1;', style: 'fim' }), true).text, 'const total = 1;');
  });

  it('indentStyle converts tabs to the file style and spaces to tabs', () => {
    assert.strictEqual(indentStyle.apply('x\n\ty\n\t\tz', ctxOf({ indent: { insertSpaces: true, tabSize: 2 } }), true).text, 'x\n  y\n    z');
    assert.strictEqual(indentStyle.apply('x\n    y\n      z', ctxOf({ indent: { insertSpaces: false, tabSize: 4 } }), true).text, 'x\n\ty\n\t  z');
  });

  it('indentStyle moves a chat reply written from column 0 to the cursor, judging by its second line', () => {
    const ctx = ctxOf({ prefix: 'def f(r):\n    ', style: 'chat' });
    assert.strictEqual(indentStyle.apply('x = 1\ny = 2', ctx, true).text, 'x = 1\n    y = 2');
    assert.strictEqual(indentStyle.apply('for i in r:\n    t += i', ctx, true).text, 'for i in r:\n        t += i');
    // Already at the cursor's column; the dedent after the block is for blockScope to cut, not a reason to shift.
    assert.strictEqual(indentStyle.apply('x = 1\n    y = 2\nz', ctx, true).text, 'x = 1\n    y = 2\nz');
  });

  it('indentStyle: a chat reply\'s own copy of the cursor\'s indentation goes; opening a block, the second line decides; only on a line of indentation', () => {
    const ctx = ctxOf({ prefix: 'def f(r):\n    ', style: 'chat' });
    assert.strictEqual(indentStyle.apply('    x = 1\n    y = 2', ctx, true).text, 'x = 1\n    y = 2');
    assert.strictEqual(indentStyle.apply('  x = 1', ctx, true).text, 'x = 1');
    assert.strictEqual(indentStyle.apply('        x = 1', ctx, true).text, '    x = 1');
    // After a line opening a block, a second line no deeper than the cursor was written from column 0.
    for (const opener of ['if x:', 'f(', 'g = [', 'h = {', 'k = lambda: (']) {
      assert.strictEqual(indentStyle.apply(`${opener}\n    y\n`, ctx, true).text, `${opener}\n        y\n`, opener);
    }
    assert.strictEqual(indentStyle.apply('if x:\n\n        y', ctx, true).text, 'if x:\n\n        y');
    assert.strictEqual(indentStyle.apply('f(\n)', ctx, true).text, 'f(\n    )');
    assert.strictEqual(indentStyle.apply('x = 1', ctx, true).text, 'x = 1');
    // Not a chat reply, or code before the cursor: nothing moves.
    assert.strictEqual(indentStyle.apply('  x = 1\ny = 2', ctxOf({ prefix: 'def f(r):\n    ' }), true).text, '  x = 1\ny = 2');
    assert.strictEqual(indentStyle.apply('  x = 1\ny = 2', ctxOf({ prefix: 'def f(r):\n    a = ', style: 'chat' }), true).text, '  x = 1\ny = 2');
    assert.strictEqual(indentStyle.apply('  x = 1\ny = 2', ctxOf({ prefix: 'def f(r):\n', style: 'chat' }), true).text, '  x = 1\ny = 2');
  });

  it('lineMode stops a single-line suggestion at the end of its line: code after the cursor, a comment, a language without statement rules', () => {
    assert.deepStrictEqual(lineMode.apply('a + b\r\nfoo();', ctxOf({ lineMode: 'single', suffix: ' + c;' }), false), { text: 'a + b', stop: true });
    assert.deepStrictEqual(lineMode.apply('a + b;\nfoo();', ctxOf({ lineMode: 'single', prefix: 'x = 1; // ' }), false), { text: 'a + b;', stop: true });
    assert.deepStrictEqual(lineMode.apply('a + b\nfoo', ctxOf({ lineMode: 'single', languageId: 'ruby', prefix: 'x = ' }), false), { text: 'a + b', stop: true });
    assert.deepStrictEqual(lineMode.apply('a + b', ctxOf({ lineMode: 'single', suffix: ' + c;' }), false), { text: 'a + b' });
    // A statement in progress, or a block: other filters decide.
    assert.deepStrictEqual(lineMode.apply('a + b;\nfoo();', ctxOf({ lineMode: 'single', prefix: 'x = ' }), false), { text: 'a + b;\nfoo();' });
    assert.deepStrictEqual(lineMode.apply('a + b;\nfoo();', ctxOf({ lineMode: 'multi', suffix: ' + c' }), false), { text: 'a + b;\nfoo();' });
  });

  it('bracketBalance ignores brackets in strings and comments', () => {
    const ctx = ctxOf({ prefix: 'call(', suffix: ')' });
    assert.deepStrictEqual(bracketBalance.apply('"a)b", x /* ) */', ctx, true), { text: '"a)b", x /* ) */' });
    assert.deepStrictEqual(bracketBalance.apply('"a)b")', ctx, true), { text: '"a)b"', stop: true });
  });

  it('restOfLine keeps a closing bracket the completion opened itself', () => {
    const ctx = ctxOf({ prefix: 'foo(', suffix: ')', lineMode: 'single' });
    assert.strictEqual(restOfLine.apply('g(x)', ctx, true).text, 'g(x)');
    assert.strictEqual(restOfLine.apply('g(x))', ctx, true).text, 'g(x)');
  });

  it('suffixOverlap ends a block where the next line of the file begins', () => {
    const ctx = ctxOf({ prefix: 'if (a) {', suffix: '\n}\nnext();' });
    assert.deepStrictEqual(suffixOverlap.apply('\n  b();\n}\nnext();', ctx, false), { text: '\n  b();', stop: true });
  });

  it('repeatedLines cuts a two-line cycle', () => {
    const ctx = ctxOf({ prefix: 'function f() {\n  ', suffix: '\n}' });
    const text = 'a();\n  b();\n  a();\n  b();\n  a();';
    assert.deepStrictEqual(repeatedLines.apply(text, ctx, true), { text: 'a();\n  b();', stop: true });
  });

  it('blockScope stops before a line that dedents below the cursor', () => {
    const ctx = ctxOf({ prefix: 'class A {\n    m() {\n        ', suffix: '\n    }\n}', languageId: 'typescript' });
    assert.deepStrictEqual(blockScope.apply('go();\n    }\n    n() {', ctx, false), { text: 'go();', stop: true });
  });

  it('an empty or whitespace-only reply shows nothing', () => {
    const ctx = ctxOf({ prefix: 'x = ', lineMode: 'single' });
    assert.strictEqual(cleanCompletion('   \n\n', ctx).text, '');
    assert.strictEqual(cleanCompletion('', ctx).text, '');
  });
});

describe('completion/filters: one statement', () => {
  const java = (prefix: string, suffix = '\n}\n') => ctxOf({ prefix, suffix, languageId: 'java', lineMode: decideLineMode(prefix, suffix, 'java') });
  const ts = (prefix: string, suffix = '\n}\n') => ctxOf({ prefix, suffix, languageId: 'typescript', lineMode: decideLineMode(prefix, suffix, 'typescript') });
  const py = (prefix: string, suffix = '\n') => ctxOf({ prefix, suffix, languageId: 'python', lineMode: decideLineMode(prefix, suffix, 'python') });

  it('ends at a ; outside brackets, not at one inside them', () => {
    assert.deepStrictEqual(statement.apply('a(1); b(2);\nc();', java('void f() {\n  x = '), false), { text: 'a(1);', stop: true });
    assert.deepStrictEqual(statement.apply('int i = 0; i < n; i++) {\n', java('void f() {\n  for ('), false).text.startsWith('int i = 0; i < n; i++) {'), true);
    // An unfinished line while streaming: the ; may still turn out to be in a string; held, not cut.
    assert.deepStrictEqual(statement.apply('a(1); b', java('void f() {\n  x = '), false), { text: 'a(1);' });
  });

  it('goes past line breaks while brackets are open, and ends when the prefix closes them', () => {
    const ctx = java('void f() {\n  call(a,\n');
    assert.deepStrictEqual(statement.apply('    b,\n    c);\n  next();', ctx, false), { text: '    b,\n    c);', stop: true });
  });

  it('in a language with ;, a line without one goes on; a preprocessor line does not', () => {
    assert.deepStrictEqual(statement.apply('foo()\n    .bar();\nbaz();', java('void f() {\n  x = '), true), { text: 'foo()\n    .bar();', stop: true });
    const c = ctxOf({ prefix: 'int x;\n', suffix: '\nint main() {}', languageId: 'cpp', lineMode: 'multi' });
    assert.deepStrictEqual(statement.apply('#include <a>\nint y;', c, true), { text: '#include <a>', stop: true });
  });

  it('without ;, a line ends the statement unless it ends with an operator or the next line continues it', () => {
    assert.deepStrictEqual(statement.apply('a +\n  b\nc()', ts('function f() {\n  x = '), true), { text: 'a +\n  b', stop: true });
    assert.deepStrictEqual(statement.apply('users\n  .map(f)\nreturn', ts('function f() {\n  x = '), true), { text: 'users\n  .map(f)', stop: true });
    // The next line's first word decides: wait for it.
    assert.deepStrictEqual(statement.apply('users\n  els', ts('function f() {\n  x = '), false), { text: 'users' });
    assert.deepStrictEqual(statement.apply('users\n', ts('function f() {\n  x = '), false), { text: 'users' });
  });

  it('a block the statement opens and closes ends it, unless else/catch follows', () => {
    const ctx = ts('function f() {\n  ', '\n  more();\n}');
    assert.deepStrictEqual(statement.apply('if (a) {\n    b();\n  } else {\n    c();\n  }\n  d();', ctx, true), { text: 'if (a) {\n    b();\n  } else {\n    c();\n  }', stop: true });
    assert.deepStrictEqual(statement.apply('try {\n    b();\n  }\n  catch (e) {}\n  d();', ctx, true), { text: 'try {\n    b();\n  }\n  catch (e) {}', stop: true });
  });

  it('a block opener whose body the code after the cursor holds ends the statement', () => {
    const ctx = java('class A {\n  void f() {\n    if (', '\n      go();\n    }\n  }\n}');
    assert.deepStrictEqual(statement.apply('ready) {\n      go();\n    }', ctx, false), { text: 'ready) {', stop: true });
    // No body below: the block is the completion's to write.
    const open = java('class A {\n  void f() {\n    if (', '\n  }\n}');
    assert.deepStrictEqual(statement.apply('ready) {\n      go();\n    }\n    x();', open, true), { text: 'ready) {\n      go();\n    }', stop: true });
  });

  it('a closer of the block the statement is in ends it before that closer', () => {
    assert.deepStrictEqual(statement.apply('a()\n}\nfoo();', java('void f() {\n  x = '), true), { text: 'a()', stop: true });
    assert.deepStrictEqual(statement.apply('a(]', java('void f() {\n  x = '), true), { text: 'a(', stop: true });
  });

  it('a comment line after the statement\'s code ends it', () => {
    assert.deepStrictEqual(statement.apply('a()\n// note\nb();', java('void f() {\n  x = '), true), { text: 'a()', stop: true });
    assert.deepStrictEqual(statement.apply('// note\na();\nb();', java('void f() {\n  x();\n  ', '\n  y();\n}'), true), { text: '// note\na();', stop: true });
  });

  it('python: a line break ends it outside brackets; a compound header with its body below ends after the colon', () => {
    assert.deepStrictEqual(statement.apply('f(a,\n  b)\nc = 1', py('def g():\n    x = '), true), { text: 'f(a,\n  b)', stop: true });
    assert.deepStrictEqual(statement.apply('ready():\n        go()\n    x = 1', py('def g():\n    if ', '\n        go()\n'), true), { text: 'ready():', stop: true });
    // No body below: the body is the completion's, up to the line back at the statement's level.
    assert.deepStrictEqual(statement.apply('ready():\n        go()\n    else:\n        stop()\n    x = 1', py('def g():\n    if '), true), { text: 'ready():\n        go()\n    else:\n        stop()', stop: true });
    assert.deepStrictEqual(statement.apply('a \\\n  + b\nc', py('def g():\n    x = '), true), { text: 'a \\\n  + b', stop: true });
  });

  it('does nothing where the line or the block decides', () => {
    assert.deepStrictEqual(statement.apply('a;\nb;', ctxOf({ prefix: 'x = ', suffix: ' + y;', languageId: 'java', lineMode: 'single' }), true), { text: 'a;\nb;' });
    assert.deepStrictEqual(statement.apply('a;\nb;', ctxOf({ prefix: 'x = ', languageId: 'ruby', lineMode: 'single' }), true), { text: 'a;\nb;' });
    assert.deepStrictEqual(statement.apply('a;\nb;', java('void f() {'), true), { text: 'a;\nb;' });
  });

  it('code inside the string the cursor is in is not code', () => {
    assert.deepStrictEqual(statement.apply('a; b")', java('void f() {\n  s = f("'), true), { text: 'a; b")' });
    assert.deepStrictEqual(statement.apply('a; b', java('void f() {\n  s = f("'), true), { text: 'a; b' });
  });
});

describe('completion/filters: leading line breaks and echoes', () => {
  const at = (prefix: string, suffix = '\n', languageId = 'python') => ctxOf({ prefix, suffix, languageId, lineMode: decideLineMode(prefix, suffix, languageId) });

  it('after an unfinished statement, the code moved to the next line comes back (comment lines dropped)', () => {
    assert.deepStrictEqual(leadingBreak.apply('\n    undo(m)\n', at('    undo.'), true), { text: 'undo(m)\n' });
    assert.deepStrictEqual(leadingBreak.apply('\n  // why\n  a();', at('  x = ', '\n', 'java'), true), { text: 'a();' });
    assert.deepStrictEqual(leadingBreak.apply('\n  public int a;', at('  private ', '\n', 'java'), true), { text: 'public int a;' });
    assert.deepStrictEqual(leadingBreak.apply('\n  a', at('  return ', '\n', 'typescript'), true), { text: 'a' });
  });

  it('after a finished statement, an opener, a comma or a bracket the break is the model\'s own', () => {
    for (const prefix of ['  x = 1', '  f(', '  a,']) assert.deepStrictEqual(leadingBreak.apply('\n  b', at(prefix), true), { text: '\n  b' }, prefix);
    assert.deepStrictEqual(leadingBreak.apply('\n  b', at('  a;', '\n', 'java'), true), { text: '\n  b' });
    assert.deepStrictEqual(leadingBreak.apply('\n  b', at('  if x:'), true), { text: '\n  b' });
  });

  it('on a line of its own, blank lines go and so does the indentation the line already has', () => {
    assert.deepStrictEqual(leadingBreak.apply('\n\n    a()\n    b()', at('def f():\n    x = 1\n    ', '\n    y = 2\n'), true), { text: 'a()\n    b()' });
    assert.deepStrictEqual(leadingBreak.apply('  \n  a()', at('def f():\n    x = 1\n    ', '\n    y = 2\n'), true), { text: 'a()' });
    assert.deepStrictEqual(leadingBreak.apply('a()', at('def f():\n    '), true), { text: 'a()' });
    // Comments on a line of their own are code's company, not an echo.
    assert.deepStrictEqual(leadingBreak.apply('\n    # note', at('def f():\n    x = 1\n    ', '\n    y = 2\n'), true), { text: '# note' });
  });

  it('with code after the cursor on its line, the completion goes between', () => {
    assert.deepStrictEqual(leadingBreak.apply('\n    Kernel Kernel {', at('  public ', ' get; set; }', 'csharp'), true), { text: 'Kernel Kernel {' });
    assert.deepStrictEqual(leadingBreak.apply('\n    b', at('  x = 1 # ', ' tail', 'python'), true), { text: '\n    b' });
  });

  it('holds the reply while it is only blank or comment lines, and drops it if nothing else comes', () => {
    assert.deepStrictEqual(leadingBreak.apply('\n  ', at('  x = '), false), { text: '' });
    assert.deepStrictEqual(leadingBreak.apply('\n  # a\n  #', at('  x = '), false), { text: '' });
    assert.deepStrictEqual(leadingBreak.apply('\n  /', at('  x = ', '\n', 'java'), false), { text: '' });
    assert.deepStrictEqual(leadingBreak.apply('\n  # a\n', at('  x = '), true), { text: '' });
    assert.deepStrictEqual(leadingBreak.apply('\n  a', at('  x = '), false), { text: 'a' });
  });

  it('prefixEcho drops a fill-in-the-middle reply that repeats the cursor\'s line, waiting while it may', () => {
    const ctx = at('        private ', '\n', 'csharp');
    assert.deepStrictEqual(prefixEcho.apply('private int a;', ctx, true), { text: 'int a;' });
    assert.deepStrictEqual(prefixEcho.apply('priv', ctx, false), { text: '' });
    assert.deepStrictEqual(prefixEcho.apply('priv', ctx, true), { text: 'priv' });
    assert.deepStrictEqual(prefixEcho.apply('int a;', ctx, false), { text: 'int a;' });
    // Too short to tell an echo from code: left alone.
    assert.deepStrictEqual(prefixEcho.apply('x = 1', at('    x = '), true), { text: 'x = 1' });
    assert.deepStrictEqual(prefixEcho.apply('return_value', at('    return '), true), { text: 'return_value' });
  });

  it('restOfLine drops the rest of the line the completion repeats when that balances the line', () => {
    const ctx = at('        public ', ' get; private set; }', 'csharp');
    assert.strictEqual(restOfLine.apply('Kernel Kernel { get; private set; }', ctx, true).text, 'Kernel Kernel {');
    assert.strictEqual(restOfLine.apply('Kernel Kernel { get; private set; }', ctx, false).text, 'Kernel Kernel { get; private set; }');
    assert.strictEqual(restOfLine.apply('a;;', at('x = ', ';', 'java'), true).text, 'a;;');
    assert.strictEqual(restOfLine.apply('"a")', at('print(', ')', 'python'), true).text, '"a"');
    assert.strictEqual(restOfLine.apply("'a')", at('print(', "')", 'python'), true).text, "'a");
    // every repeated `)` only adds to the imbalance: all go at once, so cleaning again drops nothing more
    assert.strictEqual(restOfLine.apply('a))', at('const s = "a', ')', 'typescript'), true).text, 'a');
    assert.strictEqual(restOfLine.apply('a', at('const s = "a', ')', 'typescript'), true).text, 'a');
  });

  it('a fenced reply with Windows line ends is unwrapped like any other', () => {
    for (const fence of ['```', '```python', '~~~']) {
      const close = fence.startsWith('~') ? '~~~' : '```';
      const reply = `${fence}\r\na + b\r\n${close}\r\nmore`;
      for (const size of [1, 3, reply.length]) assert.strictEqual(cleanCompletion(reply, at('x = ', '', 'python'), size).text, 'a + b', `${fence} in chunks of ${size}`);
    }
  });

  it('a fence with blanks before its language word is held while it streams, never shown', () => {
    const ctx = ctxOf({ prefix: 'function f() {\n  ', suffix: '\n}' });
    const { partials, text } = streamed('```  ts\nreturn 1;\n```', ctx);
    assert.strictEqual(text, 'return 1;');
    for (const p of partials) assert.ok(!p.includes('`'), JSON.stringify(p));
  });

  it('restOfLine ends a completion that writes the rest of the line and goes on past it', () => {
    const ctx = at('        public ', ' get; set; }', 'csharp');
    assert.strictEqual(restOfLine.apply('string Name { get; set; } = string.Empty;', ctx, true).text, 'string Name {');
    // Only a rest with a word in it, of four characters or more: a lone `)` inside the completion is its own.
    assert.strictEqual(restOfLine.apply('a(b), c', at('f(', ')', 'typescript'), true).text, 'a(b), c');
    assert.strictEqual(restOfLine.apply('a(x y), c', at('f(', 'x y)', 'typescript'), true).text, 'a(x y), c');
    assert.strictEqual(restOfLine.apply('a(b x), c', at('f(', 'b x)', 'typescript'), true).text, 'a(b x), c');
    assert.strictEqual(restOfLine.apply('a, x, y), z', at('f(', 'x, y)', 'typescript'), true).text, 'a,');
    // Not while the reply streams, nor on several lines.
    assert.strictEqual(restOfLine.apply('string Name { get; set; } = 1;', ctx, false).text, 'string Name { get; set; } = 1;');
    assert.strictEqual(restOfLine.apply('string Name { get; set; }\n= 1;', ctx, true).text, 'string Name { get; set; }\n= 1;');
  });
});

describe('completion/filters: properties', () => {
  const arbCtx = fc.record({
    prefix: fc.constantFrom('function f() {\n  ', 'x = foo(', 'if (a) {', '    return ', 'def g():\n    ', 'const s = "a'),
    suffix: fc.constantFrom('', '\n}', ')', ';\n', '"\n'),
    style: fc.constantFrom<'fim' | 'chat'>('fim', 'chat'),
  });
  const arbReply = fc.array(fc.constantFrom('a', 'b', '(', ')', '{', '}', '\n', '  ', ';', '"', '```', 'x = 1', 'Here is', '<COMPLETION>'), { maxLength: 30 }).map((a) => a.join(''));

  it('streaming in any chunk size gives the same result as cleaning the whole reply', () => {
    fc.assert(
      fc.property(arbCtx, arbReply, fc.integer({ min: 1, max: 7 }), (c, reply, size) => {
        const ctx = ctxOf({ ...c, lineMode: decideLineMode(c.prefix, c.suffix, 'typescript'), stop: c.style === 'chat' ? ['</COMPLETION>'] : [] });
        assert.strictEqual(cleanCompletion(reply, ctx, size).text, cleanCompletion(reply, ctx, reply.length + 1).text);
      }),
      { numRuns: 400 },
    );
  });

  // Counterexamples the property above shrank to (chat replies streamed one character at a time). Each
  // was a stop decided by a later filter on text an earlier filter changed once more of the reply came.
  const streamedLikeWhole = (prefix: string, suffix: string, reply: string, expected: string) => {
    const ctx = ctxOf({ prefix, suffix, style: 'chat', lineMode: decideLineMode(prefix, suffix, 'typescript'), stop: ['</COMPLETION>'] });
    assert.strictEqual(cleanCompletion(reply, ctx, reply.length + 1).text, expected, 'whole reply');
    for (const size of [1, 2, 3]) assert.strictEqual(cleanCompletion(reply, ctx, size).text, expected, `chunk size ${size}`);
  };

  it('streaming: a line past the end of the completion does not re-indent the lines before it', () => {
    // indentStyle shifted every line when any later line was indented less than the cursor; bracketBalance
    // ends the stream at `)` before the last line arrives.
    streamedLikeWhole('function f() {\n  ', '', '\n  a)\na', 'a');
  });

  it('streaming: a fence after a blank first line is waited for, not cut at that blank line', () => {
    streamedLikeWhole('const s = "a', '', '\n```\na', 'a');
  });

  it('streaming: a prose line that may be the whole reply is held until code follows', () => {
    streamedLikeWhole('x = foo(', ';\n', '```\nHere is\na', 'Here is');
    streamedLikeWhole('x = foo(', '', '\nHere is}\na', '\nHere is');
  });

  it('streaming: an explanation ends the completion even with a closing fence after it; a half tag is no text', () => {
    streamedLikeWhole('function f() {\n  ', '', 'a\n\nThis code adds\n\n```', 'a');
    streamedLikeWhole('if (a) {\n    b();\n    ', '', 'b();\n<COMPLETION>    a', 'a');
  });

  it('cleaning a cleaned fill-in-the-middle result changes nothing (idempotent)', () => {
    fc.assert(
      fc.property(arbCtx, arbReply, (c, reply) => {
        const ctx = ctxOf({ ...c, style: 'fim', lineMode: decideLineMode(c.prefix, c.suffix, 'typescript') });
        const once = cleanCompletion(reply, ctx).text;
        assert.strictEqual(cleanCompletion(once, ctx).text, once);
      }),
      { numRuns: 400 },
    );
  });

  it('the partial text while streaming is a prefix of the final text when no filter stopped early', () => {
    fc.assert(
      fc.property(arbCtx, arbReply, (c, reply) => {
        const ctx = ctxOf({ ...c, style: 'fim', lineMode: decideLineMode(c.prefix, c.suffix, 'typescript') });
        const cleaner = new CompletionCleaner(ctx);
        const partials: string[] = [];
        for (const ch of reply) {
          const step = cleaner.push(ch);
          if (step.stop) return;
          partials.push(step.text.replace(/\s+$/, ''));
        }
        const final = cleaner.result();
        for (const p of partials) if (p.trim() !== '' && !final.startsWith(p)) {
          // trailing-whitespace trimming and the last-line checks may only shorten the end
          assert.ok(p.startsWith(final) || final.startsWith(p.slice(0, final.length)), `partial ${JSON.stringify(p)} vs final ${JSON.stringify(final)}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('runs every filter of the chain', () => {
    assert.deepStrictEqual(DEFAULT_FILTERS.map((f) => f.name), [
      'stopSequences', 'reasoning', 'chatWrapper', 'leadingBreak', 'prefixEcho', 'memberAccess', 'indentStyle', 'operatorSpacing', 'lineMode', 'statement', 'bracketBalance', 'suffixOverlap', 'repeatedLines', 'blockScope', 'restOfLine', 'loop',
    ]);
    assert.strictEqual(runFilters('a', ctxOf({}), true).text, 'a');
  });
});

/** Every partial text shown while the reply streams one character at a time, and the final text. */
function streamed(reply: string, ctx: CleanContext): { partials: string[]; text: string } {
  const cleaner = new CompletionCleaner(ctx);
  const partials: string[] = [];
  for (const ch of reply) {
    const step = cleaner.push(ch);
    partials.push(step.text);
    if (step.stop) break;
  }
  return { partials, text: cleaner.result() };
}

describe('completion/filters: reasoning, prefaces and tags (the rules of src/core/reply)', () => {
  const chat = ctxOf({ prefix: 'function f() {\n  return ', suffix: '\n}', style: 'chat', lineMode: 'single', stop: ['</COMPLETION>'] });

  it('a reasoning block at the start is never code; the answer after it is', () => {
    assert.strictEqual(reasoning.apply('<think>the sum</think>\n\na + b;', chat, true).text, 'a + b;');
    assert.strictEqual(reasoning.apply('  <THINKING>x</THINKING>\na;', chat, true).text, 'a;');
    assert.strictEqual(reasoning.apply('<reasoning>x</reasoning>a;', chat, true).text, 'a;');
    assert.strictEqual(reasoning.apply('<thought>x</thought>\n  a;', chat, true).text, '  a;');
    // a reply that only thought, or is still thinking, gives nothing
    assert.strictEqual(reasoning.apply('<think>the sum is', chat, true).text, '');
    assert.strictEqual(reasoning.apply('<think>the sum is', chat, false).text, '');
    assert.strictEqual(reasoning.apply('<think>x</think>\n', chat, false).text, '');
    assert.strictEqual(reasoning.apply('<think>x</think>\n', chat, true).text, '');
    // the start of an opening tag, or whitespace, waits; anything else passes untouched
    for (const partial of ['<', '<th', '<think', '<thinking', '<reas', '<thou', '  ', '\n']) assert.strictEqual(reasoning.apply(partial, chat, false).text, '', partial);
    assert.strictEqual(reasoning.apply('<b', chat, false).text, '<b');
    assert.strictEqual(reasoning.apply('<think', chat, true).text, '<think');
    assert.strictEqual(reasoning.apply('a < b', chat, false).text, 'a < b');
    assert.strictEqual(reasoning.apply('a;<think>x</think>', chat, true).text, 'a;<think>x</think>');
    assert.strictEqual(reasoning.apply('<think>a</thought>b', chat, true).text, '');
  });

  it('a thinking reply streamed shows nothing of its reasoning, in either reply style', () => {
    for (const style of ['chat', 'fim'] as const) {
      const ctx = { ...chat, style, stop: [] };
      const { partials, text } = streamed('<think>\nreturn the sum of a and b\n</think>\n\na + b;', ctx);
      assert.strictEqual(text, 'a + b;', style);
      for (const p of partials) assert.ok(!/sum|think|</.test(p), `${style}: ${JSON.stringify(p)}`);
    }
  });

  it('every completion tag is dropped, and the start of one is never shown', () => {
    for (const tag of ['<COMPLETION>', '</COMPLETION>', '<completion>', '</completion>', '<FILL_HERE>', '</FILL_HERE>', '<CURSOR>', '</CURSOR>', '{{FILL_HERE}}', '<cursor>', '<|cursor|>']) {
      const ctx = { ...chat, stop: [] };
      const { partials, text } = streamed(`a +${tag} b;`, ctx);
      assert.strictEqual(text, 'a + b;', tag);
      for (const p of partials) assert.ok(!p.includes(tag.slice(0, 2)), `${tag}: ${JSON.stringify(p)}`);
    }
  });

  it('an introduction line before a fence is dropped, and never shown while it streams', () => {
    const intros = [
      'sure, here it is:', 'certainly:', 'of course:', "here's the code:", 'here is the completion:', 'here are the lines:', 'the missing code:',
      'the completed line:', 'the completion:', 'the code:', 'the rest:', 'this code fills it:', 'this completion:', 'this fills the hole:',
      'to complete it:', 'to fill the hole:', 'completion:', 'answer:', 'output:', 'below is the code:', "i'd write:", 'i have added:', 'i will add:', 'i would write:',
      'Here is the completion:', '## Completion', '- here is the code:', '**Code:**',
    ];
    for (const intro of intros) {
      const { partials, text } = streamed(`${intro}\n\`\`\`ts\na + b;\n\`\`\``, chat);
      assert.strictEqual(text, 'a + b;', intro);
      const word = intro.replace(/^[-#* ]+/, '').split(/[ ,:']/)[0];
      for (const p of partials) assert.ok(!p.includes(word), `${intro}: ${JSON.stringify(p)}`);
    }
  });

  it('a prose line on its own is no suggestion; a line of code that starts like a preface is code', () => {
    assert.strictEqual(cleanCompletion('Sure, I can help with that.', chat).text, '');
    assert.strictEqual(cleanCompletion('Note that this returns the sum.', chat).text, '');
    assert.strictEqual(cleanCompletion('summary = total;', { ...chat, prefix: 'function f() {\n  ', lineMode: 'multi' }).text, 'summary = total;');
    assert.strictEqual(cleanCompletion('Note = a;', { ...chat, prefix: 'function f() {\n  ', lineMode: 'multi' }).text, 'Note = a;');
    // in a comment the prose is what the user is writing
    assert.strictEqual(cleanCompletion('Returns the sum of both numbers.', { ...chat, prefix: 'function f() {\n  // ' }).text, 'Returns the sum of both numbers.');
  });

  it('a fence with a language word opens a block; one with a sentence after it is no fence', () => {
    assert.strictEqual(cleanCompletion('```typescript\na + b;\n```', chat).text, 'a + b;');
    assert.strictEqual(cleanCompletion('~~~\na + b;\n~~~', chat).text, 'a + b;');
    assert.strictEqual(cleanCompletion('```c#\na + b;\n```', chat).text, 'a + b;');
    assert.strictEqual(cleanCompletion('```\na + b;\n``` and more', { ...chat, style: 'fim' }).text, 'a + b;');
  });
});

describe('completion/filters: how much of a reply is kept', () => {
  const csharp = (prefix: string, suffix: string): CleanContext =>
    ctxOf({ prefix, suffix, languageId: 'csharp', lineMode: decideLineMode(prefix, suffix, 'csharp') });

  it('a reply that ends with its statement still open ends after the first line that leaves the fewest brackets open', () => {
    const ctx = csharp('class A {\n  void F() {\n    var x = Call(a, ', '\n    return;\n  }\n}');
    assert.strictEqual(cleanCompletion('b,\n      c, d,\n      e, f', ctx).text, 'b,');
    // the line that closes a bracket of the prefix is kept with the lines before it
    assert.strictEqual(cleanCompletion('b,\n      c)\n      .Then(d', ctx).text, 'b,\n      c)');
    // a statement that ends is kept whole
    assert.strictEqual(cleanCompletion('b,\n      c);', ctx).text, 'b,\n      c);');
    // a one-line reply is kept as it is
    assert.strictEqual(cleanCompletion('b, c', ctx).text, 'b, c');
    // a stray closer while the completion's own brackets are open ends it the same way
    assert.strictEqual(cleanCompletion('b, G(\n      c, H(\n      d]', ctx).text, 'b, G(');
  });

  it('a fill-in-the-middle reply that repeats the keyword before the cursor loses the repeat; a repeated name stays', () => {
    const prefixEchoOf = (prefix: string, reply: string, final = true) => prefixEcho.apply(reply, csharp(prefix, '\n}'), final).text;
    assert.strictEqual(prefixEchoOf('class A {\n  void F(this ', 'this List<T> items)'), 'List<T> items)');
    assert.strictEqual(prefixEchoOf('interface I<in ', 'in T>'), 'T>');
    assert.strictEqual(prefixEchoOf('class A {\n  public ', 'public int X;'), 'int X;');
    assert.strictEqual(prefixEchoOf('class A {\n  public Color ', 'Color { get; }'), 'Color { get; }');
    assert.strictEqual(prefixEchoOf('class A {\n  return ', 'returned;'), 'returned;');
    assert.strictEqual(prefixEchoOf('class A {\n  x = a.this ', 'this.b;'), 'this.b;');
    // while streaming, the start of the keyword waits
    assert.strictEqual(prefixEchoOf('class A {\n  void F(this ', 'thi', false), '');
    assert.strictEqual(prefixEchoOf('class A {\n  void F(this ', 'thi', true), 'thi');
    assert.strictEqual(prefixEchoOf('class A {\n  void F(this ', 'x', false), 'x');
  });
});

describe('completion/filters: the words and marks the rules know', () => {
  const ts = (prefix: string, suffix = '\n}') => ctxOf({ prefix, suffix, languageId: 'typescript', lineMode: decideLineMode(prefix, suffix, 'typescript') });
  const py = (prefix: string, suffix = '\n') => ctxOf({ prefix, suffix, languageId: 'python', lineMode: decideLineMode(prefix, suffix, 'python') });

  it('leadingBreak: a line ending with an operator or a keyword that needs more brings the next line\'s code back', () => {
    const words = ['return', 'await', 'yield', 'new', 'throw', 'in', 'of', 'not', 'and', 'or', 'is', 'if', 'elif', 'while', 'for', 'case', 'import', 'from', 'as', 'extends', 'implements', 'instanceof', 'typeof', 'lambda', 'assert', 'raise', 'del'];
    // After `f(a)` the line is no list of plain words, so only the last word or mark decides.
    for (const end of [...words.map((w) => ` ${w} `), ...'-+*/%&|^=<>!?~.'.split('').map((op) => ` ${op}`)]) {
      assert.deepStrictEqual(leadingBreak.apply('\n    b', py(`    x = f(a)${end}`), true), { text: 'b' }, end);
    }
    // Plain words with nothing after them yet (`public static `, `const x `) need more too.
    for (const prefix of ['    public static ', '    List<int> ', '    @Inject ', '    a.b ', '    int[] ', '    T? ']) {
      assert.deepStrictEqual(leadingBreak.apply('\n    b', py(prefix), true), { text: 'b' }, prefix);
    }
    // A finished expression, or a word that merely ends like a keyword: the break is the model's.
    for (const prefix of ['    x = f(a)', '    x = f(a) + g(b)', '    x = f(a) return_value', '    x = f(a) format', '    x = f(a) ifs']) {
      assert.deepStrictEqual(leadingBreak.apply('\n    b', py(prefix), true), { text: '\n    b' }, prefix);
    }
  });

  it('prefixEcho: each keyword that never follows itself loses its repeat; other words keep theirs', () => {
    const words = 'in out ref this return new public private protected internal static readonly const final var let val def async await yield throw import from class interface struct enum abstract override virtual sealed'.split(' ');
    for (const word of words) {
      assert.deepStrictEqual(prefixEcho.apply(`${word} value`, ts(`  f(a, ${word} `), true), { text: 'value' }, word);
    }
    for (const word of ['Color', 'string', 'value', 'get']) assert.deepStrictEqual(prefixEcho.apply(`${word} value`, ts(`  f(a, ${word} `), true), { text: `${word} value` }, word);
  });

  it('statement: a line ending with an operator or a keyword that needs more goes on; a finished one ends it', () => {
    const ctx = ts('function f() {\n  const x = ');
    const words = ['return', 'await', 'yield', 'new', 'throw', 'in', 'of', 'not', 'and', 'or', 'is', 'instanceof', 'typeof', 'extends', 'implements', 'as', 'case', 'lambda'];
    for (const end of [...words.map((w) => ` ${w}`), ...'-+*/%&|^=<>,.?:!~\\'.split('').map((op) => ` ${op}`)]) {
      assert.deepStrictEqual(statement.apply(`a${end}\n    b\n  c`, ctx, true), { text: `a${end}\n    b`, stop: true }, end);
    }
    for (const end of ['', ' returned', ' b.as_of', '()']) assert.deepStrictEqual(statement.apply(`a${end}\n  c`, ctx, true), { text: `a${end}`, stop: true }, end);
  });

  it('statement: a next line starting with an operator continues the line before; a spread or a word does not', () => {
    const ctx = ts('function f() {\n  const x = ');
    // (A line starting with `*` is the middle of a block comment.)
    for (const start of ['.b', '?.b', '? b', ': b', '&& b', '|| b', '- b', '+ b', '/ b', '% b', '& b', '| b', '^ b', '= b', '< b', '> b', ', b']) {
      assert.deepStrictEqual(statement.apply(`a\n    ${start}\n  c`, ctx, true), { text: `a\n    ${start}`, stop: true }, start);
    }
    for (const start of ['...b', 'b', '(b)']) assert.deepStrictEqual(statement.apply(`a\n    ${start}`, ctx, true), { text: 'a', stop: true }, start);
  });

  it('statement: else, catch and finally go on with the block before them; anything else after it ends it', () => {
    const ctx = ts('function f() {\n  a();\n  ', '\n  b();\n}');
    for (const word of ['else', 'catch', 'finally']) {
      const text = `if (x) {\n    y();\n  } ${word} {\n    z();\n  }`;
      assert.deepStrictEqual(statement.apply(`${text}\n  w();`, ctx, true), { text, stop: true }, word);
    }
    assert.deepStrictEqual(statement.apply('if (x) {\n    y();\n  }\n  elsewhere();', ctx, true), { text: 'if (x) {\n    y();\n  }', stop: true });
    // Python: `elif` and `except` go on with the body before them.
    const pyCtx = py('def g():\n    a = 1\n    ', '\n    return a\n');
    for (const word of ['elif y', 'else', 'except E', 'finally']) {
      const text = `if x:\n        a()\n    ${word}:\n        b()`;
      assert.deepStrictEqual(statement.apply(`${text}\n    c()`, pyCtx, true), { text, stop: true }, word);
    }
  });

  it('blockScope: after the block it opened, a suggestion ends at a closing line (brackets or a closing keyword)', () => {
    const rb = ctxOf({ prefix: 'def f\n  ', suffix: '\nend', languageId: 'ruby', lineMode: 'multi' });
    for (const closer of ['end', 'fi', 'done', 'esac', 'endif', 'endfunction', 'end if', '}', '});', ')', ']']) {
      assert.deepStrictEqual(blockScope.apply(`if x (\n    y\n  ${closer}\n  z`, rb, true), { text: `if x (\n    y\n  ${closer}`, stop: true }, closer);
    }
    for (const other of ['ending', 'z', 'end = 1', 'done()']) assert.deepStrictEqual(blockScope.apply(`if x\n    y\n  ${other}\n  z`, rb, true), { text: 'if x\n    y', stop: true }, other);
  });

  it('chatWrapper: a paragraph explaining the code after it ends the completion', () => {
    const chat = ctxOf({ prefix: 'function f() {\n  return ', suffix: '\n}', style: 'chat', lineMode: 'multi' });
    const openings = ['This code adds', 'this completion works', 'This function returns', 'This will work', 'This fills the hole', 'This adds a', 'This implementation is', 'Note: it', 'Explanation: it', 'The above code', 'The code above', 'The completion returns', 'In this case', 'I have added', 'I added a', 'I used the', 'Let me know if'];
    for (const opening of openings) {
      assert.deepStrictEqual(chatWrapper.apply(`a + b;\nc();\n\n${opening} the sum.`, chat, true), { text: 'a + b;\nc();', stop: true }, opening);
    }
    // Code that starts like a sentence, or prose with no blank line before it, stays.
    for (const line of ['Note(a);', 'this.value = 1;', 'notes.push(x);']) {
      assert.deepStrictEqual(chatWrapper.apply(`a + b;\n\n${line}`, chat, true), { text: `a + b;\n\n${line}` }, line);
    }
  });

  it('chatWrapper: code at the start of a chat reply shows while it streams; only what could be prose waits', () => {
    const chat = ctxOf({ prefix: 'function f() {\n  return ', suffix: '\n}', style: 'chat', lineMode: 'multi', stop: ['</COMPLETION>'] });
    for (const code of ['a + b;', 'x.y();', 'items[0];', '42;', '{ a: 1 };', '(a) => a;', 'sum(a);', 'herein.x;', 'i++;', 'completed();']) {
      const { partials, text } = streamed(`${code}\nnext();\n`, chat);
      assert.strictEqual(text, code);
      assert.ok(partials.slice(0, -1).some((p) => p !== '' && code.startsWith(p)), `${code}: ${JSON.stringify(partials)}`);
    }
  });
});

describe('completion/filters: chat echoes, reasoning and fences while they stream', () => {
  const chatAt = (prefix: string, suffix = '\n') => ctxOf({ prefix, suffix, languageId: 'python', style: 'chat', lineMode: 'multi' });

  it('prefixEcho (chat): the cursor\'s line, alone or with up to three lines above it, repeated at the start is dropped', () => {
    const ctx = chatAt('def f():\n    a = 1\n    b = 2\n    c = 3\n    return ');
    assert.deepStrictEqual(prefixEcho.apply('    return a + b', ctx, true), { text: 'a + b' });
    assert.deepStrictEqual(prefixEcho.apply('return a + b', ctx, true), { text: 'a + b' });
    assert.deepStrictEqual(prefixEcho.apply('    c = 3\n    return a + b', ctx, true), { text: 'a + b' });
    assert.deepStrictEqual(prefixEcho.apply('    a = 1\n    b = 2\n    c = 3\n    return a', ctx, true), { text: 'a' });
    // Four lines above is no longer an echo of the hole's surroundings.
    assert.deepStrictEqual(prefixEcho.apply('def f():\n    a = 1\n    b = 2\n    c = 3\n    return a', ctx, true), { text: 'def f():\n    a = 1\n    b = 2\n    c = 3\n    return a' });
    // While it may still become the echo, nothing shows; once it differs, all of it does.
    assert.deepStrictEqual(prefixEcho.apply('    ret', ctx, false), { text: '' });
    // Once it differs, all of it shows but the spaces after the cursor's space (`return     rev`).
    assert.deepStrictEqual(prefixEcho.apply('    ret', ctx, true), { text: 'ret' });
    assert.deepStrictEqual(prefixEcho.apply('    rev', ctx, false), { text: 'rev' });
    assert.deepStrictEqual(prefixEcho.apply('', ctx, false), { text: '' });
    assert.deepStrictEqual(prefixEcho.apply('a + b', ctx, false), { text: 'a + b' });
  });

  it('prefixEcho (chat): on a line holding only indentation, a reply starting with that indentation loses it', () => {
    const ctx = chatAt('def f():\n    x = 1\n    ', '\n');
    assert.deepStrictEqual(prefixEcho.apply('    return x', ctx, true), { text: 'return x' });
    assert.deepStrictEqual(prefixEcho.apply('  return x', ctx, true), { text: '  return x' });
    assert.deepStrictEqual(prefixEcho.apply('return x', chatAt('def f():\n    x = 1\n', '\n'), true), { text: 'return x' });
  });

  it('reasoning: nothing shows while the block or its opening tag arrives; a reply that only thought gives nothing', () => {
    const ctx = chatAt('x = ');
    for (const partial of ['', '  ', '<', '<th', '<think', '<think>', '<think>a', '<think>a</think>', '<think>a</think>\n\n', '<THINKING>x</THINKING>\n']) {
      assert.deepStrictEqual(reasoning.apply(partial, ctx, false), { text: '' }, JSON.stringify(partial));
    }
    assert.deepStrictEqual(reasoning.apply('<think>a</think>\n', ctx, true), { text: '' });
    assert.deepStrictEqual(reasoning.apply('<think>a</think>\n  \n  b = 1', ctx, false), { text: '  b = 1' });
    assert.deepStrictEqual(reasoning.apply('<thing>', ctx, false), { text: '<thing>' });
    assert.deepStrictEqual(reasoning.apply('<th', ctx, true), { text: '<th' });
    assert.deepStrictEqual(reasoning.apply('a < b', ctx, false), { text: 'a < b' });
  });

  it('chatWrapper (fill-in-the-middle): only a fence at the very start is unwrapped; a half fence waits', () => {
    const fim = ctxOf({ prefix: 'x = ', suffix: '\n', languageId: 'python', lineMode: 'multi' });
    assert.deepStrictEqual(chatWrapper.apply('```python\n1 + 2\n```\nmore', fim, true), { text: '1 + 2', stop: true });
    assert.deepStrictEqual(chatWrapper.apply('  ```\n1 + 2\n', fim, false), { text: '1 + 2\n' });
    for (const partial of ['`', '``', '```', '```py', '~~~', '  ']) assert.deepStrictEqual(chatWrapper.apply(partial, fim, false), { text: '' }, partial);
    for (const whole of ['```', '1 + 2', '`a`', 'a ```']) assert.deepStrictEqual(chatWrapper.apply(whole, fim, true), { text: whole }, whole);
    // Without a fence first, a fill-in-the-middle reply is code, backticks and all.
    assert.deepStrictEqual(chatWrapper.apply('1 + 2\n```\nprose', fim, true), { text: '1 + 2\n```\nprose' });
    assert.deepStrictEqual(chatWrapper.apply('1 + 2 `', fim, false), { text: '1 + 2 `' });
  });
});

describe('completion/filters: the text after the cursor, repeats and the stream itself', () => {
  const java = (prefix: string, suffix: string) => ctxOf({ prefix, suffix, languageId: 'java', lineMode: decideLineMode(prefix, suffix, 'java') });

  it('suffixOverlap: on an empty line, a first line that is the next line of the file is no suggestion', () => {
    const ctx = java('void f() {\n  a();\n  ', '\r\n\r\n  b();\r\n}');
    assert.deepStrictEqual(suffixOverlap.apply('b();\n  c();', ctx, false), { text: '', stop: true });
    assert.deepStrictEqual(suffixOverlap.apply('  b();', ctx, true), { text: '', stop: true });
    // Not yet a whole line while streaming, another line, or code before the cursor: it stays.
    assert.deepStrictEqual(suffixOverlap.apply('b();', ctx, false), { text: 'b();' });
    assert.deepStrictEqual(suffixOverlap.apply('c();\n  d();', ctx, false), { text: 'c();\n  d();' });
    assert.deepStrictEqual(suffixOverlap.apply('b();', java('void f() {\n  a(); ', '\n  b();\n}'), true), { text: 'b();' });
    assert.deepStrictEqual(suffixOverlap.apply('b();', java('void f() {\n  ', ' x\n  b();\n}'), true), { text: 'b();' });
    assert.deepStrictEqual(suffixOverlap.apply('\n  b();', ctx, true), { text: '' , stop: true });
  });

  it('suffixOverlap: a later line equal to the next line of the file ends the suggestion before it', () => {
    const ctx = java('void f() {\n  ', '\n\n  b();\n}');
    assert.deepStrictEqual(suffixOverlap.apply('a();\n  \n  b();\n  c();', ctx, false), { text: 'a();\n  ', stop: true });
    assert.deepStrictEqual(suffixOverlap.apply('a();\n  b();', ctx, false), { text: 'a();\n  b();' });
    assert.deepStrictEqual(suffixOverlap.apply('a();\n  b();', ctx, true), { text: 'a();', stop: true });
    assert.deepStrictEqual(suffixOverlap.apply('a();\n  b();', java('void f() {\n  ', ''), true), { text: 'a();\n  b();' });
  });

  it('repeatedLines: a first line repeating the line above the cursor, right away or after a blank line', () => {
    const ctx = java('void f() {\n  total += price;\n  ', '\n}');
    assert.deepStrictEqual(repeatedLines.apply('total += price;\n  next();', ctx, false), { text: '', stop: true });
    assert.deepStrictEqual(repeatedLines.apply('\n  total += price;\n  next();', ctx, false), { text: '', stop: true });
    assert.deepStrictEqual(repeatedLines.apply('a();\n\n  total += price;', ctx, true), { text: 'a();\n\n  total += price;' });
    // Only on a line of its own, and only a line that says something (`}` may well repeat).
    assert.deepStrictEqual(repeatedLines.apply('total += price;', java('void f() {\n  total += price;\n  x = ', '\n}'), true), { text: 'total += price;' });
    assert.deepStrictEqual(repeatedLines.apply('}', java('void f() {\n  if (a) {\n  }\n  ', '\n}'), true), { text: '}' });
    assert.deepStrictEqual(repeatedLines.apply('total += price;', java('  ', '\n}'), true), { text: 'total += price;' });
  });

  it('repeatedLines: a line, or a group of two or three lines, said again ends the suggestion before the repeat', () => {
    const ctx = java('void f() {\n  ', '\n}');
    assert.deepStrictEqual(repeatedLines.apply('a();\n  a();\n  b();', ctx, true), { text: 'a();', stop: true });
    assert.deepStrictEqual(repeatedLines.apply('a();\n  b();\n  a();\n  b();\n  c();', ctx, true), { text: 'a();\n  b();', stop: true });
    assert.deepStrictEqual(repeatedLines.apply('a();\n  b();\n  c();\n  a();\n  b();\n  c();', ctx, true), { text: 'a();\n  b();\n  c();', stop: true });
    assert.deepStrictEqual(repeatedLines.apply('a();\n  b();\n  c();\n  d();\n  a();\n  b();\n  c();\n  d();', ctx, true), { text: 'a();\n  b();\n  c();\n  d();\n  a();\n  b();\n  c();\n  d();' });
    // Closers repeat in real code; a group made only of them is no repeat.
    assert.deepStrictEqual(repeatedLines.apply('a(\n  )\n  )', ctx, true), { text: 'a(\n  )\n  )' });
    assert.deepStrictEqual(repeatedLines.apply('x = 1;\n  y = 1;', ctx, true), { text: 'x = 1;\n  y = 1;' });
  });

  it('blockScope: a dedented line ends the body, blank lines before it dropped; code back at the cursor\'s level after a one-line start ends it', () => {
    const body = ctxOf({ prefix: 'def f():\n    ', suffix: '\n', languageId: 'python', lineMode: 'multi' });
    assert.deepStrictEqual(blockScope.apply('a()\n    b()\n\n\ndef g():', body, true), { text: 'a()\n    b()', stop: true });
    assert.deepStrictEqual(blockScope.apply('a()\n    b()\n  \n', body, true), { text: 'a()\n    b()\n  \n' });
    assert.deepStrictEqual(blockScope.apply('if x:\n        a()\n\n    b()', body, true), { text: 'if x:\n        a()', stop: true });
    assert.deepStrictEqual(blockScope.apply('    if x:\n        a()\n    b()', body, true), { text: '    if x:\n        a()', stop: true });
    const midLine = ctxOf({ prefix: 'def f():\n    x = [', suffix: '\n', languageId: 'python', lineMode: 'multi' });
    assert.deepStrictEqual(blockScope.apply('1,\n    y = 2', midLine, true), { text: '1,\n    y = 2' });
  });

  it('the cleaner: once stopped it reads no more, says which filter stopped it, and whitespace is nothing', () => {
    const cleaner = new CompletionCleaner(java('void f() {\n  int x = ', '\n}'));
    assert.deepStrictEqual(cleaner.push('1'), { text: '1', stop: false });
    assert.strictEqual(cleaner.stopped, undefined);
    // The `;` ends the statement once its line is complete (a later filter may need the whole line).
    assert.deepStrictEqual(cleaner.push('; y();'), { text: '1;', stop: false });
    assert.deepStrictEqual(cleaner.push('\n'), { text: '1;', stop: true });
    assert.strictEqual(cleaner.stopped, 'statement');
    assert.deepStrictEqual(cleaner.push(' more'), { text: '1;', stop: true });
    assert.strictEqual(cleaner.result(), '1;');
    assert.strictEqual(cleanCompletion('  \n\t', java('void f() {\n  ', '\n}')).text, '');
    assert.strictEqual(cleanCompletion('a();  \n', java('void f() {\n  ', '\n}')).text, 'a();');
    // The filters after the one that stopped see the text as final.
    assert.deepStrictEqual(runFilters('x;\n  y = 1', java('void f() {\n  int a = ', '\n}'), false), { text: 'x;', stoppedBy: 'statement' });
  });

  it('restOfLine: the ending already after the cursor is dropped when the line is no worse bracketed or quoted', () => {
    const ctx = ctxOf({ prefix: 'print("', suffix: '")', languageId: 'python', lineMode: 'single' });
    assert.deepStrictEqual(restOfLine.apply('hello")', ctx, true), { text: 'hello' });
    assert.deepStrictEqual(restOfLine.apply('it\'s")', ctx, true), { text: 'it\'s' });
    // Doubled: which ending is the duplicate is a guess, so both stay.
    assert.deepStrictEqual(restOfLine.apply('a")")', ctx, true), { text: 'a")")' });
    assert.deepStrictEqual(restOfLine.apply('")', ctx, true), { text: '")' });
    assert.deepStrictEqual(restOfLine.apply('hello")', ctx, false), { text: 'hello")' });
  });
});

describe('completion/filters: a statement decided line by line while it streams', () => {
  const ts = (prefix: string, suffix: string) => ctxOf({ prefix, suffix, languageId: 'typescript', lineMode: decideLineMode(prefix, suffix, 'typescript') });
  const ctx = ts('function f() {\n  a();\n  ', '\n  b();\n}');

  it('after a block it closed, the next line\'s first word decides: while it is a bare word, the rest waits', () => {
    const block = 'if (x) {\n    y();\n  }';
    for (const partial of ['\n', '\n  ', '\n  els', '\n  // no']) {
      assert.deepStrictEqual(statement.apply(`${block}${partial}`, ctx, false), { text: block }, JSON.stringify(partial));
    }
    assert.deepStrictEqual(statement.apply(`${block}\n  w(`, ctx, false), { text: block, stop: true });
    assert.deepStrictEqual(statement.apply(`${block}\n  else {`, ctx, false), { text: `${block}\n  else {` });
  });

  it('a comment line after the statement\'s code, outside its brackets, ends it; inside them it belongs to it', () => {
    const at = ts('function f() {\n  const x = ', '\n}');
    assert.deepStrictEqual(statement.apply('a\n  // note\n  .b', at, true), { text: 'a', stop: true });
    assert.deepStrictEqual(statement.apply('g(\n    // first\n    1)\n  c', at, true), { text: 'g(\n    // first\n    1)', stop: true });
    assert.deepStrictEqual(statement.apply('// only a comment\n  a\n  b', at, true), { text: '// only a comment\n  a', stop: true });
  });

  it('a closer of none of its brackets ends the statement, and so does the end of a reply left open', () => {
    const at = ts('function f() {\n  const x = g(', '\n}');
    assert.deepStrictEqual(statement.apply('a, b)\n  next()', at, true), { text: 'a, b)', stop: true });
    assert.deepStrictEqual(statement.apply('a, [b,\n    c]', at, true), { text: 'a, [b,\n    c]' });
    assert.deepStrictEqual(statement.apply('h(a,\n    b,\n    c', ts('function f() {\n  const x = ', '\n}'), true), { text: 'h(a,', stop: true });
    // Nothing but blank after that line: left as it is (the editor trims it).
    assert.deepStrictEqual(statement.apply('h(a,\n    ', ts('function f() {\n  const x = ', '\n}'), true), { text: 'h(a,\n    ' });
  });
});

describe('completion/filters: chat replies end to end, whatever the chunks', () => {
  const chat = ctxOf({ prefix: 'function f() {\n  return ', suffix: '\n}', style: 'chat', lineMode: 'multi', stop: ['</COMPLETION>'], indent: { insertSpaces: true, tabSize: 2 } });
  const table: [string, string][] = [
    ['Here is the code:\n\na + b;', 'a + b;'],
    ['```ts\na + b;\n```\nThis returns the sum.', 'a + b;'],
    ['Sure!\n```\na + b;\n```', 'a + b;'],
    ['<COMPLETION>a + b;</COMPLETION>', 'a + b;'],
    ['a + b;\n\nThis code returns the sum.', 'a + b;'],
    ['```\na + b;', 'a + b;'],
    ['a + b;\n```\nmore', 'a + b;'],
    ['The sum of both.', ''],
    ['```ts\n```', ''],
  ];
  for (const [reply, expected] of table) {
    it(JSON.stringify(reply), () => {
      for (const size of [1, 3, reply.length + 1]) assert.strictEqual(cleanCompletion(reply, chat, size).text, expected, `chunk size ${size}`);
    });
  }
});

describe('completion/filters: what waits while a chat reply starts, and where stop sequences cut', () => {
  const chat = ctxOf({ prefix: 'function f() {\n  return ', suffix: '\n}', style: 'chat', lineMode: 'multi', stop: ['</COMPLETION>'] });

  it('chatWrapper waits while an unfinished first line could still be prose, a heading, a list item or a fence', () => {
    for (const partial of ['## Comp', '### ', '- here', '* ', '+ ', '• a', '1. ', '2) the', '**Code', 'This ret', '"Quoted', '(Note', 'Sure', 'here', "I'", 'Completion :', '`', '``', '~~~', '   ']) {
      assert.deepStrictEqual(chatWrapper.apply(partial, chat, false), { text: '' }, partial);
    }
    for (const partial of ['-1;', 'this.x', 'a + ', '#include', '- x = 1;', '1 + 2', 'items[0]', '**p = 1;', 'Here.x = 1;']) {
      assert.deepStrictEqual(chatWrapper.apply(partial, chat, false), { text: partial }, partial);
    }
  });

  it('stopSequences: the earliest of several stops wins, an empty stop means nothing, and the start of one is held back', () => {
    const ctx = ctxOf({ stop: ['', 'END', 'STOP'] });
    assert.deepStrictEqual(stopSequences.apply('a STOP b END', ctx, false), { text: 'a ', stop: true });
    assert.deepStrictEqual(stopSequences.apply('a END b STOP', ctx, false), { text: 'a ', stop: true });
    assert.deepStrictEqual(stopSequences.apply('plain', ctx, false), { text: 'plain' });
    assert.deepStrictEqual(stopSequences.apply('ab EN', ctx, false), { text: 'ab ' });
    assert.deepStrictEqual(stopSequences.apply('ab STO', ctx, false), { text: 'ab ' });
    assert.deepStrictEqual(stopSequences.apply('S', ctx, false), { text: '' });
    assert.deepStrictEqual(stopSequences.apply('ab ST', ctx, true), { text: 'ab ST' });
    assert.deepStrictEqual(stopSequences.apply('ENDING', ctx, false), { text: '', stop: true });
  });
});
