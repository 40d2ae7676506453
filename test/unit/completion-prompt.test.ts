import * as assert from 'assert';
import { FIM_PRESETS, HOLE, buildCompletionPrompt, promptKey, snippetsAsComments } from '../../src/core/completion/prompt';
import { FIM_PRESET_NAMES } from '../../src/core/completion/settings';
import type { ContextSnippet } from '../../src/core/context/gather';

const snippet: ContextSnippet = { path: 'src/math.ts', text: 'export function square(x: number) {\n  return x * x;\n}', source: 'workspace' };
const input = { path: 'src/main.ts', languageId: 'typescript', prefix: 'const y = ', suffix: ';\n', snippets: [snippet], lineMode: 'single' as const };
const settings = { mode: 'fim-template' as const, fimTemplate: 'starcoder' as const, customFimTemplate: '' };

describe('completion/prompt', () => {
  it('legacy completions: prompt and suffix apart, snippets as comments before the prefix', () => {
    const p = buildCompletionPrompt(input, { ...settings, mode: 'completions' });
    assert.strictEqual(p.endpoint, 'completions');
    if (p.endpoint !== 'completions') return;
    assert.strictEqual(p.suffix, ';\n');
    assert.strictEqual(p.prompt, '// Path: src/math.ts\n// export function square(x: number) {\n//   return x * x;\n// }\n\nconst y = ');
  });

  const expectations: Record<string, string> = {
    starcoder: '<fim_prefix>// Path: src/math.ts\n',
    starcoder2: '<file_sep>src/math.ts\nexport function square',
    codellama: '<PRE> // Path: src/math.ts',
    'deepseek-coder': '<｜fim▁begin｜>// Path',
    'qwen2.5-coder': '<|repo_name|>workspace\n<|file_sep|>src/math.ts\n',
    codestral: '[SUFFIX];\n[PREFIX]// Path',
  };
  for (const [name, start] of Object.entries(expectations)) {
    it(`${name} preset: format, prefix and suffix in place, its stop tokens`, () => {
      const p = buildCompletionPrompt(input, { ...settings, fimTemplate: name as keyof typeof FIM_PRESETS });
      assert.strictEqual(p.endpoint, 'completions');
      if (p.endpoint !== 'completions') return;
      assert.ok(p.prompt.startsWith(start), p.prompt);
      assert.ok(p.prompt.includes('const y = '));
      assert.strictEqual(p.suffix, undefined);
      assert.deepStrictEqual(p.stop, FIM_PRESETS[name as keyof typeof FIM_PRESETS].stop);
      const preset = FIM_PRESETS[name as keyof typeof FIM_PRESETS];
      const [before, after] = preset.template.split('{prefix}');
      // the prefix sits where the template puts it, the suffix too
      assert.ok(p.prompt.includes(before.replace('{suffix}', ';\n')));
      assert.ok(p.prompt.endsWith(after.replace('{suffix}', ';\n')));
    });
  }

  it('every preset name but custom has a preset', () => {
    for (const name of FIM_PRESET_NAMES) if (name !== 'custom') assert.ok(FIM_PRESETS[name], name);
  });

  it('custom template: placeholders replaced once, code that looks like a placeholder left alone', () => {
    const p = buildCompletionPrompt(
      { ...input, prefix: 'const t = "{suffix}"; x = ', snippets: [] },
      { ...settings, fimTemplate: 'custom', customFimTemplate: '<PRE>{prefix}<SUF>{suffix}<MID> // {language} {path}' },
    );
    assert.ok(p.endpoint === 'completions');
    if (p.endpoint !== 'completions') return;
    assert.strictEqual(p.prompt, '<PRE>const t = "{suffix}"; x = <SUF>;\n<MID> // typescript src/main.ts');
  });

  it('chat: asks for the missing middle only, with the hole in the file and a stop tag', () => {
    const p = buildCompletionPrompt(input, { ...settings, mode: 'chat' });
    assert.strictEqual(p.endpoint, 'chat');
    if (p.endpoint !== 'chat') return;
    assert.strictEqual(p.messages[0].role, 'system');
    assert.match(p.messages[0].content, /only|exactly/);
    assert.ok(p.messages[1].content.includes(`const y = ${HOLE};\n`));
    assert.ok(p.messages[1].content.includes('src/math.ts'));
    assert.match(p.messages[1].content, /rest of its line/);
    assert.deepStrictEqual(p.stop, ['</COMPLETION>']);
    assert.strictEqual(p.style, 'chat');
  });

  it('snippets are not written as comments in languages without line comments', () => {
    assert.strictEqual(snippetsAsComments([snippet], 'json'), '');
    assert.ok(snippetsAsComments([snippet], 'python').startsWith('# Path: src/math.ts\n# export'));
  });

  it('the cache key depends on exactly what is sent', () => {
    const a = buildCompletionPrompt(input, settings);
    const b = buildCompletionPrompt({ ...input, prefix: 'const y =  ' }, settings);
    const meta = { model: 'm', maxTokens: 64, temperature: 0, lineMode: 'single' as const, languageId: 'typescript' };
    assert.strictEqual(promptKey(a, meta), promptKey(buildCompletionPrompt(input, settings), meta));
    assert.notStrictEqual(promptKey(a, meta), promptKey(b, meta));
    assert.notStrictEqual(promptKey(a, meta), promptKey(a, { ...meta, model: 'other' }));
    assert.notStrictEqual(promptKey(a, meta), promptKey(a, { ...meta, maxTokens: 65 }));
  });
});
