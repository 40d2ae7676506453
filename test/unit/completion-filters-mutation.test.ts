/**
 * More cases for the completion filters (src/core/completion/filters.ts), each written against a rule a
 * mutation run showed no test held: raw model replies with the text each filter lets through, and the
 * streamed-equals-whole property on replies whose chunk boundaries used to matter.
 */
import * as assert from 'assert';
import {
  type CleanContext,
  CompletionCleaner,
  blockScope,
  bracketBalance,
  chatWrapper,
  cleanCompletion,
  indentStyle,
  leadingBreak,
  lineMode,
  loop,
  memberAccess,
  operatorSpacing,
  prefixEcho,
  reasoning,
  repeatedLines,
  restOfLine,
  runFilters,
  statement,
  stopSequences,
  suffixOverlap,
} from '../../src/core/completion/filters';
import { ctxOf } from './support/cleanContext';
import { decideLineMode } from '../../src/core/completion/position';


/** A context whose line mode is decided the way the editor decides it. */
const at = (prefix: string, suffix: string, languageId: string, over: Partial<CleanContext> = {}): CleanContext =>
  ctxOf({ prefix, suffix, languageId, lineMode: decideLineMode(prefix, suffix, languageId), ...over });

/** The same text whatever the size of the chunks the reply arrives in. */
function sameStreamed(reply: string, ctx: CleanContext, expected: string): void {
  assert.strictEqual(cleanCompletion(reply, ctx, reply.length + 1).text, expected, 'whole reply');
  for (const size of [1, 2, 3, 5]) assert.strictEqual(cleanCompletion(reply, ctx, size).text, expected, `chunk size ${size}`);
}

const chat = ctxOf({ prefix: 'function f() {\n  return ', suffix: '\n}', style: 'chat', stop: ['</COMPLETION>'] });
const fim = ctxOf({ prefix: 'x = ', suffix: '\n', languageId: 'python' });
/** A chat reply for the body of a block: the statement rules do not cut it. */
const chatBody = ctxOf({ prefix: 'function f() {\n  ', suffix: '\n}', style: 'chat', stop: ['</COMPLETION>'], indent: { insertSpaces: true, tabSize: 2 } });

