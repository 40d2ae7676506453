import * as assert from 'assert';
import { builtinAction, BUILTIN_ACTIONS, documentTemplate } from '../../src/core/actions/builtin';
import { validateCustomActions } from '../../src/core/actions/custom';
import {
  buildActionMessages,
  buildExplainMessages,
  EDIT_SYSTEM_PROMPT,
  EXPLAIN_SYSTEM_PROMPT,
  fenced,
  fillActionPrompt,
  formatDiagnostics,
} from '../../src/core/actions/prompts';
import type { ActionContext } from '../../src/core/actions/types';

const context = (over: Partial<ActionContext> = {}): ActionContext => ({
  selection: 'function add(a, b) {\n  return a + b\n}\n',
  languageId: 'javascript',
  filePath: 'src/math.js',
  startLine: 10,
  diagnostics: [],
  ...over,
});

describe('actions: built-in prompts', () => {
  it('has the five built-in actions with their kinds', () => {
    assert.deepStrictEqual(
      BUILTIN_ACTIONS.map((a) => [a.title, a.kind]),
      [['Explain', 'explain'], ['Document', 'edit'], ['Fix', 'edit'], ['Simplify', 'edit'], ['Write Tests', 'edit']],
    );
  });

  it('edit actions ask for one fenced block; explain asks for Markdown', () => {
    const fix = buildActionMessages(builtinAction('fix'), context());
    assert.strictEqual(fix[0].role, 'system');
    assert.strictEqual(fix[0].content, EDIT_SYSTEM_PROMPT);
    assert.strictEqual(buildActionMessages(builtinAction('explain'), context())[0].content, EXPLAIN_SYSTEM_PROMPT);
  });

  it('appends the code as a fenced block with its lines and path', () => {
    const [, user] = buildActionMessages(builtinAction('simplify'), context());
    assert.ok(user.content.startsWith('Simplify this javascript code from src/math.js'), user.content);
    assert.ok(user.content.endsWith('The code (lines 10–12 of src/math.js):\n```javascript\nfunction add(a, b) {\n  return a + b\n}\n```'), user.content);
  });

  it('Fix sends the diagnostics of the range: line, severity, message, source and code', () => {
    const [, user] = buildActionMessages(
      builtinAction('fix'),
      context({
        diagnostics: [
          { line: 11, column: 16, severity: 'warning', message: 'Missing semicolon.', source: 'eslint', code: 'semi' },
          { line: 10, column: 14, severity: 'error', message: "Cannot find name 'b'.\n  Did you mean 'a'?", source: 'ts', code: 2304 },
        ],
      }),
    );
    assert.ok(
      user.content.includes(
        "Diagnostics reported for it:\n- line 10, column 14: error: Cannot find name 'b'. Did you mean 'a'? [ts 2304]\n- line 11, column 16: warning: Missing semicolon. [eslint semi]\n",
      ),
      user.content,
    );
  });

  it('Fix says when no diagnostics are reported', () => {
    const [, user] = buildActionMessages(builtinAction('fix'), context());
    assert.ok(user.content.includes('Diagnostics reported for it:\n(none reported)'), user.content);
  });

  const docStyles: [string, RegExp][] = [
    ['typescript', /TSDoc: a `\/\*\* … \*\/` block/],
    ['javascript', /JSDoc/],
    ['python', /docstring as the first statement inside/],
    ['rust', /`\/\/\/` line comments/],
    ['go', /starting with the name of the thing declared/],
    ['java', /Javadoc/],
    ['csharp', /<summary>/],
    ['cpp', /Doxygen/],
    ['ruby', /YARD/],
    ['cobol', /the conventional documentation comments of this language/],
  ];
  for (const [languageId, style] of docStyles) {
    it(`Document asks for ${languageId}'s own doc-comment style`, () => {
      const [, user] = buildActionMessages(builtinAction('document'), context({ languageId }));
      assert.match(user.content, style);
      assert.match(user.content, /Do not change the code itself/);
      assert.strictEqual(user.content.includes(documentTemplate(languageId).slice(0, 30).replace('{{language}}', languageId)), true);
    });
  }

  it('uses a fence longer than any backtick run in the code', () => {
    assert.strictEqual(fenced('a ``` b', 'md'), '````md\na ``` b\n````');
    assert.strictEqual(fenced('x', ''), '```\nx\n```');
    const [, user] = buildActionMessages(builtinAction('explain'), context({ selection: 'const s = `````;' }));
    assert.ok(user.content.endsWith('``````javascript\nconst s = `````;\n``````'), user.content);
  });

  it('redacts secrets in the selection and the diagnostics', () => {
    const key = ['AKIA', 'IOSFODNN7EXAMPL2'].join('');
    const [, user] = buildActionMessages(
      builtinAction('fix'),
      context({ selection: `const id = '${key}';\n`, diagnostics: [{ line: 1, severity: 'error', message: `bad '${key}'` }] }),
    );
    assert.ok(!user.content.includes(key), user.content);
    assert.ok(user.content.includes('<redacted:aws-access-key>'), user.content);
  });
});

