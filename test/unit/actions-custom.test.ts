import * as assert from 'assert';
import { resolveCustomActions, summariseProblems, validateCustomActions } from '../../src/core/actions/custom';
import { BUILTIN_TITLES } from '../../src/core/actions/builtin';

const good = { title: 'Translate comments', prompt: 'Translate the comments in {{selection}} to {{input}}.', kind: 'edit', askForInput: 'Into which language?' };

describe('actions: custom action validation', () => {
  it('accepts well-formed entries with ids from their index', () => {
    const { actions, problems } = validateCustomActions([good, { title: 'Security review', prompt: 'Review for security issues.', kind: 'explain' }]);
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(actions, [
      { id: 'custom.0', title: 'Translate comments', kind: 'edit', prompt: good.prompt, askForInput: 'Into which language?', description: 'custom action: edit' },
      { id: 'custom.1', title: 'Security review', kind: 'explain', prompt: 'Review for security issues.', description: 'custom action: explain' },
    ]);
  });

  it('treats a missing or null setting as no actions', () => {
    assert.deepStrictEqual(validateCustomActions(undefined), { actions: [], problems: [] });
    assert.deepStrictEqual(validateCustomActions(null), { actions: [], problems: [] });
    assert.deepStrictEqual(validateCustomActions([]), { actions: [], problems: [] });
  });

  it('reports a setting that is not a list', () => {
    const { actions, problems } = validateCustomActions({ title: 'x' });
    assert.deepStrictEqual(actions, []);
    assert.strictEqual(problems.length, 1);
    assert.strictEqual(problems[0].index, -1);
    assert.match(problems[0].message, /^redline\.actions must be a list of actions .* not an object\.$/);
  });

  // Each malformed entry sits at index 1 between two good ones: the good ones keep working.
  const malformed: { name: string; entry: unknown; field: string | undefined; message: RegExp }[] = [
    { name: 'a string', entry: 'Explain', field: undefined, message: /^redline\.actions\[1\] must be an object with "title", "prompt" and "kind", not "Explain"\.$/ },
    { name: 'a list', entry: [], field: undefined, message: /^redline\.actions\[1\] must be an object .* not a list\.$/ },
    { name: 'null', entry: null, field: undefined, message: /^redline\.actions\[1\] must be an object .* not null\.$/ },
    { name: 'no title', entry: { prompt: 'p', kind: 'edit' }, field: 'title', message: /^redline\.actions\[1\]: the "title" field is missing/ },
    { name: 'blank title', entry: { title: '  ', prompt: 'p', kind: 'edit' }, field: 'title', message: /^redline\.actions\[1\]: "title" must be a non-empty string, not an empty string\.$/ },
    { name: 'numeric title', entry: { title: 7, prompt: 'p', kind: 'edit' }, field: 'title', message: /"title" must be a non-empty string, not number 7\.$/ },
    { name: 'no prompt', entry: { title: 'Shorten', kind: 'edit' }, field: 'prompt', message: /^redline\.actions\[1\] "Shorten": the "prompt" field is missing/ },
    { name: 'prompt not a string', entry: { title: 'Shorten', prompt: ['a'], kind: 'edit' }, field: 'prompt', message: /^redline\.actions\[1\] "Shorten": "prompt" must be a non-empty string, not a list\.$/ },
    {
      name: 'unknown variable',
      entry: { title: 'Shorten', prompt: 'Shorten {{selecton}}', kind: 'edit' },
      field: 'prompt',
      message: /^redline\.actions\[1\] "Shorten": "prompt" uses the unknown variable \{\{selecton\}\} \(did you mean \{\{selection\}\}\?\); the variables are \{\{selection\}\}, \{\{language\}\}, \{\{filePath\}\}, \{\{diagnostics\}\}, \{\{input\}\}\.$/,
    },
    { name: 'no kind', entry: { title: 'Shorten', prompt: 'p' }, field: 'kind', message: /^redline\.actions\[1\] "Shorten": the "kind" field is missing: "edit" .* or "explain"/ },
    { name: 'wrong kind', entry: { title: 'Shorten', prompt: 'p', kind: 'rewrite' }, field: 'kind', message: /^redline\.actions\[1\] "Shorten": "kind" must be "edit" or "explain", not "rewrite"\.$/ },
    { name: 'askForInput not a string', entry: { title: 'Shorten', prompt: 'p', kind: 'edit', askForInput: true }, field: 'askForInput', message: /"askForInput" must be a non-empty string \(the question shown in the input box\), not boolean true\.$/ },
  ];
  for (const { name, entry, field, message } of malformed) {
    it(`names the entry and the field: ${name}`, () => {
      const other = { title: 'Other', prompt: 'Do {{input}}', kind: 'explain' };
      const { actions, problems } = validateCustomActions([good, entry, other]);
      assert.deepStrictEqual(actions.map((a) => a.id), ['custom.0', 'custom.2'], 'the good entries keep working');
      const errors = problems.filter((p) => p.severity === 'error');
      assert.strictEqual(errors.length, 1, JSON.stringify(problems));
      assert.strictEqual(errors[0].index, 1);
      assert.strictEqual(errors[0].field, field);
      assert.match(errors[0].message, message);
    });
  }

  it('reports every problem of one entry', () => {
    const { problems } = validateCustomActions([{ title: 'Both', kind: 'sideways', prompt: '{{x}} {{y}}' }]);
    assert.deepStrictEqual(problems.map((p) => p.field), ['prompt', 'prompt', 'kind']);
    assert.ok(problems.every((p) => p.message.startsWith('redline.actions[0] "Both": ')));
  });

  it('warns about unknown fields but keeps the action', () => {
    const { actions, problems } = validateCustomActions([{ ...good, promt: 'typo' }]);
    assert.strictEqual(actions.length, 1);
    assert.deepStrictEqual(problems.map((p) => [p.severity, p.field]), [['warning', 'promt']]);
    assert.match(problems[0].message, /unknown field "promt" is ignored/);
  });

  it('warns about titles used twice or taken by a built-in action', () => {
    const { actions, problems } = validateCustomActions([good, { ...good, title: 'translate COMMENTS' }, { ...good, title: 'Explain' }], BUILTIN_TITLES);
    assert.strictEqual(actions.length, 3);
    assert.deepStrictEqual(problems.map((p) => [p.index, p.severity, p.field]), [[1, 'warning', 'title'], [2, 'warning', 'title']]);
    assert.match(problems[0].message, /the same as redline\.actions\[0\]/);
    assert.match(problems[1].message, /the same as a built-in action/);
  });

  it('summarises problems in one line, errors first', () => {
    assert.strictEqual(summariseProblems([]), undefined);
    const { problems } = validateCustomActions([{ ...good, extra: 1 }, { title: 'X', prompt: 'p', kind: 'nope' }, 5]);
    assert.strictEqual(summariseProblems(problems), 'redline.actions[1] "X": "kind" must be "edit" or "explain", not "nope". (2 more problems in the Redline log.)');
  });
});

describe('actions: custom actions from the workspace', () => {
  const mine = [{ title: 'Mine', prompt: 'Do it', kind: 'edit' }];
  const theirs = [{ title: 'Theirs', prompt: 'Do something else', kind: 'edit' }];

  it('marks actions that a workspace (or a folder of it) defines, and only those', () => {
    const user = resolveCustomActions({ user: mine });
    assert.deepStrictEqual(user.actions.map((a) => [a.title, !!a.fromWorkspace]), [['Mine', false]]);
    for (const levels of [{ user: mine, workspace: theirs }, { workspaceFolder: theirs }, { user: mine, workspace: [], workspaceFolder: theirs }]) {
      const result = resolveCustomActions(levels);
      assert.deepStrictEqual(result.actions.map((a) => [a.title, a.fromWorkspace]), [['Theirs', true]]);
      assert.match(result.actions[0].description ?? '', /from this workspace/);
    }
  });

  it('resolves like VS Code: the most specific level that sets the value wins', () => {
    assert.deepStrictEqual(resolveCustomActions({ user: mine, workspace: [] }).actions, []);
    assert.deepStrictEqual(resolveCustomActions({}).actions, []);
  });
});