describe('completion/filters (more cases): chat wrapper', () => {
  it('a fill-in-the-middle reply opening with blank lines and then a fence is unwrapped', () => {
    assert.deepStrictEqual(chatWrapper.apply('\n```ts\nx\n```', fim, true), { text: 'x', stop: true });
  });

  it('three backticks followed by words open no block in a fill-in-the-middle reply', () => {
    assert.deepStrictEqual(chatWrapper.apply('``` quoted words\nmore', fim, true), { text: '``` quoted words\nmore' });
  });

  it('a fill-in-the-middle reply starting with backticks that are no fence is code (a template literal)', () => {
    assert.deepStrictEqual(chatWrapper.apply('`${a}` + b', fim, false), { text: '`${a}` + b' });
    // A fence with a language word and a trailing space is still a fence to wait for.
    assert.deepStrictEqual(chatWrapper.apply('```ts ', fim, false), { text: '' });
  });

  it('completion tags are chat words: a fenced fill-in-the-middle reply keeps them', () => {
    assert.deepStrictEqual(chatWrapper.apply('```html\n<completion>done</completion>\n```', fim, true), { text: '<completion>done</completion>', stop: true });
    assert.deepStrictEqual(chatWrapper.apply('```html\n<div>\n<COMP', fim, false), { text: '<div>\n<COMP' });
    // At the end of a chat reply the start of a tag is text (nothing more can complete it).
    assert.deepStrictEqual(chatWrapper.apply('a + b <COMPL', chat, true), { text: 'a + b <COMPL' });
    assert.deepStrictEqual(chatWrapper.apply('a + b <COMPL', chat, false), { text: 'a + b ' });
    assert.deepStrictEqual(chatWrapper.apply('a + b <|cur', chat, false), { text: 'a + b ' });
  });

  it('a chat reply starting with code is not held back when its next line could be prose', () => {
    assert.deepStrictEqual(chatWrapper.apply('a + b;\nThis', chat, false), { text: 'a + b;\nThis' });
  });

  it('blank lines (spaces included) before an unfinished sentence are held with it', () => {
    for (const partial of ['\nThe sum', '  \nThe sum', '\t\nThe sum']) assert.deepStrictEqual(chatWrapper.apply(partial, chat, false), { text: '' }, JSON.stringify(partial));
  });

  it('an introduction followed by the start of a fence (indented or not) waits; code after it does not', () => {
    for (const partial of ['Here is the code:\n``', 'Here is the code:\n  ``', 'Here is the code:\n~']) assert.deepStrictEqual(chatWrapper.apply(partial, chat, false), { text: '' }, partial);
    assert.deepStrictEqual(chatWrapper.apply('Here is the code:\nx = `', chat, false), { text: 'x = `' });
  });

  it('blank lines with spaces before the opening fence are dropped with it', () => {
    assert.deepStrictEqual(chatWrapper.apply('  \n```\na\n```', chat, true), { text: 'a', stop: true });
  });

  it('half a fence at the end of code is held while streaming only when a fence opened the block', () => {
    assert.deepStrictEqual(chatWrapper.apply('a + b;\n`', chat, false), { text: 'a + b;\n`' });
    assert.deepStrictEqual(chatWrapper.apply('```py\na\n``', fim, false), { text: 'a' });
    assert.deepStrictEqual(chatWrapper.apply('```py\na\n  `', fim, false), { text: 'a' });
    assert.deepStrictEqual(chatWrapper.apply('```py\n``', fim, false), { text: '' });
    assert.deepStrictEqual(chatWrapper.apply('```js\nx\n`${y}`', fim, false), { text: 'x\n`${y}`' });
    // At the end of the reply, two backticks are code.
    assert.deepStrictEqual(chatWrapper.apply('```py\na\n``', fim, true), { text: 'a\n``' });
  });

  it('an empty fenced block is an empty suggestion, in either reply style', () => {
    assert.deepStrictEqual(chatWrapper.apply('```ts\n```\nmore', fim, true), { text: '', stop: true });
    assert.deepStrictEqual(chatWrapper.apply('```ts\n```\n\nThis code is empty.', chat, true), { text: '', stop: true });
  });

  it('a chat reply that is only an opening fence gives nothing, even at its end', () => {
    assert.deepStrictEqual(chatWrapper.apply('```ts', chat, true), { text: '' });
    assert.deepStrictEqual(chatWrapper.apply('Here is the code:\n```ts', chat, true), { text: '' });
  });

  it('a fence line still arriving closes nothing: streamed like whole', () => {
    sameStreamed('x = 1;\n```js\ny', chatBody, 'x = 1;\n  ```js\n  y');
  });

  it('in a fill-in-the-middle reply, code after a blank line is never an explanation', () => {
    assert.deepStrictEqual(chatWrapper.apply('```python\nx = 1\n\nnote = 2\n```', fim, true), { text: 'x = 1\n\nnote = 2', stop: true });
  });

  it('an explanation after the closing fence is not looked for: the fence ends the completion', () => {
    assert.deepStrictEqual(chatWrapper.apply('```ts\na;\n```\n\nThis code adds a.', chat, true), { text: 'a;', stop: true });
  });

  it('an explanation: indented, after a line of spaces, with a ; inside the sentence; never without a blank line before it', () => {
    assert.deepStrictEqual(chatWrapper.apply('a;\n\n  This code adds one.', chat, true), { text: 'a;', stop: true });
    assert.deepStrictEqual(chatWrapper.apply('a;\n  \nThis code adds one.', chat, true), { text: 'a;', stop: true });
    assert.deepStrictEqual(chatWrapper.apply('a;\n\nNote: it works; it adds one.', chat, true), { text: 'a;', stop: true });
    assert.deepStrictEqual(chatWrapper.apply('x = compute()\nnote = 2', chat, true), { text: 'x = compute()\nnote = 2' });
    // Code after a blank line that only mentions a word of one.
    assert.deepStrictEqual(chatWrapper.apply('a + b;\n\nconsole.log(note)', chat, true), { text: 'a + b;\n\nconsole.log(note)' });
  });

  it('an explanation ends the stream as soon as its line is complete', () => {
    const cleaner = new CompletionCleaner(chatBody);
    assert.strictEqual(cleaner.push('a;\n\nThis code adds one.').stop, false);
    assert.deepStrictEqual(cleaner.push('\n'), { text: 'a;', stop: true });
    assert.strictEqual(cleaner.stopped, 'chatWrapper');
  });

  it('a line that starts like an explanation but is code, judged only once complete: streamed like whole', () => {
    sameStreamed('a;\n\nthis code.x = 1;', chatBody, 'a;\n\n  this code.x = 1;');
  });

  it('blank lines after an opening fence: held while a chat reply streams, passed at its end and in fill-in-the-middle replies', () => {
    assert.deepStrictEqual(chatWrapper.apply('```ts\n\n', chat, false), { text: '' });
    assert.deepStrictEqual(chatWrapper.apply('```ts\n  ', chat, false), { text: '' });
    assert.deepStrictEqual(chatWrapper.apply('```ts\n  ', chat, true), { text: '  ' });
    assert.deepStrictEqual(chatWrapper.apply('```ts\n  ', fim, false), { text: '  ' });
  });

  it('prose inside a fence: no suggestion in a chat reply, code in a fill-in-the-middle one', () => {
    assert.deepStrictEqual(chatWrapper.apply('```\nThe sum of both numbers is returned.\n', chat, true), { text: '' });
    assert.deepStrictEqual(chatWrapper.apply('```text\nHello there, this is the answer.', fim, true), { text: 'Hello there, this is the answer.' });
  });

  it('an indented introduction is still one', () => {
    assert.strictEqual(cleanCompletion('  the missing code:\n```\na;\n```', chat).text, 'a;');
  });

  it('introductions the completion rules know: "the complete …", a space before the colon', () => {
    for (const intro of ['the complete line:', 'completion :', 'answer :', 'output :']) {
      assert.strictEqual(cleanCompletion(`${intro}\n\`\`\`ts\na + b;\n\`\`\``, chat, 1000).text, 'a + b;', intro);
    }
  });

  it('a line of code holding the words of an introduction is code', () => {
    assert.strictEqual(cleanCompletion('label = "the rest";', chat, 1000).text, 'label = "the rest";');
  });

  it('a sentence alone is no suggestion after an operator; inside an open string of any quote it is the text', () => {
    const sentence = 'The sum of both numbers.';
    assert.strictEqual(cleanCompletion(sentence, { ...chat, prefix: 'function f() {\n  return a * ' }).text, '');
    // (Odd lengths of the cursor's line: a quote that matched nothing would count as open.)
    for (const prefix of ['  s = "', "  s = '", '  s = `']) {
      assert.strictEqual(cleanCompletion(sentence, { ...chat, prefix: `function f() {\n${prefix}` }).text, sentence, prefix);
    }
  });

  it('what may still become prose waits: an indented sentence, a heading mark, a numbered item', () => {
    for (const partial of ['  This ret', '## ', '12. ']) assert.deepStrictEqual(chatWrapper.apply(partial, chat, false), { text: '' }, partial);
    assert.deepStrictEqual(chatWrapper.apply('foo(Bar', chat, false), { text: 'foo(Bar' });
    // After two lines of prose, a lowercase preface word still may be a third.
    assert.deepStrictEqual(chatWrapper.apply('Sure!\nGreat question.\nokay', chat, false), { text: '' });
  });
});

describe('completion/filters (more cases): reasoning', () => {
  const ctx = ctxOf({ prefix: 'x = ', languageId: 'python' });

  it('the closing tag matches whatever its case', () => {
    assert.deepStrictEqual(reasoning.apply('<Think>x</THINK>\na;', ctx, true), { text: 'a;' });
  });

  it('only the blank lines right after the block go; blank lines inside the answer stay', () => {
    assert.deepStrictEqual(reasoning.apply('<think>x</think>a;\n\nb;', ctx, true), { text: 'a;\n\nb;' });
    assert.deepStrictEqual(reasoning.apply('<think>a</think>\n  ', ctx, false), { text: '' });
    assert.deepStrictEqual(reasoning.apply('<think>a</think>\n  ', ctx, true), { text: '  ' });
  });
});