describe('actions: custom action prompts', () => {
  const custom = (prompt: string, kind: 'edit' | 'explain' = 'edit', askForInput?: string) => {
    const { actions, problems } = validateCustomActions([{ title: 'Custom', prompt, kind, ...(askForInput ? { askForInput } : {}) }]);
    assert.deepStrictEqual(problems, []);
    return actions[0];
  };

  it('places the selection where the template says and does not append it again', () => {
    const text = fillActionPrompt(custom('Port this {{language}} ({{filePath}}) to Go:\n{{selection}}'), context());
    assert.strictEqual(text, 'Port this javascript (src/math.js) to Go:\nfunction add(a, b) {\n  return a + b\n}\n');
  });

  it('appends the code when the template has no {{selection}}', () => {
    const text = fillActionPrompt(custom('Add logging.'), context({ selection: 'x()', startLine: 3 }));
    assert.strictEqual(text, 'Add logging.\n\nThe code (line 3 of src/math.js):\n```javascript\nx()\n```');
  });

  it('a selection holding template syntax stays literal', () => {
    const text = fillActionPrompt(custom('Rename to {{input}}: {{selection}}', 'edit', 'New name?'), context({ selection: 'const t = "{{input}} {{filePath}}";', input: 'sum' }));
    assert.strictEqual(text, 'Rename to sum: const t = "{{input}} {{filePath}}";');
  });

  it('appends the input as instructions when the template does not place it', () => {
    const text = fillActionPrompt(custom('Rewrite: {{selection}}', 'edit', 'How?'), context({ selection: 'a', input: 'with a loop' }));
    assert.strictEqual(text, 'Rewrite: a\n\nAdditional instructions: with a loop');
  });

  it('fills {{diagnostics}} in custom prompts', () => {
    const text = fillActionPrompt(custom('Explain these: {{diagnostics}} in {{selection}}', 'explain'), context({ selection: 'x', diagnostics: [{ line: 2, severity: 'hint', message: 'unused' }] }));
    assert.strictEqual(text, 'Explain these: - line 2: hint: unused in x');
  });

  it('an explain-kind custom action gets the explain system prompt', () => {
    assert.strictEqual(buildActionMessages(custom('Review {{selection}}', 'explain'), context())[0].content, EXPLAIN_SYSTEM_PROMPT);
  });
});

