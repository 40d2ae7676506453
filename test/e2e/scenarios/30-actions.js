// Command-palette actions, code actions and the Explain panel, in real VS Code.
'use strict';

const assert = require('assert');
const fs = require('fs');
const { poll } = require('../driver');
const { explainFrame } = require('../shared');

const AVERAGE_LINES = [17, 23]; // `export function average` … `}` in src/math.ts

const EXPLANATION = [
  'The `average` function ',
  'adds up the values ',
  'and divides the sum by their count.\n\n',
  'Note: <img src=x onerror="document.title=\'pwned\'"> and [a link](javascript:alert(1)) stay text.\n\n',
  'It returns `NaN` for an empty list. A safer version:\n\n',
  '```ts\nexport function average(values: number[]): number {\n',
  '  if (values.length === 0) {\n    return 0;\n  }\n  return values.reduce((sum, v) => sum + v, 0) / values.length;\n}\n```\n',
];

async function answerText(frame, turn = 0) {
  return frame.$eval(`section[data-turn="${turn}"] .answer`, (el) => el.textContent || '').catch(() => '');
}

/** Chat requests the scripted server received, as { messages, body }. */
function chatRequests(model) {
  return model.requests.filter((r) => r.endpoint === 'chat').map((r) => ({ body: r.body, messages: r.body.messages, aborted: r.aborted }));
}

function lastUserMessage(request) {
  return [...request.messages].reverse().find((m) => m.role === 'user').content;
}

async function explainAverage({ driver, model, page }) {
  await driver.openFile('src/math.ts');
  await driver.selectLines(...AVERAGE_LINES);
  model.enqueue({ chunks: EXPLANATION, delayFirstMs: 300, delayBetweenMs: 400 });
  await driver.runCommand('Redline: Explain');
  const frame = await explainFrame(page);
  return frame;
}