describe('completion/filters (more cases): leading line breaks', () => {
  const py = (prefix: string, suffix = '\n') => at(prefix, suffix, 'python');

  it('a keyword or a run of words without a trailing space is unfinished too', () => {
    assert.deepStrictEqual(leadingBreak.apply('\n    b', py('    x = await'), true), { text: 'b' });
    assert.deepStrictEqual(leadingBreak.apply('\n    b', py('    public static  '), true), { text: 'b' });
    // A word after a finished expression is not a declaration's start.
    assert.deepStrictEqual(leadingBreak.apply('\n    b', py('    x = f(a) format '), true), { text: '\n    b' });
  });

  it('in a language without statement rules, the break after an operator is the model\'s', () => {
    assert.deepStrictEqual(leadingBreak.apply('\n  1', at('x = ', '\n', 'ruby'), true), { text: '\n  1' });
  });

  it('with ;, only the end of the cursor\'s line decides whether the statement is finished', () => {
    assert.deepStrictEqual(leadingBreak.apply('\n    c;', at('  a(); b = ', '\n', 'java'), true), { text: 'c;' });
  });

  it('a comment after the cursor is no code after it; a directive with nothing after it keeps the break', () => {
    assert.deepStrictEqual(leadingBreak.apply('\n    y = 2', py('    x = 1', '  # note\n'), true), { text: '\n    y = 2' });
    assert.deepStrictEqual(leadingBreak.apply('\n<stdio.h>', at('#include ', '  \n', 'c'), true), { text: '\n<stdio.h>' });
  });

  it('a lone slash is held only while it may become a comment; at the end of a reply it is code', () => {
    const java = at('  x = ', '\n', 'java');
    assert.deepStrictEqual(leadingBreak.apply('\n  /', java, true), { text: '/' });
    assert.deepStrictEqual(leadingBreak.apply('\n  /\n  2;', java, false), { text: '/\n  2;' });
    // On a line of its own, too; a word there is code at once.
    const own = py('def f():\n    ', '\n');
    assert.deepStrictEqual(leadingBreak.apply('\n/', own, false), { text: '' });
    assert.deepStrictEqual(leadingBreak.apply('\nab', own, false), { text: 'ab' });
  });

  it('a python line may start with // (floor division), a line in a language without comments with anything', () => {
    assert.deepStrictEqual(leadingBreak.apply('\n    //', py('    x = '), false), { text: '//' });
    const plain = ctxOf({ prefix: 'a ', suffix: ' b', languageId: 'plaintext', lineMode: 'single' });
    assert.deepStrictEqual(leadingBreak.apply('\n  x', plain, false), { text: 'x' });
    assert.deepStrictEqual(leadingBreak.apply('\n  //', plain, false), { text: '' });
  });

  it('on a line of its own, only the indentation the line already has goes', () => {
    assert.deepStrictEqual(leadingBreak.apply('\n        a()', py('def f():\n    ', '\n'), true), { text: '    a()' });
    assert.deepStrictEqual(leadingBreak.apply('\n  \tx = 1', py('def f():\n\t', '\n'), true), { text: 'x = 1' });
  });
});

describe('completion/filters (more cases): echoes', () => {
  it('fill-in-the-middle: a three-character line is long enough to be an echo; spaces do not count', () => {
    assert.deepStrictEqual(prefixEcho.apply('int x = 1;', at('void f() {\n  int ', '\n}', 'java'), true), { text: 'x = 1;' });
    assert.deepStrictEqual(prefixEcho.apply('a  =  b;', at('void f() {\n  a  =  ', '\n}', 'java'), true), { text: 'a  =  b;' });
  });

  it('fill-in-the-middle: while the reply may still be the lines above the cursor written again, nothing shows', () => {
    const ctx = at('class A\n{\n    [NotNull]\n    public ', '\n}', 'csharp');
    assert.deepStrictEqual(prefixEcho.apply('[NotN', ctx, false), { text: '' });
    assert.deepStrictEqual(prefixEcho.apply('[NotNull]\n    public string Name {', ctx, true), { text: 'string Name {' });
  });

  it('fill-in-the-middle: the start of an echo waits, the start of other code does not', () => {
    const ctx = at('void f() {\n  total = ', '\n}', 'java');
    assert.deepStrictEqual(prefixEcho.apply('tot', ctx, false), { text: '' });
    assert.deepStrictEqual(prefixEcho.apply('tot', ctx, true), { text: 'tot' });
  });

  it('fill-in-the-middle: a keyword at the start of the line, or before two spaces, is repeated too', () => {
    assert.deepStrictEqual(prefixEcho.apply('public static int x', ctxOf({ prefix: 'public ', suffix: ' = 1;', languageId: 'csharp', lineMode: 'single' }), true), { text: 'static int x' });
    assert.deepStrictEqual(prefixEcho.apply('this value', at('function f() {\n  g(a, this  ', '\n}', 'typescript'), true), { text: 'value' });
  });

  it('chat: a cursor line shorter than two characters is no echo; one of two is', () => {
    const ctxAt = (prefix: string) => ctxOf({ prefix, suffix: '\n', languageId: 'python', style: 'chat' });
    assert.deepStrictEqual(prefixEcho.apply('b = 2', ctxAt('def f():\n  b'), true), { text: 'b = 2' });
    assert.deepStrictEqual(prefixEcho.apply('ab = 2', ctxAt('def f():\n  ab'), true), { text: ' = 2' });
    assert.deepStrictEqual(prefixEcho.apply('  x = 1', ctxAt('def f():\n  x'), true), { text: '  x = 1' });
  });

  it('chat: the first characters of a reply show unless they may be an echo; spaces after the cursor\'s space wait for what follows', () => {
    const ctx = ctxOf({ prefix: 'def f():\n    a = 1\n    return ', suffix: '\n', languageId: 'python', style: 'chat' });
    assert.deepStrictEqual(prefixEcho.apply('S', ctx, false), { text: 'S' });
    assert.deepStrictEqual(prefixEcho.apply('  ', ctx, false), { text: '' });
    assert.deepStrictEqual(prefixEcho.apply('  S', ctx, false), { text: 'S' });
    assert.deepStrictEqual(prefixEcho.apply('  \n    S', ctx, false), { text: '  \n    S' });
  });
});