describe('actions: Write Tests placement', () => {
  it('appending to an existing test file shows it and asks for only the new code', () => {
    const [, user] = buildActionMessages(builtinAction('writeTests'), context(), {
      testTarget: { path: 'src/math.test.js', existingText: "const { add } = require('./math');\ntest('adds', () => {});\n" },
    });
    assert.ok(user.content.includes('added at the end of the existing test file src/math.test.js'), user.content);
    assert.ok(user.content.includes('Reply with only the new code to append'), user.content);
    assert.ok(user.content.endsWith("The existing test file src/math.test.js:\n```javascript\nconst { add } = require('./math');\ntest('adds', () => {});\n```"), user.content);
  });

  it('a long existing test file is shown as its head and tail', () => {
    const existing = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const [, user] = buildActionMessages(builtinAction('writeTests'), context(), { testTarget: { path: 't.test.js', existingText: existing } });
    assert.ok(user.content.includes('line 0\n'));
    assert.ok(user.content.includes('line 1999\n'));
    assert.ok(user.content.includes('… (middle of the file left out) …'));
    assert.ok(!user.content.includes('line 1000\n'));
  });

  it('a new test file asks for a complete file and names it for imports', () => {
    const [, user] = buildActionMessages(builtinAction('writeTests'), context(), { testTarget: { path: 'src/math.test.js' } });
    assert.ok(user.content.includes('Reply with a complete, runnable test file. The tests go into a new file, src/math.test.js'), user.content);
  });
});

describe('actions: diagnostics format', () => {
  it('sorts by line then column then severity and keeps one line per diagnostic', () => {
    assert.strictEqual(
      formatDiagnostics([
        { line: 5, severity: 'hint', message: 'h' },
        { line: 2, column: 3, severity: 'warning', message: 'w' },
        { line: 2, column: 3, severity: 'error', message: 'e\r\nmore' },
        { line: 2, column: 1, severity: 'information', message: 'i', source: 'pylint' },
      ]),
      '- line 2, column 1: information: i [pylint]\n- line 2, column 3: error: e more\n- line 2, column 3: warning: w\n- line 5: hint: h',
    );
  });
});

describe('actions: Explain follow-ups', () => {
  it('keeps the first prompt (with the selection), alternates answers and questions, and ends with the new question', () => {
    const messages = buildExplainMessages('Explain:\n```js\nx()\n```', [
      { question: 'Explain', answer: 'It calls x.' },
      { question: 'Why?', answer: 'Because.' },
    ], 'And then?');
    assert.deepStrictEqual(messages.map((m) => [m.role, m.content]), [
      ['system', EXPLAIN_SYSTEM_PROMPT],
      ['user', 'Explain:\n```js\nx()\n```'],
      ['assistant', 'It calls x.'],
      ['user', 'Why?'],
      ['assistant', 'Because.'],
      ['user', 'And then?'],
    ]);
  });

  it('drops the oldest follow-ups first when the thread is too long, then the first answer', () => {
    const turns = [
      { question: 'Explain', answer: 'A'.repeat(100) },
      { question: 'q1', answer: 'B'.repeat(100) },
      { question: 'q2', answer: 'C'.repeat(100) },
    ];
    const fitsTwo = buildExplainMessages('first', turns, 'now', EXPLAIN_SYSTEM_PROMPT.length + 'first'.length + 220);
    assert.deepStrictEqual(fitsTwo.slice(1).map((m) => m.content), ['first', 'A'.repeat(100), '(Some earlier questions and answers are left out to save space.)\n\nq2', 'C'.repeat(100), 'now']);
    const tiny = buildExplainMessages('first', turns, 'now', 10);
    assert.deepStrictEqual(tiny.slice(1).map((m) => m.content), ['first', '(My earlier answer is left out to save space.)', '(Some earlier questions and answers are left out to save space.)\n\nnow']);
  });

  it('redacts secrets in follow-up questions', () => {
    const token = ['ghp_', 'R2d2C3poLuke7Leia9Han5Solo0Chewie1aBcD'].join('');
    const messages = buildExplainMessages('first', [{ question: 'Explain', answer: 'a' }], `is ${token} leaked?`);
    assert.ok(!messages[messages.length - 1].content.includes(token));
  });
});
