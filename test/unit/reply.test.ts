import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  answerProblem,
  answerSoFar,
  applyPatch,
  bracketBalance,
  FenceTracker,
  findFencedBlocks,
  implausibleCode,
  isFenceClose,
  isFenceCloseWithText,
  isLanguageTagLine,
  keepCompleteLines,
  lineLooksComplete,
  parseFenceOpen,
  parsePatchReply,
  replyEnding,
  splitReasoning,
  startsPatch,
} from '../../src/core/reply';

const F = '```';

describe('reply/reasoning', () => {
  const rows: [string, string, { answer: string; reasoning: string; open: boolean }][] = [
    ['closed block', '<think>a\nb</think>code', { answer: 'code', reasoning: 'a\nb', open: false }],
    ['two tags', '<thinking>x</thinking>mid<reasoning>y</reasoning>end', { answer: 'midend', reasoning: 'x\n\ny', open: false }],
    ['case-insensitive', '<THINK>x</Think>ok', { answer: 'ok', reasoning: 'x', open: false }],
    ['orphan close (template opened it)', 'plan\n</think>\ncode', { answer: '\ncode', reasoning: 'plan', open: false }],
    ['unclosed at the start', '  <think>still going', { answer: '', reasoning: 'still going', open: true }],
    ['unclosed in the middle is text', 'x <think>y', { answer: 'x <think>y', reasoning: '', open: false }],
    ['no reasoning', 'just code', { answer: 'just code', reasoning: '', open: false }],
    ['empty block', '<think></think>a', { answer: 'a', reasoning: '', open: false }],
  ];
  for (const [name, text, expected] of rows) it(`splitReasoning: ${name}`, () => assert.deepEqual(splitReasoning(text), expected));

  it('answerSoFar: a tag still arriving is thinking, not text', () => {
    assert.deepEqual(answerSoFar(''), { answer: '', thinking: false });
    assert.deepEqual(answerSoFar(' <thi'), { answer: '', thinking: true });
    assert.deepEqual(answerSoFar('<reasoning'), { answer: '', thinking: true });
    assert.deepEqual(answerSoFar('<b>'), { answer: '<b>', thinking: false });
    assert.deepEqual(answerSoFar('<think>abc'), { answer: '', thinking: true });
    assert.deepEqual(answerSoFar('<think>abc</think>Answer'), { answer: 'Answer', thinking: false });
  });
});