describe('completion/filters (more cases): indentation and operators', () => {
  const ctx = ctxOf({ prefix: 'def f(r):\n    ', style: 'chat', languageId: 'python' });

  it('a chat reply from column 0: the first line with code decides, not a line of spaces', () => {
    assert.strictEqual(indentStyle.apply('x = 1\n      \ny = 2', ctx, true).text, 'x = 1\n      \n    y = 2');
  });

  it('a line opens a block only when it ends with the opener', () => {
    assert.strictEqual(indentStyle.apply('y = f(x\n    z', ctx, true).text, 'y = f(x\n    z');
    assert.strictEqual(indentStyle.apply('a = f(b) + c\n    d = 1', ctx, true).text, 'a = f(b) + c\n    d = 1');
  });

  it('operatorSpacing: while streaming, only a ! or != at the very end waits', () => {
    assert.deepStrictEqual(operatorSpacing.apply('if (a!= b', ctxOf({ prefix: 'int a = 1;\nif (' }), false), { text: 'if (a != b' });
  });

  it('lineMode: a reply starting with a line break is an empty line', () => {
    assert.deepStrictEqual(lineMode.apply('\nfoo', ctxOf({ lineMode: 'single', suffix: ' + c;' }), false), { text: '', stop: true });
  });
});

describe('completion/filters (more cases): the chain and the cleaner', () => {
  it('filters after the one that stopped see the text as final', () => {
    const ctx = ctxOf({ prefix: 'print(', suffix: ')', languageId: 'python', lineMode: 'single' });
    assert.deepStrictEqual(runFilters('"a")\nmore', ctx, false), { text: '"a"', stoppedBy: 'lineMode' });
  });

  it('the first filter that stops is the one named', () => {
    const ctx = ctxOf({ suffix: ' + c;', lineMode: 'single', stop: ['<END>'] });
    assert.deepStrictEqual(runFilters('a\nb<END>', ctx, false), { text: 'a', stoppedBy: 'stopSequences' });
  });

  it('a control token at the very start ends the completion before any stop sequence', () => {
    assert.deepStrictEqual(stopSequences.apply('<|im_end|>a<END>', ctxOf({ stop: ['<END>'] }), false), { text: '', stop: true });
  });

  it('the filter named is the one that ends the final text, even when a later one stopped the stream first', () => {
    // lineMode stops the stream at the line break; at the end the closing fence is what ends it.
    const ctx = ctxOf({ prefix: 'x = f(', suffix: ', b);\n', style: 'chat', lineMode: 'single' });
    const cleaner = new CompletionCleaner(ctx);
    assert.deepStrictEqual(cleaner.push('a + b\n```'), { text: 'a + b', stop: true });
    assert.strictEqual(cleaner.stopped, 'chatWrapper');
  });

  it('a new cleaner shows nothing yet', () => {
    const cleaner = new CompletionCleaner(ctxOf({}));
    assert.strictEqual(cleaner.partial, '');
    assert.strictEqual(cleaner.stopped, undefined);
  });
});

describe('completion/filters (more cases): one statement', () => {
  const java = (prefix: string, suffix = '\n}\n') => at(prefix, suffix, 'java');
  const ts = (prefix: string, suffix = '\n}\n') => at(prefix, suffix, 'typescript');
  const py = (prefix: string, suffix = '\n') => at(prefix, suffix, 'python');

  it('a blank line inside a statement is skipped: the line after it may still continue it', () => {
    assert.deepStrictEqual(statement.apply('users\n\n  .map(f)\nx', ts('function f() {\n  const x = '), true), { text: 'users\n\n  .map(f)', stop: true });
  });

  it('the first line is not held back for its first word', () => {
    assert.deepStrictEqual(statement.apply('users', ts('function f() {\n  const x = '), false), { text: 'users' });
  });

  it('else and catch continue only a block the statement closed, not a plain line or a call', () => {
    assert.deepStrictEqual(statement.apply('a\n  else {\n  }', ts('function f() {\n  const x = '), true), { text: 'a', stop: true });
    assert.deepStrictEqual(statement.apply('g(a)\n  catch (e) {}', ts('function f() {\n  const x = '), true), { text: 'g(a)', stop: true });
  });

  it('python: a conditional expression back at the statement\'s level is no else branch', () => {
    assert.deepStrictEqual(statement.apply('if x:\n        a()\n    y = 1 if a else 2\n    z()', py('def g():\n    a = 1\n    ', '\n    return a\n'), true), { text: 'if x:\n        a()', stop: true });
  });

  it('comment lines before any code belong to the statement that follows them', () => {
    assert.deepStrictEqual(statement.apply('// one\n// two\na();\nb();', java('void f() {\n  x();\n  ', '\n  y();\n}'), true), { text: '// one\n// two\na();', stop: true });
  });

  it('the string the cursor is in ends where its quote closes; later lines are lexed on their own', () => {
    assert.deepStrictEqual(statement.apply('a; b";\n  c();', java('void f() {\n  s = "'), true), { text: 'a; b";', stop: true });
    assert.deepStrictEqual(statement.apply('x" +\n    "y";\n  z();', java('void f() {\n  s = "'), true), { text: 'x" +\n    "y";', stop: true });
    assert.deepStrictEqual(statement.apply('x" +\n    "a;b";\n  z();', java('void f() {\n  s = "'), true), { text: 'x" +\n    "a;b";', stop: true });
  });

  it('the string the cursor is in: a line that does not close it is all string; the first quote left open is the one', () => {
    assert.deepStrictEqual(statement.apply('a; b', java('void f() {\n  s = "'), true), { text: 'a; b' });
    assert.deepStrictEqual(statement.apply('x"; y', java('void f() {\n  s = "it\'s '), true), { text: 'x";', stop: true });
  });

  it('the first stray closer ends the statement', () => {
    assert.deepStrictEqual(statement.apply('a) + b);', java('void f() {\n  x = '), true), { text: 'a', stop: true });
  });

  it('trailing spaces at the end of the statement go', () => {
    assert.deepStrictEqual(statement.apply('a()  \nb()', ts('function f() {\n  const x = '), true), { text: 'a()', stop: true });
  });

  it('a block opener whose body is below ends the statement only once its line is complete', () => {
    const ctx = java('class A {\n  void f() {\n    if (', '\n      go();\n    }\n  }\n}');
    assert.deepStrictEqual(statement.apply('ready) {', ctx, false), { text: 'ready) {' });
    assert.deepStrictEqual(statement.apply('ready():', py('def g():\n    if ', '\n        go()\n'), false), { text: 'ready():' });
    // The code after the cursor must close the block (read from the line after the cursor's).
    assert.deepStrictEqual(statement.apply('ready) {\n      go();\n    }', java('class A {\n  void f() {\n    if (', '\n      go();\n    }\n  }\n}\n'), false), { text: 'ready) {', stop: true });
    const unclosed = java('class A {\n  void f() {\n    if (', '\n      go();\n');
    assert.deepStrictEqual(statement.apply('ready) {\n      go();\n    }', unclosed, true), { text: 'ready) {\n      go();\n    }' });
    const mismatched = java('class A {\n  void f() {\n    if (', '\n      go(];\n    }\n  }\n}');
    assert.deepStrictEqual(statement.apply('ready) {\n      go();\n    }', mismatched, true), { text: 'ready) {\n      go();\n    }' });
  });

  it('an argument list the code after the cursor closes: its next line is not the completion\'s (only after an opener)', () => {
    const ctx = java('void f() {\n  call(', '\n      a,\n      b);\n}');
    assert.deepStrictEqual(statement.apply('x,\n      y', ctx, false), { text: 'x,\n      y' });
    const nested = java('void f() {\n  call(', '\n      a,\n      b));\n}');
    assert.deepStrictEqual(statement.apply('g(x,\n      y', nested, false), { text: 'g(x,\n      y' });
  });

  it('one line asked for: a block body inside the completion\'s own brackets ends it, even inside a call opened before the cursor', () => {
    const single = (prefix: string, suffix = '\n        return x;\n    }\n}') => ctxOf({ prefix, suffix, languageId: 'java', lineMode: 'single' });
    const reply = 'query(sql, new Extractor() {\n            public Long run() {\n                return 1L;\n            }\n        });';
    assert.deepStrictEqual(statement.apply(reply, single('class A {\n    long f() {\n        Object x = run('), true), { text: 'query(sql, new Extractor() {', stop: true });
    // A block opened right in the brackets of the call before the cursor, or nested in the completion's
    // own block, is written out.
    const anon = 'new Extractor() {\n            public Long run() {\n                return 1L;\n            }\n        });';
    assert.deepStrictEqual(statement.apply(anon, single('class A {\n    long f() {\n        Object x = run('), true), { text: 'new Extractor() {\n            public Long run() {\n                return 1L;\n            }\n        });', stop: true });
    const runnable = 'new Runnable() {\n      public void run() {\n        go();\n      }\n    };\n    next();';
    assert.deepStrictEqual(statement.apply(runnable, single('class A {\n  void f() {\n    Runnable r = ', '\n  }\n}'), true), { text: 'new Runnable() {\n      public void run() {\n        go();\n      }\n    };', stop: true });
  });
});

