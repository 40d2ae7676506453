import * as assert from 'assert';
import { buildEditPrompt, EditPromptInput, fitContext } from '../../src/core/prompt/editPrompt';
import { countTokens } from '../../src/core/prompt/tokens';

const fileLines = Array.from({ length: 400 }, (_, i) => `const value${i} = compute(${i}); // line ${i}\n`);
const before = fileLines.slice(0, 200).join('');
const selection = 'function add(a, b) {\n  return a + b;\n}\n';
const after = fileLines.slice(200).join('');

function input(over: Partial<EditPromptInput> = {}): EditPromptInput {
  return {
    instruction: 'Add type annotations',
    languageId: 'typescript',
    filePath: 'src/math.ts',
    before,
    selection,
    after,
    diagnostics: [],
    contextWindowTokens: 8192,
    ...over,
  };
}

function ok(result: ReturnType<typeof buildEditPrompt>) {
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('buildEditPrompt', () => {
  it('asks for only the rewritten selection in one fenced block, and carries the request', () => {
    const { messages } = ok(buildEditPrompt(input()));
    assert.deepStrictEqual(messages.map((m) => m.role), ['system', 'user']);
    assert.match(messages[0].content, /ONLY the rewritten selection/);
    assert.match(messages[0].content, /one fenced code block \(```typescript\)/);
    assert.match(messages[0].content, /No explanation/);
    const user = messages[1].content;
    assert.ok(user.includes('File: src/math.ts'));
    assert.ok(user.includes('Language: typescript'));
    assert.ok(user.includes('```typescript\n' + selection + '```'));
    assert.ok(user.includes('Instruction: Add type annotations'));
  });

  it('keeps all the context when it fits, and reports the prompt size', () => {
    const result = ok(buildEditPrompt(input({ contextWindowTokens: 100_000 })));
    const user = result.messages[1].content;
    assert.ok(user.includes(before) && user.includes(after));
    assert.ok(!user.includes('omitted'));
    const counted = countTokens(result.messages[0].content) + countTokens(user);
    assert.ok(result.promptTokens >= counted && result.promptTokens <= counted + 20);
  });

  it('trims the context to the window, nearest lines first, never the selection', () => {
    const result = ok(buildEditPrompt(input({ contextWindowTokens: 1500, maxOutputTokens: 300 })));
    const user = result.messages[1].content;
    assert.ok(user.includes(selection));
    assert.ok(user.includes(fileLines[199]) && user.includes(fileLines[200]), 'the lines touching the selection stay');
    assert.ok(!user.includes(fileLines[0]) && !user.includes(fileLines[399]), 'the far lines go');
    assert.ok(user.includes('(earlier lines omitted)') && user.includes('(later lines omitted)'));
    assert.ok(result.promptTokens + result.maxTokens <= 1500);
    assert.ok(result.promptTokens + result.maxTokens > 1500 * 0.8, 'uses most of the window');
    assert.strictEqual(result.maxTokens, 300);
  });

  it('refuses a selection that cannot fit with room for the reply, saying the numbers', () => {
    const big = Array.from({ length: 3000 }, (_, i) => `x${i} = f(${i})\n`).join('');
    const result = buildEditPrompt(input({ selection: big, contextWindowTokens: 4096 }));
    assert.strictEqual(result.ok, false);
    if (!result.ok) {
      assert.strictEqual(result.reason, 'tooLarge');
      assert.ok(result.message.includes(`selection ${countTokens(big)} tokens`), result.message);
      assert.ok(result.message.includes('window 4096 tokens'), result.message);
    }
  });

  it('adds room for reasoning to the reply limit, at most half of the context room, within the window', () => {
    const plain = ok(buildEditPrompt(input({ contextWindowTokens: 100_000 })));
    const thinking = ok(buildEditPrompt(input({ contextWindowTokens: 100_000, reasoningTokens: 2048 })));
    assert.strictEqual(thinking.reasoningTokens, 2048);
    assert.strictEqual(thinking.maxTokens, plain.maxTokens + 2048);
    assert.strictEqual(plain.reasoningTokens, 0);
    // A small window: the context keeps at least half of its room, and the whole request fits the window.
    const tight = ok(buildEditPrompt(input({ contextWindowTokens: 1500, maxOutputTokens: 300, reasoningTokens: 100_000 })));
    const roomy = ok(buildEditPrompt(input({ contextWindowTokens: 1500, maxOutputTokens: 300 })));
    assert.ok(tight.reasoningTokens > 0);
    assert.ok(tight.promptTokens + tight.maxTokens <= 1500, `${tight.promptTokens} + ${tight.maxTokens}`);
    assert.ok(tight.promptTokens > roomy.promptTokens / 2, 'the context is not given away to reasoning');
  });

  it('sizes the reply room from the selection unless told', () => {
    const auto = ok(buildEditPrompt(input()));
    assert.strictEqual(auto.maxTokens, Math.ceil(countTokens(selection) * 1.5) + 256);
    assert.strictEqual(ok(buildEditPrompt(input({ maxOutputTokens: 1000 }))).maxTokens, 1000);
  });

  it('lists the diagnostics on the selection lines, 1-based, with their source line', () => {
    const result = ok(
      buildEditPrompt(
        input({
          diagnostics: [
            { line: 201, severity: 'error', message: "Operator '+' cannot be applied." },
            { line: 5, severity: 'warning', message: 'Unused variable.' },
            { line: 200, severity: 'hint', message: 'Parameter a implicitly has an any type.' },
            { line: 203, severity: 'error', message: 'After the selection.' },
          ],
        }),
      ),
    );
    const user = result.messages[1].content;
    assert.ok(user.includes('Diagnostics in the selection:\n- line 201 (hint): Parameter a implicitly has an any type.  — `function add(a, b) {`\n- line 202 (error): Operator \'+\' cannot be applied.  — `return a + b;`'), user);
    assert.ok(!user.includes('Unused variable') && !user.includes('After the selection'));
  });

  it('uses a longer fence when the code holds backtick fences', () => {
    const md = 'Example:\n```js\nx()\n```\n';
    const { messages } = ok(buildEditPrompt(input({ languageId: 'markdown', selection: md })));
    assert.ok(messages[1].content.includes('````markdown\n' + md + '````'));
  });

  it('says where the file starts and ends', () => {
    const user = ok(buildEditPrompt(input({ before: '', after: '' }))).messages[1].content;
    assert.ok(user.includes('The selection starts the file.') && user.includes('The selection ends the file.'));
  });
});

describe('fitContext', () => {
  it('alternates outwards and keeps going on one side when the other is done', () => {
    const fit = fitContext('b1\nb2\nb3\n', 'a1\n', countTokens('b3\n') + countTokens('a1\n') + countTokens('b2\n'));
    assert.deepStrictEqual(fit, { before: 'b2\nb3\n', after: 'a1\n', beforeCut: true, afterCut: false });
  });
});