module.exports = [
  {
    name: 'Explain streams a sanitised answer into the panel; Apply opens a review on the original selection',
    async run(ctx) {
      const { driver, model, page } = ctx;
      const frame = await explainAverage(ctx);

      // Streaming: part of the answer is on screen while the turn is still marked busy.
      await poll(async () => {
        const busy = await frame.$eval('section[data-turn="0"]', (s) => s.getAttribute('aria-busy')).catch(() => null);
        const text = await answerText(frame);
        return busy === 'true' && text.includes('adds up the values') && !text.includes('safer version');
      }, { what: 'a partly streamed answer', last: () => answerText(frame) });

      // Done: the whole answer, the header, a highlighted code block with Copy and Apply.
      const apply = frame.locator('section[data-turn="0"] button[data-action="apply"]');
      await apply.waitFor({ state: 'visible', timeout: 15000 });
      const text = await answerText(frame);
      assert.ok(text.includes('It returns NaN for an empty list.'), text);
      assert.strictEqual(await frame.$eval('#where', (el) => el.textContent), 'src/math.ts, lines 17–23');
      assert.strictEqual(await frame.locator('section[data-turn="0"] button[data-action="copy"]').count(), 1);
      assert.ok((await frame.locator('.code-block .hljs-keyword').count()) > 0, 'the code block is highlighted');

      // Model output is data: the <img onerror> and the javascript: link are inert text.
      assert.ok(text.includes('<img src=x onerror='), 'raw HTML shows as text');
      assert.strictEqual(await frame.locator('#thread img').count(), 0);
      assert.strictEqual(await frame.locator('#thread [onerror], #thread [href]').count(), 0);
      assert.notStrictEqual(await page.title(), 'pwned');

      // The request: the explain prompt with the selected code.
      const [request] = chatRequests(model);
      assert.ok(request, 'one chat request');
      assert.match(request.messages[0].content, /explaining code/);
      assert.ok(lastUserMessage(request).includes('The code (lines 17–23 of src/math.ts):\n```typescript\nexport function average'), lastUserMessage(request));

      // Apply: the block is proposed as a replacement of lines 17–23 of src/math.ts, as a review.
      const onDisk = driver.readFileOnDisk('src/math.ts');
      await apply.click();
      await driver.waitForActiveTab('math.ts');
      await driver.waitForCodeLens('Accept');
      await driver.waitForCodeLens('Reject');
      await driver.waitForEditorText('if (values.length === 0) {');
      const lines = await driver.editorLines();
      const first = lines.findIndex((l) => l.text.includes('export function average'));
      assert.ok(first >= 0, 'the function is still on screen');
      assert.strictEqual(driver.readFileOnDisk('src/math.ts'), onDisk, 'nothing reaches the disk before it is accepted');
      await driver.clickCodeLens('Accept All');
      await driver.waitForNoCodeLens('Accept');
      await driver.press('Control+S');
      await poll(async () => driver.readFileOnDisk('src/math.ts').includes('return values.reduce((sum, v) => sum + v, 0) / values.length;'), {
        what: 'the accepted code on disk',
      });
      const saved = driver.readFileOnDisk('src/math.ts');
      assert.ok(saved.includes('export function clamp'), 'the rest of the file is untouched');
      assert.strictEqual((saved.match(/export function average/g) || []).length, 1);
    },
  },
  {
    name: 'Explain: a follow-up carries the selection and the earlier answer; Stop cancels it',
    async run(ctx) {
      const { driver, model, page } = ctx;
      const frame = await explainAverage(ctx);
      await frame.locator('section[data-turn="0"] button[data-action="copy"]').waitFor({ state: 'visible', timeout: 15000 });

      // A slow follow-up reply that Stop interrupts.
      model.enqueue({ chunks: ['Empty lists ', 'divide by zero ', 'and more '.repeat(40)], delayFirstMs: 200, delayBetweenMs: 1500 });
      await frame.locator('#question').click();
      await page.keyboard.type('What happens with an empty list?');
      await page.keyboard.press('Control+Enter');
      await poll(async () => (await answerText(frame, 1)).includes('Empty lists'), { what: 'the follow-up answer to start', last: () => answerText(frame, 1) });
      await frame.locator('#stop').click();
      await poll(async () => (await frame.$eval('section[data-turn="1"] .status', (s) => s.textContent)) === 'Stopped.', { what: 'the answer to stop' });
      assert.ok(await frame.locator('#send').isEnabled(), 'a new question can be asked after Stop');
      await model.waitUntil(() => chatRequests(model)[1] && chatRequests(model)[1].aborted, 5000, 'the follow-up request to be aborted');

      const followUp = chatRequests(model)[1];
      const roles = followUp.messages.map((m) => m.role);
      assert.deepStrictEqual(roles, ['system', 'user', 'assistant', 'user']);
      assert.ok(followUp.messages[1].content.includes('export function average'), 'the selection is in the context');
      assert.ok(followUp.messages[2].content.includes('adds up the values'), 'the earlier answer is in the context');
      assert.strictEqual(followUp.messages[3].content, 'What happens with an empty list?');
      const shown = await frame.$eval('section[data-turn="1"] .question', (q) => q.textContent);
      assert.strictEqual(shown, 'What happens with an empty list?');
    },
  },
  {
    name: 'Explain: the thread comes back after a window reload',
    async run(ctx) {
      const { driver, page } = ctx;
      const frame = await explainAverage(ctx);
      await frame.locator('section[data-turn="0"] button[data-action="apply"]').waitFor({ state: 'visible', timeout: 15000 });
      await driver.runCommand('Developer: Reload Window');
      await driver.waitForWorkbench();
      const restored = await explainFrame(page, { timeout: 30000 });
      await poll(async () => (await answerText(restored)).includes('adds up the values'), { timeout: 20000, what: 'the restored answer', last: () => answerText(restored) });
      await restored.locator('section[data-turn="0"] button[data-action="apply"]').waitFor({ state: 'visible', timeout: 10000 });
      assert.strictEqual(await restored.$eval('#where', (el) => el.textContent), 'src/math.ts, lines 17–23');
    },
  },
  {
    name: 'Fix on a line with a diagnostic sends that diagnostic and opens a review',
    async run({ driver, model, file, page }) {
      fs.writeFileSync(file('src/broken.ts'), 'export function half(n: number): number {\n  const text: number = "two";\n  return n / text;\n}\n');
      await driver.openFile('src/broken.ts');
      // The TypeScript server reports the error (a red squiggle on line 2).
      await poll(async () => (await page.locator('.editor-group-container.active .squiggly-error').count()) > 0, {
        timeout: 60000,
        what: 'a TypeScript error squiggle',
      });
      await driver.goToLine(2, 5);
      model.enqueue({ reply: '```ts\n  const text: number = 2;\n```\n' });
      await driver.runCommand('Redline: Fix');
      await driver.waitForCodeLens('Accept');
      await driver.waitForCodeLens('Reject');
      await driver.waitForEditorText('const text: number = 2;');

      const [request] = chatRequests(model);
      const user = lastUserMessage(request);
      assert.match(user, /Diagnostics reported for it:\n- line 2, column \d+: error: Type 'string' is not assignable to type 'number'\. \[ts 2322\]/, user);
      assert.ok(user.includes('The code (line 2 of src/broken.ts):\n```typescript\n  const text: number = "two";\n```'), user);
      assert.ok(!driver.readFileOnDisk('src/broken.ts').includes('= 2;'), 'the disk holds the original until accepted');
    },
  },
  {
    name: '"Fix with Redline" is offered as a quick fix on the diagnostic',
    async run({ driver, model, file, page }) {
      fs.writeFileSync(file('src/broken.ts'), 'export const count: number = "three";\n');
      await driver.openFile('src/broken.ts');
      await poll(async () => (await page.locator('.editor-group-container.active .squiggly-error').count()) > 0, {
        timeout: 60000,
        what: 'a TypeScript error squiggle',
      });
      await driver.goToLine(1, 15);
      model.enqueue({ reply: '```ts\nexport const count: number = 3;\n```\n' });
      // The Quick Fix menu (Ctrl+.) lists "Fix with Redline" once Redline has activated; a menu opened
      // before that says "No code actions available": close it and ask again.
      const item = page.locator('.action-widget .monaco-list-row[aria-label="Fix with Redline"]').first();
      await poll(async () => {
        await driver.press('Control+.');
        const shown = await item.waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false);
        if (!shown) await driver.press('Escape');
        return shown;
      }, { timeout: 30000, what: 'the Quick Fix menu to offer "Fix with Redline"' });
      for (let i = 0; i < 20 && !(await item.evaluate((el) => el.classList.contains('focused'))); i++) await driver.press('ArrowDown');
      await driver.press('Enter');
      await driver.waitForCodeLens('Accept');
      await driver.waitForEditorText('export const count: number = 3;');
      const user = lastUserMessage(chatRequests(model)[0]);
      assert.match(user, /- line 1, column \d+: error: Type 'string' is not assignable to type 'number'\./, user);
    },
  },
  {
    name: 'A custom action from settings runs (with its input); a malformed one is reported by entry and field',
    settings: {
      'redline.actions': [
        {
          title: 'Translate Strings',
          prompt: 'Translate the user-facing strings of this {{language}} code ({{filePath}}) into {{input}}:\n{{selection}}',
          kind: 'edit',
          askForInput: 'Into which language?',
        },
        { title: 'Broken Action', prompt: 'Do something', kind: 'rewrite' },
      ],
    },
    async run({ driver, model }) {
      await driver.openFile('src/legacy.js');
      await driver.selectLines(1, 3);
      model.enqueue({ reply: '```js\nfunction greet(name) {\n  return "Bonjour, " + name;\n}\n```\n' });
      await driver.runCommand('Redline: Run Action…');
      await driver.waitForNotification('redline.actions[1] "Broken Action": "kind" must be "edit" or "explain", not "rewrite".');
      const buttons = await driver.notificationButtons('Broken Action');
      assert.ok(buttons.includes('Open Settings'), JSON.stringify(buttons));
      await driver.pickQuickItem('Translate Strings');
      await driver.waitForQuickInput();
      assert.match(await driver.quickInputMessage(), /Into which language\?/);
      await driver.submitInput('French');
      await driver.waitForCodeLens('Accept');
      await driver.waitForEditorText('return "Bonjour, " + name;');

      const user = lastUserMessage(chatRequests(model)[0]);
      assert.strictEqual(
        user,
        'Translate the user-facing strings of this javascript code (src/legacy.js) into French:\nfunction greet(name) {\r\n  return "Hello, " + name;\r\n}',
      );
    },
  },
  {
    name: 'Document with no selection documents the enclosing function in TSDoc style',
    async run({ driver, model }) {
      await driver.openFile('src/math.ts');
      await driver.goToLine(9, 5); // inside clamp()
      // The breadcrumbs show the symbol at the cursor once the TypeScript server has the file's symbols.
      await driver.waitForText('clamp', { selector: '.editor-group-container.active .breadcrumbs-control', timeout: 60000 });
      model.enqueue({
        reply:
          '```ts\n/**\n * Limits a value to a range.\n * @param value - The value to limit.\n * @param min - The lower bound.\n * @param max - The upper bound.\n * @returns The value, or the nearest bound.\n */\n' +
          'export function clamp(value: number, min: number, max: number): number {\n  if (value < min) {\n    return min;\n  }\n  if (value > max) {\n    return max;\n  }\n  return value;\n}\n```\n',
      });
      await driver.runCommand('Redline: Document');
      await driver.waitForCodeLens('Accept');
      await driver.waitForEditorText('* Limits a value to a range.');
      const user = lastUserMessage(chatRequests(model)[0]);
      assert.match(user, /as TSDoc: a `\/\*\* … \*\/` block comment/, user);
      assert.ok(user.includes('The code (lines 7–15 of src/math.ts):\n```typescript\nexport function clamp('), user);
    },
  },
  {
    name: 'Write Tests appends to the existing test file, reviewed like any edit',
    async run({ driver, model, file }) {
      fs.writeFileSync(file('src/math.test.ts'), "import { add } from './math';\n\ntest('add', () => {\n  expect(add(1, 2)).toBe(3);\n});\n");
      await driver.openFile('src/math.ts');
      await driver.selectLines(7, 15);
      model.enqueue({ reply: "```ts\ntest('clamp', () => {\n  expect(clamp(5, 0, 3)).toBe(3);\n});\n```\n" });
      await driver.runCommand('Redline: Write Tests');
      await driver.waitForActiveTab('math.test.ts');
      await driver.waitForCodeLens('Accept');
      await driver.waitForEditorText("test('clamp', () => {");
      await driver.waitForEditorText("test('add', () => {");
      const user = lastUserMessage(chatRequests(model)[0]);
      assert.ok(user.includes('added at the end of the existing test file src/math.test.ts'), user);
      assert.ok(user.includes('expect(add(1, 2)).toBe(3);'), 'the existing tests are shown to the model');
      assert.ok(!driver.readFileOnDisk('src/math.test.ts').includes('clamp'), 'nothing on disk before it is accepted');
    },
  },
  {
    name: 'Write Tests without a test file opens the tests in a new editor beside the code, named where they belong',
    async run({ driver, model, page }) {
      await driver.openFile('src/stats.py');
      await driver.selectLines(4, 5);
      model.enqueue({ reply: '```python\nfrom stats import mean\n\n\ndef test_mean():\n    assert mean([1, 2, 3]) == 2\n```\n' });
      await driver.runCommand('Redline: Write Tests');
      await driver.waitForActiveTab('test_stats.py');
      await driver.waitForCodeLens('Accept');
      await driver.waitForEditorText('def test_mean():');
      await driver.waitForText('Python', { selector: '.statusbar-item[id="status.editor.mode"]' });
      assert.strictEqual(await page.locator('.editor-group-container').count(), 2, 'beside the code');
      const user = lastUserMessage(chatRequests(model)[0]);
      assert.ok(user.includes('Reply with a complete, runnable test file. The tests go into a new file, src/test_stats.py'), user);
    },
  },
  {
    name: 'The editor context menu has a Redline submenu with the actions; Ctrl+Alt+A opens Run Action',
    async run({ driver, model, page }) {
      await driver.openFile('src/math.ts');
      await driver.selectLines(3, 5);
      await driver.press('Control+Alt+A');
      await driver.waitForQuickInput();
      const items = await driver.quickPickItems();
      for (const title of ['Explain', 'Document', 'Fix', 'Simplify', 'Write Tests']) {
        assert.ok(items.some((i) => i.startsWith(title)), `${title} in ${JSON.stringify(items)}`);
      }
      await driver.press('Escape');
      await driver.waitForQuickInputClosed();

      model.enqueue({ reply: '```ts\nexport const add = (a: number, b: number): number => a + b;\n```\n' });
      await page.locator('.editor-group-container.active .view-lines .view-line').nth(3).click({ button: 'right' });
      const menu = page.locator('.monaco-menu-container .monaco-menu');
      const redline = menu.locator('.action-item', { hasText: /^Redline$/ }).first();
      await redline.waitFor({ state: 'visible', timeout: 10000 });
      await redline.hover();
      const simplify = page.locator('.monaco-menu-container .action-item', { hasText: /^Simplify$/ }).first();
      await simplify.waitFor({ state: 'visible', timeout: 10000 });
      const labels = await page.locator('.monaco-menu-container .monaco-menu-container .action-label').allInnerTexts().catch(() => []);
      await simplify.hover();
      await simplify.click();
      // A click that lands while the submenu is still opening is dropped: the item is highlighted, so
      // Enter runs it (as a keyboard user would).
      const closed = await menu.first().waitFor({ state: 'hidden', timeout: 3000 }).then(() => true, () => false);
      if (!closed) await page.keyboard.press('Enter');
      await driver.waitForCodeLens('Accept');
      await driver.waitForEditorText('export const add = (a: number, b: number): number => a + b;');
      const user = lastUserMessage(chatRequests(model)[0]);
      assert.ok(user.startsWith('Simplify this typescript code from src/math.ts'), user);
      assert.ok(user.includes('The code (lines 3–5 of src/math.ts)'), `${user}\nsubmenu: ${JSON.stringify(labels)}`);
    },
  },
];