describe('completion/filters (more cases): brackets, the text after the cursor, repeats', () => {
  const call = ctxOf({ prefix: 'foo(', suffix: ')' });
  const fn = ctxOf({ prefix: 'function f() {\n  ' });

  it('bracketBalance: the closer after the cursor counts past spaces; only the cursor\'s line is compared with it', () => {
    assert.deepStrictEqual(bracketBalance.apply('a, b)', ctxOf({ prefix: 'foo(', suffix: ' )' }), true), { text: 'a, b', stop: true });
    assert.deepStrictEqual(bracketBalance.apply('a,\n  b)', call, true), { text: 'a,\n  b)' });
    assert.deepStrictEqual(bracketBalance.apply('\n  b)', call, true), { text: '\n  b)' });
  });

  it('bracketBalance: while streaming, the cursor\'s line is judged once complete, later lines likewise', () => {
    assert.deepStrictEqual(bracketBalance.apply('a)', call, false), { text: 'a)' });
    assert.deepStrictEqual(bracketBalance.apply('a)\nb', call, false), { text: 'a', stop: true });
    assert.deepStrictEqual(bracketBalance.apply('a;\n  )', fn, false), { text: 'a;\n  )' });
    assert.deepStrictEqual(bracketBalance.apply('a;\n  b)\n  c', fn, false), { text: 'a;\n  b', stop: true });
    assert.deepStrictEqual(bracketBalance.apply('a;\n  b)\n  c', fn, true), { text: 'a;\n  b', stop: true });
  });

  it('bracketBalance: the first stray closer decides, on the first line or a later one; spaces before it go', () => {
    assert.deepStrictEqual(bracketBalance.apply('a)\n  ]', call, true), { text: 'a', stop: true });
    assert.deepStrictEqual(bracketBalance.apply(')\n  ]', call, true), { text: '', stop: true });
    assert.deepStrictEqual(bracketBalance.apply('\n  b)', ctxOf({ prefix: 'x = ' }), true), { text: '\n  b', stop: true });
    assert.deepStrictEqual(bracketBalance.apply('a  )', call, true), { text: 'a', stop: true });
  });

  it('bracketBalance: a closer inside the string the cursor is in closes nothing', () => {
    assert.deepStrictEqual(bracketBalance.apply('a)b', ctxOf({ prefix: 'f("', suffix: ')' }), true), { text: 'a)b' });
  });

  it('suffixOverlap: only lines after the cursor\'s are the file\'s next lines; a line of spaces after the cursor is empty', () => {
    assert.deepStrictEqual(suffixOverlap.apply('b();\nc();', ctxOf({ prefix: 'a(); ', suffix: 'c();\n  d();' }), true), { text: 'b();\nc();' });
    assert.deepStrictEqual(suffixOverlap.apply('b();', ctxOf({ prefix: 'void f() {\n  ', suffix: '  \n  b();\n}' }), true), { text: '', stop: true });
    assert.deepStrictEqual(suffixOverlap.apply('a();\nb();\nc();', ctxOf({ prefix: 'void f() {\n', suffix: '\nc();\n}' }), true), { text: 'a();\nb();', stop: true });
    // Windows line ends in the reply.
    const crlf = suffixOverlap.apply('a();\r\n  b();\r\n  c();', ctxOf({ prefix: 'void f() {\n  ', suffix: '\n  b();\n}' }), true);
    assert.deepStrictEqual({ text: crlf.text.trimEnd(), stop: crlf.stop }, { text: 'a();', stop: true });
  });

  it('restOfLine: spaces around the rest of the line and at the end of the completion do not hide the repeat', () => {
    const ctx = ctxOf({ prefix: 'print(', suffix: ')  ', languageId: 'python', lineMode: 'single' });
    assert.deepStrictEqual(restOfLine.apply('"a")', ctx, true), { text: '"a"' });
    assert.deepStrictEqual(restOfLine.apply('"a")\n', ctx, true), { text: '"a"' });
    assert.deepStrictEqual(restOfLine.apply('"a")  ', ctx, true), { text: '"a"' });
    assert.deepStrictEqual(restOfLine.apply('"a" )', ctx, true), { text: '"a"' });
  });

  it('restOfLine: the rest of the line written inside the completion ends it there: a rest of four characters or more, with a word', () => {
    assert.deepStrictEqual(restOfLine.apply('a, x,y), z', at('f(', 'x,y)', 'typescript'), true), { text: 'a,' });
    assert.deepStrictEqual(restOfLine.apply('obj.name + 1', ctxOf({ prefix: 'x = ', suffix: 'name', lineMode: 'single' }), true), { text: 'obj.' });
    assert.deepStrictEqual(restOfLine.apply('a, x), y', ctxOf({ prefix: 'g(', suffix: 'x)', lineMode: 'single' }), true), { text: 'a, x), y' });
    // Doubled with a space between: which one is the duplicate is still a guess.
    assert.deepStrictEqual(restOfLine.apply('a; ;', at('x = ', ';', 'java'), true), { text: 'a; ;' });
  });

  it('restOfLine: a quote after the cursor is kept when dropping it would leave a string open', () => {
    assert.deepStrictEqual(restOfLine.apply('a"', ctxOf({ prefix: 'x = ', suffix: '"', lineMode: 'single' }), true), { text: 'a"' });
  });

  it('repeatedLines: lines of closers are no repeat; indentation tells lines apart', () => {
    const ctx = ctxOf({ prefix: 'void f() {\n  ', suffix: '\n}', languageId: 'java' });
    assert.deepStrictEqual(repeatedLines.apply('a(() => {\n  })\n  })', ctx, true), { text: 'a(() => {\n  })\n  })' });
    assert.deepStrictEqual(repeatedLines.apply('nested(\n    nested(\n      nested(', ctx, true), { text: 'nested(\n    nested(\n      nested(' });
  });

  it('repeatedLines: the line above the cursor, at the cursor on a line of its own only', () => {
    assert.deepStrictEqual(repeatedLines.apply('total += price;\n  next();', ctxOf({ prefix: 'total += price;\n', languageId: 'java' }), false), { text: '', stop: true });
    assert.deepStrictEqual(repeatedLines.apply('price;', ctxOf({ prefix: 'void f() {\n  total = price;\n  total = ', languageId: 'java' }), true), { text: 'price;' });
    const blank = ctxOf({ prefix: 'void f() {\n  total += price;\n', languageId: 'java' });
    assert.deepStrictEqual(repeatedLines.apply('a();\n  total += price;', blank, true), { text: 'a();\n  total += price;' });
    const own = ctxOf({ prefix: 'void f() {\n  total += price;\n  ', suffix: '\n}', languageId: 'java' });
    assert.deepStrictEqual(repeatedLines.apply('\n  a();\n  total += price;', own, true), { text: '\n  a();\n  total += price;' });
    assert.deepStrictEqual(repeatedLines.apply('a();\n  total += price;', own, true), { text: 'a();\n  total += price;' });
    assert.deepStrictEqual(repeatedLines.apply('\n  a();', own, true), { text: '\n  a();' });
    assert.deepStrictEqual(repeatedLines.apply('  \n  total += price;', own, true), { text: '  ', stop: true });
  });

  it('repeatedLines: a group with a closer line in it repeats too; unindented groups are cut whole', () => {
    const ctx = ctxOf({ prefix: 'void f() {\n  ', suffix: '\n}', languageId: 'java' });
    assert.deepStrictEqual(repeatedLines.apply('a();\n  }\n  a();\n  }\n  a();', ctx, true), { text: 'a();\n  }\n  a();', stop: true });
    assert.deepStrictEqual(repeatedLines.apply('a();\nb();\na();\nb();', ctxOf({ prefix: 'x();\n', languageId: 'java' }), true), { text: 'a();\nb();', stop: true });
  });
});

