import * as assert from 'assert';
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { extractRewrite, ExtractContext, findFencedBlocks, isProseLine, stripReasoning } from '../../src/core/edit/extract';

/**
 * Raw model replies beside the expected result: fixtures/edit/<case>/
 *   selection.txt, reply.txt, expected.txt (absent when the reply must be refused),
 *   optional before.txt / after.txt, and case.json { languageId?, refused?: a RefusalReason (extract.ts) }.
 */
const FIXTURES = path.join(__dirname, '../../../test/unit/fixtures/edit');

function readOptional(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

describe('extractRewrite: fixture replies', () => {
  const cases = fs.readdirSync(FIXTURES).filter((d) => fs.statSync(path.join(FIXTURES, d)).isDirectory());
  it('has at least 15 fixture cases', () => assert.ok(cases.length >= 15, `${cases.length} cases`));
  for (const name of cases) {
    it(name, () => {
      const dir = path.join(FIXTURES, name);
      const meta = JSON.parse(readOptional(path.join(dir, 'case.json')) ?? '{}') as { languageId?: string; refused?: string };
      const ctx: ExtractContext = {
        selection: fs.readFileSync(path.join(dir, 'selection.txt'), 'utf8'),
        languageId: meta.languageId,
        before: readOptional(path.join(dir, 'before.txt')),
        after: readOptional(path.join(dir, 'after.txt')),
      };
      const result = extractRewrite(fs.readFileSync(path.join(dir, 'reply.txt'), 'utf8'), ctx);
      const expected = readOptional(path.join(dir, 'expected.txt'));
      if (expected === undefined) {
        assert.strictEqual(result.ok, false, `expected a refusal, got ${JSON.stringify(result)}`);
        if (!result.ok && meta.refused) assert.strictEqual(result.reason, meta.refused);
      } else {
        assert.deepStrictEqual(result, { ok: true, text: expected });
      }
    });
  }
});

describe('extractRewrite: table', () => {
  const sel = 'function f() {\n  return 1;\n}\n';
  const rows: { name: string; reply: string; ctx?: Partial<ExtractContext>; selection?: string; text?: string; reason?: string }[] = [
    { name: 'plain fence', reply: '```\nfunction f() {\n  return 2;\n}\n```', text: 'function f() {\n  return 2;\n}\n' },
    { name: 'four-backtick fence holding a triple one', selection: 'const md = `x`;\n', reply: '````ts\nconst md = "```";\n````', text: 'const md = "```";\n' },
    { name: 'unclosed fence (cut stream)', reply: '```js\nfunction f() {\n  return 2;\n}\n', text: 'function f() {\n  return 2;\n}\n' },
    { name: 'empty fence', reply: '```ts\n```', reason: 'empty' },
    { name: 'whitespace only', reply: ' \n\t\n', reason: 'empty' },
    { name: 'same code, dropped final newline', reply: 'function f() {\n  return 1;\n}', reason: 'unchanged' },
    { name: 'same code, CRLF', reply: '```\r\nfunction f() {\r\n  return 1;\r\n}\r\n```\r\n', reason: 'unchanged' },
    { name: 'same code with dedent and 4-space reply of a 2-space file', selection: '  x();\n  y();\n', reply: 'x();\ny();', reason: 'unchanged' },
    { name: 'prose only', reply: 'This function already returns the right value, so there is nothing to change.', reason: 'noCode' },
    { name: 'bulleted explanation only', reply: '- The function is pure.\n- It has no side effects, so it can stay as it is.', reason: 'noCode' },
    { name: 'dangling </think> from a template-opened reasoning', reply: 'thinking about it...\n</think>\n```\nfunction f() {\n  return 3;\n}\n```', text: 'function f() {\n  return 3;\n}\n' },
    { name: 'CRLF selection, LF reply', selection: 'a();\r\nb();\r\n', reply: '```\na();\nc();\n```', text: 'a();\r\nc();\r\n' },
    { name: 'eol from context when the selection has none', selection: 'a();', ctx: { eol: '\r\n' }, reply: '```\na();\nb();\n```', text: 'a();\r\nb();' },
    { name: 'selection blank lines around are kept', selection: '\nx = 1\n\n', reply: '```py\nx = 2\n```', text: '\nx = 2\n\n' },
    { name: 'python keyword line is code', selection: 'for item in items:\n    print(item)\n', reply: 'for item in items:\n    print(item, end="")\n', text: 'for item in items:\n    print(item, end="")\n' },
    { name: 'selection starting mid-indentation', selection: 'if (a) {\n    b();\n  }\n', ctx: { before: 'function g() {\n  ' }, reply: '```\nif (a) {\n  b();\n  c();\n}\n```', text: 'if (a) {\n    b();\n    c();\n  }\n' },
    { name: 'selection starting mid-line, model repeats the line start', selection: 'a + b;\n', ctx: { before: 'x\n  return ' }, reply: '```\nreturn a + b + c;\n```', text: 'a + b + c;\n' },
    { name: 'spaces file, tab reply', selection: 'if x:\n    y()\n', reply: '```python\nif x:\n\ty()\n\tz()\n```', text: 'if x:\n    y()\n    z()\n' },
    { name: 'repeated closing brace of the enclosing block', selection: '  a();\n  b();\n', ctx: { before: 'function g() {\n', after: '}\n' }, reply: '```\n  a();\n  c();\n}\n```', text: '  a();\n  c();\n' },
    { name: 'insertion on an empty line', selection: '', ctx: { before: 'a();\n', after: '\nb();\n' }, reply: '```\nx();\ny();\n```', text: 'x();\ny();' },
    { name: 'insertion at the start of a line with text', selection: '', ctx: { before: 'a();\n', after: 'b();\n' }, reply: '```\nx();\n```', text: 'x();\n' },
    { name: 'a selected blank line keeps its newline', selection: '\n', reply: '```\nx();\n```', text: 'x();\n' },
    { name: 'keeps a closing brace that balances the rewrite', selection: '  if (a) {\n    b();\n  }\n', ctx: { before: 'function g() {\n', after: '}\n' }, reply: '```\n  if (a) {\n    c();\n  }\n```', text: '  if (a) {\n    c();\n  }\n' },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const result = extractRewrite(row.reply, { selection: row.selection ?? sel, ...row.ctx });
      if (row.reason) {
        assert.strictEqual(result.ok, false, JSON.stringify(result));
        if (!result.ok) assert.strictEqual(result.reason, row.reason);
      } else {
        assert.deepStrictEqual(result, { ok: true, text: row.text });
      }
    });
  }

  it('says "The model proposed no changes." for an unchanged reply', () => {
    const result = extractRewrite(sel, { selection: sel });
    assert.deepStrictEqual(result, { ok: false, reason: 'unchanged', message: 'The model proposed no changes.' });
  });
});