describe('reply/fences', () => {
  const bodies = (text: string) => findFencedBlocks(text).map((b) => [b.info, b.lines.join('\n'), b.closed]);

  it('reads a fence nested in a longer fence, and one of the same length with a language', () => {
    assert.deepEqual(bodies('````md\n# T\n```js\nx\n```\n````'), [['md', '# T\n```js\nx\n```', true]]);
    assert.deepEqual(bodies(F + 'md\nA\n' + F + 'js\nx\n' + F + '\nB\n' + F + '\nafter'), [['md', 'A\n```js\nx\n```\nB', true]]);
  });

  it('a longer fence closes its block even with a nested one open', () => {
    assert.deepEqual(bodies('````\n```js\nx\n````\n'), [['', '```js\nx', true]]);
  });

  it('a template literal holding a fence stays code', () => {
    assert.deepEqual(bodies(F + 'ts\nconst s = `\n' + F + 'sh\nls\n' + F + '\n`;\n' + F), [['ts', 'const s = `\n```sh\nls\n```\n`;', true]]);
  });

  it('a nested reading that never closes falls back to the plain one', () => {
    assert.deepEqual(bodies(F + 'md\n' + F + 'js\nx\n' + F + '\ntail'), [['md', '```js\nx', true]]);
  });

  it('a closing fence followed by a sentence closes the block', () => {
    assert.deepEqual(bodies(F + 'ts\na();\n' + F + ' This calls a.\nmore'), [['ts', 'a();', true]]);
    assert.deepEqual(bodies('~~~\na();\n~~~That is all.'), [['', 'a();', true]]);
  });

  it('an unclosed block runs to the end without its trailing blank lines; indented fences lose their indent', () => {
    assert.deepEqual(bodies(F + '\na\n\n'), [['', 'a', false]]);
    assert.deepEqual(bodies('  ' + F + '\n  a\n   b\n  ' + F), [['', 'a\n b', true]]);
  });

  it('one-line fences and several blocks', () => {
    assert.deepEqual(bodies(F + 'x + 1' + F + '\n' + F + 'py\ny\n' + F), [['', 'x + 1', true], ['py', 'y', true]]);
  });

  it('fence lines with a Windows line end (`\\r` kept by a split on `\\n`) read like the others', () => {
    assert.deepEqual(parseFenceOpen('```ts\r'), { indent: '', char: '`', length: 3, info: 'ts' });
    assert.deepEqual(parseFenceOpen('  ~~~~\r'), { indent: '  ', char: '~', length: 4, info: '' });
    assert.equal(parseFenceOpen('``\r'), undefined);
    assert.equal(isFenceClose('```\r', parseFenceOpen('```py')!), true);
    assert.equal(isFenceClose('```x\r', parseFenceOpen('```py')!), false);
  });

  it('isFenceCloseWithText tells a sentence from an info string', () => {
    const open = parseFenceOpen(F)!;
    assert.equal(isFenceCloseWithText('``` Done.', open), true);
    assert.equal(isFenceCloseWithText('```ts', open), false);
    assert.equal(isFenceCloseWithText('```ts title="a.ts"', open), false);
    assert.equal(isFenceCloseWithText('```{.py}', open), false);
    assert.equal(isFenceCloseWithText('``` 123', open), false);
    assert.equal(isFenceCloseWithText('~~~ Done.', open), false);
    assert.equal(isFenceCloseWithText('```', open), false);
    assert.equal(isFenceCloseWithText('`` Done.', open), false);
    assert.equal(isFenceCloseWithText('```` Done.', parseFenceOpen('````')!), true);
    assert.equal(isFenceCloseWithText('``` Done.', parseFenceOpen('````')!), false);
  });

  it('FenceTracker counts nesting', () => {
    const t = new FenceTracker(parseFenceOpen('```md')!);
    assert.equal(t.line('```js'), 'content');
    assert.equal(t.depth, 1);
    assert.equal(t.line('~~~'), 'content');
    assert.equal(t.depth, 1);
    assert.equal(t.line('```'), 'content');
    assert.equal(t.depth, 0);
    assert.equal(t.line('``` Nested? No.'), 'close');
  });

  it('parseFenceOpen refuses a backtick info string holding a backtick', () => {
    assert.equal(parseFenceOpen('```a`b'), undefined);
    assert.deepEqual(parseFenceOpen('\t~~~~ rust '), { indent: '\t', char: '~', length: 4, info: 'rust' });
  });
});

describe('reply/prose: isLanguageTagLine', () => {
  for (const [line, lang, yes] of [
    ['typescript', undefined, true],
    ['  TypeScript:  ', undefined, true],
    ['ts', undefined, true],
    ['hcl', 'hcl', true],
    ['hcl', undefined, false],
    ['', undefined, false],
    ['typescript code', undefined, false],
    ['x = 1', 'python', false],
  ] as const) {
    it(`${JSON.stringify(line)} (${lang ?? '-'}) → ${yes}`, () => assert.equal(isLanguageTagLine(line, lang), yes));
  }
});