describe('completion/filters (more cases): a reply that ends in a loop', () => {
  it('is cut at the end of the reply only, and only when it loops', () => {
    const looping = 'Quest'.repeat(40) + 'Que';
    assert.deepStrictEqual(loop.apply(looping, ctxOf({}), false), { text: looping });
    assert.deepStrictEqual(loop.apply(looping, ctxOf({}), true), { text: 'Quest', stop: true });
    assert.deepStrictEqual(loop.apply('list.add(1);\n    list.add(2);', ctxOf({}), true), { text: 'list.add(1);\n    list.add(2);' });
  });
});

describe('completion/filters (more cases): block scope', () => {
  const body = ctxOf({ prefix: 'def f():\n    ', suffix: '\n', languageId: 'python', lineMode: 'multi' });
  const tsBody = ctxOf({ prefix: 'function f() {\n  if (a) {', suffix: '\n  }\n}', languageId: 'typescript', lineMode: 'multi' });

  it('only where a block is asked for', () => {
    assert.deepStrictEqual(blockScope.apply('a\nb', ctxOf({ prefix: 'def f():\n    x = ', suffix: ' + 1', languageId: 'python', lineMode: 'single' }), true), { text: 'a\nb' });
  });

  it('after code on the cursor\'s line, the next line at its level is another statement', () => {
    assert.deepStrictEqual(blockScope.apply(' go();\n  next();', tsBody, true), { text: ' go();', stop: true });
    assert.deepStrictEqual(blockScope.apply(' a();\n\n  next();', tsBody, true), { text: ' a();', stop: true });
    assert.deepStrictEqual(blockScope.apply(' a();\n\n\n  next();', tsBody, true), { text: ' a();', stop: true });
    assert.deepStrictEqual(blockScope.apply(' b(\n    c);\n', tsBody, true), { text: ' b(\n    c);\n' });
    assert.deepStrictEqual(blockScope.apply(' if (b) {\n    x();\n  }\n  y();', tsBody, true), { text: ' if (b) {\n    x();\n  }', stop: true });
  });

  it('code that never goes deeper than the cursor\'s line is not cut at its level', () => {
    assert.deepStrictEqual(blockScope.apply('\n  b();', tsBody, true), { text: '\n  b();' });
    assert.deepStrictEqual(blockScope.apply('  \n  b();', tsBody, true), { text: '  \n  b();' });
  });

  it('a first line deeper than the cursor opens the block: the next line at the cursor\'s level ends it', () => {
    assert.deepStrictEqual(blockScope.apply('    x = 1\n    y = 2', body, true), { text: '    x = 1', stop: true });
  });

  it('blank lines before the line that ends the block go, however many', () => {
    assert.deepStrictEqual(blockScope.apply('if x:\n        a()\n\n\n    b()', body, true), { text: 'if x:\n        a()', stop: true });
  });

  it('a closing keyword ends the block with it even when no bracket is open; spaces inside `end if` are free', () => {
    const rb = ctxOf({ prefix: 'def f\n  ', suffix: '\nend', languageId: 'ruby', lineMode: 'multi' });
    assert.deepStrictEqual(blockScope.apply('if x\n    y\n  end\n  z', rb, true), { text: 'if x\n    y\n  end', stop: true });
    assert.deepStrictEqual(blockScope.apply('if x (\n    y\n  end  if\n  z', rb, true), { text: 'if x (\n    y\n  end  if', stop: true });
  });
});