describe('extract helpers', () => {
  it('finds fenced blocks and their info strings', () => {
    const blocks = findFencedBlocks('intro\n```ts\na\n```\ntext\n~~~\nb\n~~~');
    assert.deepStrictEqual(blocks.map((b) => [b.info, b.lines]), [['ts', ['a']], ['', ['b']]]);
  });
  it('strips reasoning blocks', () => {
    assert.strictEqual(stripReasoning('<think>x\ny</think>code'), 'code');
    assert.strictEqual(stripReasoning('<think>never closed'), '');
  });
  for (const [line, prose] of [
    ["Here's the updated function:", true],
    ['This version avoids the extra allocation.', true],
    ['## Explanation', true],
    ['return a + b', false],
    ['for item in items:', false],
    ['const x = compute(a, b);', false],
    ['# increment the counter', false],
    ['SELECT name FROM users', false],
  ] as const) {
    it(`isProseLine(${JSON.stringify(line)}) is ${prose}`, () => assert.strictEqual(isProseLine(line), prose));
  }
});

describe('extractRewrite: any reply', () => {
  const piece = fc.constantFrom('```', '```ts', '~~~', '\n', '\r\n', '  ', '\t', 'x = 1;', 'Here is the code:', '<think>', '</think>', '}', 'return a', '`', 'The end.');
  const textArb = fc.array(piece, { maxLength: 30 }).map((p) => p.join(''));
  it('never throws, and an accepted rewrite differs from the selection and uses its line ending', () => {
    fc.assert(
      fc.property(textArb, textArb, fc.constantFrom('\n', '\r\n'), (reply, selectionBody, eol) => {
        const selection = selectionBody.replace(/\r?\n/g, eol);
        const result = extractRewrite(reply, { selection, before: 'a\n', after: '\nb' });
        if (!result.ok) return;
        assert.notStrictEqual(result.text.replace(/\r\n/g, '\n').replace(/\n+$/, ''), selection.replace(/\r\n/g, '\n').replace(/\n+$/, ''));
        if (eol === '\r\n' && selection.includes('\n')) assert.ok(!/[^\r]\n|^\n/.test(result.text), JSON.stringify(result.text));
      }),
      { numRuns: 1000 },
    );
  });
});