describe('reply/patch', () => {
  const sel = ['a()', '  b()', '', 'c()'];

  it('parses a unified diff with headers and applies it, keeping the selection’s context lines', () => {
    const patch = parsePatchReply('--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a()\n-  b()\n+  b(1)\n\n\\ No newline at end of file\nThat is the change.\n')!;
    assert.equal(patch.format, 'unifiedDiff');
    assert.deepEqual(applyPatch(['a() ', '  b()', '', 'c()'], patch), { ok: true, lines: ['a() ', '  b(1)', '', 'c()'] });
  });

  it('applies hunks in order and finds them ignoring indentation; line numbers do not matter', () => {
    const patch = parsePatchReply('@@ -90 +90 @@\n-a()\n+a(0)\n@@ -99 +99 @@\n-c()\n+c(2)\n')!;
    assert.deepEqual(applyPatch(sel, patch), { ok: true, lines: ['a(0)', '  b()', '', 'c(2)'] });
    const loose = parsePatchReply('@@ @@\n-b()\n+  b(2)\n')!;
    assert.deepEqual(applyPatch(sel, loose), { ok: true, lines: ['a()', '  b(2)', '', 'c()'] });
  });

  it('a second file header starts a new edit; a fence ends the diff', () => {
    const patch = parsePatchReply('```diff\n--- a/x\n+++ b/x\n-a()\n+A()\n--- a/y\n+++ b/y\n-c()\n+C()\n```\n-ignored\n')!;
    assert.equal(patch.edits.length, 2);
    assert.deepEqual(applyPatch(sel, patch), { ok: true, lines: ['A()', '  b()', '', 'C()'] });
  });

  it('refuses a hunk that does not apply and says which', () => {
    const patch = parsePatchReply('@@ @@\n-a()\n+A()\n@@ @@\n-z()\n+Z()\n')!;
    assert.deepEqual(applyPatch(sel, patch), { ok: false, failedEdit: 1, edits: 2 });
  });

  it('SEARCH/REPLACE blocks, several, and an empty SEARCH as a whole rewrite', () => {
    const two = parsePatchReply('<<<<<<< SEARCH\na()\n=======\nA()\n>>>>>>> REPLACE\ntext\n<<<<<<< SEARCH\nc()\n=======\n>>>>>>> REPLACE')!;
    assert.equal(two.format, 'searchReplace');
    assert.deepEqual(applyPatch(sel, two), { ok: true, lines: ['A()', '  b()', ''] });
    const whole = parsePatchReply('<<<<<<< SEARCH\n=======\nnew()\n>>>>>>> REPLACE')!;
    assert.deepEqual(applyPatch(sel, whole), { ok: true, lines: ['new()'] });
    const nothing = parsePatchReply('<<<<<<< SEARCH\n=======\n>>>>>>> REPLACE')!;
    assert.equal(applyPatch(sel, nothing).ok, false);
  });

  it('is no patch: plain code, a diff document, trailing blank context', () => {
    assert.equal(parsePatchReply('a()\n-b\n+c\n'), undefined);
    assert.equal(parsePatchReply('@@ -1 +1 @@\n-a\n+b\n', 'diff'), undefined);
    const tail = parsePatchReply('@@ @@\n-a()\n+A()\n\n\n')!;
    assert.deepEqual(tail.edits[0].old.map((l) => l.text), ['a()']);
  });

  it('startsPatch', () => {
    assert.equal(startsPatch('', '<<<<<<< SEARCH'), true);
    assert.equal(startsPatch('', '@@ -1,2 +1,2 @@'), true);
    assert.equal(startsPatch('--- a/x', '+++ b/x'), true);
    assert.equal(startsPatch('x', '+++ b/x'), false);
    assert.equal(startsPatch('', '-- comment'), false);
  });

  it('applying never throws, and a diff of a selection against itself gives it back', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', ' b', '', 'c()', '\td'), { minLength: 1, maxLength: 8 }), (lines) => {
        const patch = parsePatchReply('@@ @@\n' + lines.map((l) => ' ' + l).join('\n') + '\n+added\n');
        if (!patch) return;
        const out = applyPatch(lines, patch);
        assert.ok(out.ok);
      }),
    );
  });
});