describe('completion/filters (more cases): line ends and odd lines', () => {
  it('a line starting with `undefined` in a language without comments is code', () => {
    const plain = ctxOf({ prefix: 'a ', suffix: ' b', languageId: 'plaintext', lineMode: 'single' });
    assert.deepStrictEqual(leadingBreak.apply('\nundefined', plain, true), { text: 'undefined' });
  });

  it('a line with a * in it is no comment', () => {
    assert.deepStrictEqual(leadingBreak.apply('\n  a * b;', at('  x = ', '\n', 'java'), true), { text: 'a * b;' });
  });
});

describe('completion/filters: a new statement written after a member-access dot', () => {
  const py = (linePrefix: string) => ctxOf({ prefix: `def f(util):\n    ${linePrefix}`, suffix: '\n', languageId: 'python', lineMode: 'single' });
  const java = ctxOf({ prefix: 'class A {\n  void f() {\n    Object c = jdbc.', suffix: '\n  }\n}', languageId: 'java', lineMode: 'single' });
  const cs = ctxOf({ prefix: 'class A {\n  void F() {\n    var c = db.', suffix: '\n  }\n}', languageId: 'csharp', lineMode: 'single' });

  it('suggests nothing when the first word can never name a member', () => {
    assert.deepStrictEqual(memberAccess.apply('import itertools', py('x = util.'), true), { text: '', stop: true });
    assert.deepStrictEqual(memberAccess.apply('def proj(p):', py('e = T.'), true), { text: '', stop: true });
    assert.deepStrictEqual(memberAccess.apply('return', py('e = T.'), true), { text: '', stop: true });
    assert.deepStrictEqual(memberAccess.apply('package com.example;', java, true), { text: '', stop: true });
    assert.deepStrictEqual(memberAccess.apply('using System;', cs, true), { text: '', stop: true });
  });

  it('keeps names that only start like a keyword, and keywords that may follow a dot', () => {
    assert.deepStrictEqual(memberAccess.apply('decode("utf-8")', py('s = b.'), true), { text: 'decode("utf-8")' });
    assert.deepStrictEqual(memberAccess.apply('imports', py('s = b.'), true), { text: 'imports' });
    assert.deepStrictEqual(memberAccess.apply('if2(x)', py('s = b.'), true), { text: 'if2(x)' });
    assert.deepStrictEqual(memberAccess.apply('def_', py('s = b.'), true), { text: 'def_' });
    assert.deepStrictEqual(memberAccess.apply('été()', py('s = b.'), true), { text: 'été()' });
    assert.deepStrictEqual(memberAccess.apply('match(x)', py('s = re.'), true), { text: 'match(x)' });
    const outer = ctxOf({ prefix: 'class A {\n  Object o = Outer.', suffix: '\n}', languageId: 'java', lineMode: 'single' });
    assert.deepStrictEqual(memberAccess.apply('class;', outer, true), { text: 'class;' });
    assert.deepStrictEqual(memberAccess.apply('this;', outer, true), { text: 'this;' });
    // JavaScript's keywords are member names (`promise.catch`).
    const ts = ctxOf({ prefix: 'p.', suffix: '', languageId: 'typescript', lineMode: 'single' });
    assert.deepStrictEqual(memberAccess.apply('catch(e => e)', ts, true), { text: 'catch(e => e)' });
  });

  it('suggests nothing when what follows the dot cannot start a name: a comment, an operator, a bracket', () => {
    assert.deepStrictEqual(memberAccess.apply('#     for ii in x:\n#         y', py('z = (a if b else util.'), true), { text: '', stop: true });
    assert.deepStrictEqual(memberAccess.apply('* p_t))', py('e = Pi(T.'), true), { text: '', stop: true });
    assert.deepStrictEqual(memberAccess.apply("['key']", py('v = config.'), true), { text: '', stop: true });
    assert.deepStrictEqual(memberAccess.apply('// }\n// @Override', java, true), { text: '', stop: true });
    assert.deepStrictEqual(memberAccess.apply('()', java, true), { text: '', stop: true });
    // What may start a member's name in each language.
    assert.deepStrictEqual(memberAccess.apply('<String>of()', java, true), { text: '<String>of()' });
    assert.deepStrictEqual(memberAccess.apply('$x', java, true), { text: '$x' });
    const go = ctxOf({ prefix: 'func f(x any) {\n\tv := x.', suffix: '\n}', languageId: 'go', lineMode: 'single' });
    assert.deepStrictEqual(memberAccess.apply('(int)', go, true), { text: '(int)' });
    assert.deepStrictEqual(memberAccess.apply('@class', cs, true), { text: '@class' });
    assert.deepStrictEqual(memberAccess.apply('<int>', cs, true), { text: '', stop: true });
  });

  it('drops spaces between the dot and the name; spaces alone wait', () => {
    assert.deepStrictEqual(memberAccess.apply('   add(1)', py('r.'), true), { text: 'add(1)' });
    assert.deepStrictEqual(memberAccess.apply('\tadd(1)', py('r.'), true), { text: 'add(1)' });
    assert.deepStrictEqual(memberAccess.apply('  ', py('r.'), false), { text: '' });
    assert.deepStrictEqual(memberAccess.apply('  ', py('r.'), true), { text: '' });
    assert.deepStrictEqual(memberAccess.apply('  import x', py('r.'), true), { text: '', stop: true });
  });

  it('applies only right after a dot that follows a name, a call or an index, outside import lines', () => {
    assert.deepStrictEqual(memberAccess.apply('# c', py('y = a.b'), true), { text: '# c' });
    assert.deepStrictEqual(memberAccess.apply('import os', ctxOf({ prefix: 'util.', suffix: '', languageId: 'python', lineMode: 'single' }), true), { text: '', stop: true });
    assert.deepStrictEqual(memberAccess.apply('def x', py('print("import", obj.'), true), { text: '', stop: true });
    const go = ctxOf({ prefix: 'func f(x any) {\n\tv := x.', suffix: '\n}', languageId: 'go', lineMode: 'single' });
    assert.deepStrictEqual(memberAccess.apply('// c', go, true), { text: '', stop: true });
    assert.deepStrictEqual(memberAccess.apply('func() {}', go, true), { text: '', stop: true });
    assert.deepStrictEqual(memberAccess.apply('Name', go, true), { text: 'Name' });
    assert.deepStrictEqual(memberAccess.apply('import os', py('x = '), true), { text: 'import os' });
    assert.deepStrictEqual(memberAccess.apply('import os', py('x = 1.'), true), { text: 'import os' });
    assert.deepStrictEqual(memberAccess.apply('if x', py('y = f(a).'), true), { text: '', stop: true });
    assert.deepStrictEqual(memberAccess.apply('if x', py('y = a[0].'), true), { text: '', stop: true });
    assert.deepStrictEqual(memberAccess.apply('import y', py('from a.'), true), { text: 'import y' });
    assert.deepStrictEqual(memberAccess.apply('import y', py('import a.'), true), { text: 'import y' });
    // In a string or a comment a dot ends a sentence: what follows is text.
    assert.deepStrictEqual(memberAccess.apply(' Please retry")', py('log("could not read config.'), true), { text: ' Please retry")' });
    assert.deepStrictEqual(memberAccess.apply(' If it fails', py('x = 1  # read the config.'), true), { text: ' If it fails' });
  });

  it('waits while the first word may still become such a keyword, and shows it once it cannot', () => {
    assert.deepStrictEqual(memberAccess.apply('de', py('s = b.'), false), { text: '' });
    assert.deepStrictEqual(memberAccess.apply('dec', py('s = b.'), false), { text: 'dec' });
    assert.deepStrictEqual(memberAccess.apply('def', py('s = b.'), false), { text: '' });
    assert.deepStrictEqual(memberAccess.apply('def ', py('s = b.'), false), { text: '', stop: true });
    assert.deepStrictEqual(memberAccess.apply('', py('s = b.'), false), { text: '' });
    assert.deepStrictEqual(memberAccess.apply('x', py('s = b.'), false), { text: 'x' });
    // Streamed in any chunks, the whole cleaning gives what it gives on the whole reply.
    for (const reply of ['def proj(p):\n    return p', 'decode()', 'import os', 'de', '  fuse(v)', '# x\n# y', ' ']) {
      const whole = cleanCompletion(reply, py('s = b.'), reply.length).text;
      for (const size of [1, 2, 3]) assert.strictEqual(cleanCompletion(reply, py('s = b.'), size).text, whole, `${reply} in chunks of ${size}`);
    }
    assert.strictEqual(cleanCompletion('def proj(p):', py('s = b.'), 2).text, '');
    assert.strictEqual(cleanCompletion('decode()', py('s = b.'), 2).text, 'decode()');
  });
});

describe('completion/filters: the spaces before the cursor written again, through the chain', () => {
  it('drops them after code, keeps them where they line up with the line above or below', () => {
    const go = (prefix: string, suffix: string) => ctxOf({ prefix, suffix, languageId: 'go', lineMode: 'single', indent: { insertSpaces: false, tabSize: 4 } });
    assert.strictEqual(cleanCompletion('   string', go('type T struct {\n\tID      int\n\tName ', '\n}'), 2).text, '   string');
    assert.strictEqual(cleanCompletion('   string', go('type T struct {\n\tName ', '\n\tAge     int\n}'), 2).text, '   string');
    assert.strictEqual(cleanCompletion('   string', go('type T struct {\n\tName ', '\n}'), 2).text, 'string');
    // Only the line right above counts, and only what is on it (a short line above lines up with nothing).
    assert.strictEqual(cleanCompletion('   string', go('\tID      int\n\tA\n\tName ', '\n}'), 2).text, 'string');
    assert.strictEqual(cleanCompletion('   int', go('\tx ', '\n}'), 2).text, 'int');
    const java = ctxOf({ prefix: 'class A {\n  String f() {\n    return ', suffix: '\n  }\n}', languageId: 'java', lineMode: 'single' });
    for (const size of [1, 2, 5]) assert.strictEqual(cleanCompletion(' country.getCode();', java, size).text, 'country.getCode();');
  });

  it('leaves them, and a second dot, alone in a string or a comment, in both reply styles', () => {
    for (const style of ['fim', 'chat'] as const) {
      const py = (prefix: string) => ctxOf({ prefix, suffix: '\n', languageId: 'python', lineMode: 'single', style });
      assert.strictEqual(prefixEcho.apply('  world"', py('s = "hello '), true).text, '  world"', style);
      assert.strictEqual(prefixEcho.apply('  and then', py('x = 1  # first '), true).text, '  and then', style);
      assert.strictEqual(prefixEcho.apply('.txt"', py('name = "file.'), true).text, '.txt"', style);
      assert.strictEqual(prefixEcho.apply('.org', py('x = 1  # see example.'), true).text, '.org', style);
      assert.strictEqual(prefixEcho.apply('  world', py('s = hello '), true).text, 'world', style);
      assert.strictEqual(prefixEcho.apply('.txt', py('name = file.'), true).text, 'txt', style);
    }
  });
});