describe('reply/plausible', () => {
  const sel = ['function total(items) {', '  let sum = 0;', '  for (const item of items) sum += item.price;', '  return sum;', '}'];
  const rows: [string, string[], string | undefined][] = [
    ['a real rewrite', ['function total(items) {', '  return items.reduce((s, i) => s + i.price, 0);', '}'], undefined],
    ['sentences', ['This function adds the prices of the items together.', 'It returns the sum of them all.'], 'prose'],
    ['words with no syntax', ['the items price sum total of the loop here'], 'prose'],
    ['brackets far off', ['function total(items) {', '  {{{ items.price sum'], 'brackets'],
    ['brackets in strings do not count', ['function total(items) {', '  return "{{{" + items.price + sum;', '}'], undefined],
    ['a loop of one token', Array.from({ length: 8 }, () => 'sum sum sum sum;'), 'repetition'],
    ['none of the names', ['import numpy as np', 'x = np.zeros(3)'], 'identifiers'],
    ['nothing but blank lines', ['', ' '], undefined],
  ];
  for (const [name, code, why] of rows) it(name, () => assert.equal(implausibleCode(code, sel)?.why, why));

  it('prose documents and small selections are not judged on names', () => {
    assert.equal(implausibleCode(['Totally different words here.'], sel, { proseLanguage: true }), undefined);
    assert.equal(implausibleCode(['y = 2'], ['x = 1']), undefined);
  });

  it('bracketBalance skips strings and line comments', () => {
    assert.equal(bracketBalance(['f(a, [b]) {', '  "(" // )', "  '[' # ]"]), 1);
    assert.equal(bracketBalance(['`${x}(`', '}']), -1);
  });
});

describe('reply/cutoff', () => {
  it('replyEnding', () => {
    assert.equal(replyEnding('stop'), 'complete');
    assert.equal(replyEnding('tool_calls'), 'complete');
    assert.equal(replyEnding('length'), 'length');
    assert.equal(replyEnding('max_tokens'), 'length');
    assert.equal(replyEnding(null), 'closed');
    assert.equal(replyEnding(undefined), 'closed');
    assert.equal(replyEnding(''), 'closed');
  });

  for (const [line, complete] of [
    ['foo(a, b);', true],
    ['return x', true],
    ['}', true],
    ['', true],
    ['foo(a, ', false],
    ['x = ', false],
    ['a.b.', false],
    ['items.map((i) => {', false],
    ['const s = "abc', false],
    ["print('a(')", true],
    ['if x and', false],
    ['return', false],
    ['a ||', false],
  ] as const) {
    it(`lineLooksComplete(${JSON.stringify(line)}) is ${complete}`, () => assert.equal(lineLooksComplete(line), complete));
  }

  it('keepCompleteLines keeps complete lines and a complete last line', () => {
    assert.equal(keepCompleteLines('a();\nb(1, '), 'a();');
    assert.equal(keepCompleteLines('a();\nb(1);'), 'a();\nb(1);');
    assert.equal(keepCompleteLines('b(1, '), '');
    assert.equal(keepCompleteLines('a();\n'), 'a();\n');
  });

  it('answerProblem names reasoning without an answer and cut-off answers', () => {
    assert.equal(answerProblem({ text: 'An answer.', finishReason: 'stop' }), undefined);
    assert.equal(answerProblem({ text: '<think>hm</think>', finishReason: 'stop' }), 'The model only reasoned and gave no answer.');
    assert.equal(answerProblem({ text: '', reasoning: 'hm', finishReason: 'length', completionTokens: 9 }), 'The reply was cut off after 9 tokens, while the model was still thinking.');
    assert.equal(answerProblem({ text: 'Half an', finishReason: 'length', completionTokens: 3 }), 'The answer was cut off after 3 tokens.');
    assert.equal(answerProblem({ text: 'Half an', finishReason: null }), 'The answer was cut off: the server closed the stream before the model finished.');
  });
});
