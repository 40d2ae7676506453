// First run to daily use (issue 12), in real VS Code: the walkthrough opens on the first start and its
// Test Connection step reports the scripted server's models and fill-in-the-middle support; the Usage
// view counts a short session (edit, explain, inline suggestions) and a refused connection as an error
// with no tokens; Write Tests' new editor saves where the tests belong; a reply with no code offers
// Show Answer; Edit Selection is in the context menu once.
//
// REDLINE_E2E_DOCS=1 also writes the screenshots used by the README to docs/images/.
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { poll } = require('../driver');
const { settings: inlineSettings } = require('../inline');

const MATH = 'src/math.ts';
const ADD = { from: 3, to: 5 };
const AVERAGE = { from: 17, to: 23 };
const PRICES = { 'redline.pricing.inputPerMillionTokens': 2, 'redline.pricing.outputPerMillionTokens': 10, 'redline.pricing.currency': 'EUR' };

/** A screenshot in the scenario's results folder, and in docs/images/ with REDLINE_E2E_DOCS=1. */
async function picture(ctx, name) {
  const file = await ctx.driver.screenshot(name);
  if (process.env.REDLINE_E2E_DOCS) {
    const dest = path.join(ctx.root, 'docs', 'images', `${name}.png`);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(file, dest);
    ctx.log(`wrote ${path.relative(ctx.root, dest)}`);
  }
}

/** The extension is active once its status bar items are there (the machine may be slow). */
async function waitForActivation(driver) {
  await driver.waitForText(/Suggest/, { selector: '.part.statusbar', timeout: 60000 });
}

async function editSelection(driver, { from, to }, instruction) {
  await driver.openFile(MATH);
  await driver.selectLines(from, to);
  await driver.runCommand('Redline: Edit Selection…');
  await driver.waitForQuickInput();
  await driver.submitInput(instruction);
}

/** The webview frame holding `selector` (a webview is an iframe inside an iframe). */
async function webviewFrame(page, selector, what, timeout = 30000) {
  return poll(async () => {
    for (const frame of page.frames()) {
      try {
        if (await frame.$(selector)) return frame;
      } catch {
        // A frame that is navigating: look again.
      }
    }
    return undefined;
  }, { timeout, what });
}

/** One row of a Usage table as { column: text }, or undefined when the row is not there. */
async function usageRow(frame, table, key) {
  return frame
    .$eval(`table[data-table="${table}"] tr[data-key="${key}"]`, (tr) => {
      const out = {};
      for (const td of tr.querySelectorAll('td[data-col]')) out[td.getAttribute('data-col')] = td.textContent;
      return out;
    })
    .catch(() => undefined);
}

async function openUsage(ctx) {
  await ctx.driver.runCommand('Redline: Show Usage');
  return webviewFrame(ctx.page, 'table[data-table="features"]', 'the Usage view');
}

/** `text` contains `want`, whatever the editor's line wrapping did to the spaces. */
function containsUnwrapped(text, want) {
  return text.replace(/\s+/g, '').includes(want.replace(/\s+/g, ''));
}

/** Text of every editor on screen (the Test Connection report opens beside). */
async function editorsText(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.part.editor .monaco-editor .view-lines')]
      .map((v) => [...v.querySelectorAll('.view-line')].sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top)).map((l) => l.textContent.replace(/\u00a0/g, ' ')).join('\n'))
      .join('\n---\n'),
  );
}

module.exports = [
  {
    name: 'the walkthrough opens on the first start; its Test Connection step reports the models and FIM support',
    // The harness turns VS Code's "open walkthroughs on install" off for every other scenario.
    // The chat model is one the scripted server lists.
    settings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true, 'redline.chat.model': 'redline-demo' },
    async run(ctx) {
      const { driver, page, model } = ctx;
      const walkthrough = page.locator('.gettingStartedContainer');
      await driver.waitForText('Get started with Redline', { selector: '.part.editor', timeout: 45000 });
      // The whole width for the walkthrough (and the picture of it).
      await driver.runCommand('View: Toggle Primary Side Bar Visibility');
      await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 10000 });
      await walkthrough.locator('.getting-started-step', { hasText: 'Test the connection' }).first().click();
      const button = walkthrough.locator('.monaco-button, a.button-link, button', { hasText: /^Test Connection$/ }).first();
      await button.waitFor({ state: 'visible', timeout: 15000 });
      // The step's Markdown beside it is a webview of its own: wait until it shows.
      await poll(async () => {
        for (const frame of page.frames()) {
          const text = await frame.evaluate(() => (document.body ? document.body.innerText : '')).catch(() => '');
          if (text.includes('Redline sends a few tiny requests')) return true;
        }
        return false;
      }, { timeout: 30000, what: "the Test Connection step's Markdown" });
      await picture(ctx, 'walkthrough');
      await button.click();

      const summary = /Connected to http:\/\/127\.0\.0\.1:\d+\/v1: 2 models, chat OK, FIM with suffix, \/infill available\./;
      await driver.waitForNotification(summary, { timeout: 45000 });
      await poll(async () => containsUnwrapped(await editorsText(page), 'lists 2 models: `redline-demo`, `redline-demo-fim`.'), {
        timeout: 20000,
        what: 'the report listing the models',
        last: () => editorsText(page),
      });
      const report = await editorsText(page);
      for (const want of ['Chat works: `redline-demo` answered a one-token request', 'Fill-in-the-middle: `/v1/completions` honours `suffix`', "llama.cpp's `/infill` route is available."]) {
        assert.ok(containsUnwrapped(report, want), `${want} in ${report}`);
      }
      // The default mode is chat: the report suggests the faster one this server supports, as a button.
      assert.deepStrictEqual(await driver.notificationButtons(summary), ['Use "completions" for suggestions']);

      // What the server saw: a model list, a one-token chat, a completion with a suffix, a look for /infill.
      const chat = model.requests.find((r) => r.endpoint === 'chat');
      assert.ok(chat && chat.body.max_tokens === 1, 'a one-token chat');
      const fim = model.requests.find((r) => r.endpoint === 'completions');
      assert.ok(fim && typeof fim.body.suffix === 'string' && fim.body.suffix.length > 0, 'a completion with suffix');
      assert.ok(model.requests.some((r) => r.endpoint === 'models'));
      assert.ok(model.requests.some((r) => r.path === '/infill'));
      await picture(ctx, 'test-connection');

      await driver.clickNotificationButton('Use "completions" for suggestions', { want: summary });
      await driver.waitForNotification('redline.completion.mode is now "completions"');
      await poll(() => /"redline\.completion\.mode": "completions"/.test(fs.readFileSync(path.join(ctx.dir, 'user', 'User', 'settings.json'), 'utf8')), {
        what: 'the setting in the user settings file',
      });

      // The status menu lists every feature, the walkthrough among them.
      await page.locator('.statusbar-item[id="redline.redline.redline.status"], .statusbar-item[id="redline.status"]').first().click();
      const menu = await poll(async () => {
        const items = await driver.quickPickItems();
        return items.some((i) => i.includes('Test Connection')) ? items : undefined;
      }, { timeout: 15000, what: 'the Redline status menu', last: () => driver.quickPickItems().then(JSON.stringify) });
      for (const label of ['Edit Selection…', 'Explain', 'Run Action…', 'Turn Inline Suggestions Off', 'Snooze Inline Suggestions', 'Test Connection', 'Usage', 'Select Chat Model…', 'Set API Key', 'Show Log', 'Get Started']) {
        assert.ok(menu.some((i) => i.includes(label)), `${label} in ${JSON.stringify(menu)}`);
      }
      await driver.press('Escape');
    },
  },
  {
    name: 'the Usage view counts a short session per feature and model, with cost, latency and suggestion requests',
    settings: inlineSettings(PRICES),
    timeout: 240000,
    async run(ctx) {
      const { driver, page, model } = ctx;
      await waitForActivation(driver);
      // Edit: a rewrite with the server's own usage figures.
      model.enqueue({ endpoint: 'chat', reply: '```ts\nexport function add(a: number, b: number): number {\n  return b + a;\n}\n```\n', usage: { prompt_tokens: 300, completion_tokens: 40 } });
      await editSelection(driver, ADD, 'swap the operands');
      await driver.waitForCodeLens('Accept All', { timeout: 30000 });
      await driver.clickCodeLens('Accept All');
      await driver.waitForNoCodeLens('Accept');
      await driver.focusEditor();
      await driver.press('Control+S');

      // Explain.
      model.enqueue({ endpoint: 'chat', reply: 'It adds up the values and divides by their count.', usage: { prompt_tokens: 200, completion_tokens: 50 } });
      await driver.selectLines(AVERAGE.from, AVERAGE.to);
      await driver.runCommand('Redline: Explain');
      const explain = await webviewFrame(page, '#thread', 'the Explain panel');
      await poll(async () => (await explain.$eval('#thread', (t) => t.textContent || '').catch(() => '')).includes('divides by their count'), { what: 'the explanation' });

      // Inline suggestions: type at the end of the file until ghost text shows.
      await driver.openFile(MATH);
      await driver.press('Control+End');
      await driver.press('Enter');
      await driver.type('export const ');
      await poll(async () => model.requests.some((r) => r.endpoint === 'completions'), { timeout: 30000, what: 'a suggestion request' });
      await driver.press('Escape');

      // Today's cost with its currency in the status bar.
      await driver.waitForText(/test-model · 0\.\d+ EUR/, { selector: '.part.statusbar', timeout: 20000 });

      // Close the editors so the view has the whole width (for the screenshot), then open Usage.
      await driver.focusEditor();
      await driver.press('Control+S');
      await driver.runCommand('View: Close All Editors');
      await driver.runCommand('View: Toggle Primary Side Bar Visibility');
      await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 10000 });
      const frame = await openUsage(ctx);
      const edit = await poll(() => usageRow(frame, 'features', 'edit'), { what: 'the edit row' });
      assert.deepStrictEqual(
        { requests: edit.requests, errors: edit.errors, prompt: edit.promptTokens, completion: edit.completionTokens, cost: edit.cost },
        { requests: '1', errors: '0', prompt: '300', completion: '40', cost: '0.0010 EUR' },
      );
      assert.match(edit.ttft, /^≤[\d.]+ m?s \/ ≤[\d.]+ m?s$/, `latency shown: ${edit.ttft}`);
      const explainRow = await usageRow(frame, 'features', 'explain');
      assert.deepStrictEqual(
        { requests: explainRow.requests, errors: explainRow.errors, prompt: explainRow.promptTokens, completion: explainRow.completionTokens, cost: explainRow.cost },
        { requests: '1', errors: '0', prompt: '200', completion: '50', cost: '0.0009 EUR' },
      );
      // Every suggestion request the server received is counted, once it has finished.
      const sent = () => model.requests.filter((r) => r.endpoint === 'completions').length;
      await poll(async () => {
        const row = await usageRow(frame, 'features', 'completion');
        return row && row.requests === String(sent()) && row.errors === '0';
      }, { timeout: 20000, what: `the completion row to count ${sent()} requests`, last: async () => JSON.stringify(await usageRow(frame, 'features', 'completion')) });
      const rate = await frame.$eval('[data-card="completion-requests"] .card-value', (e) => e.textContent);
      assert.strictEqual(rate, String(sent()));
      assert.ok(await frame.$('[data-card="completion-cache"]'), 'cache hits are shown');
      const byModel = await usageRow(frame, 'models', 'test-model');
      assert.strictEqual(byModel.requests, String(2 + sent()));
      assert.strictEqual(await frame.$eval('[data-card="requests"] .card-value', (e) => e.textContent), String(2 + sent()));
      assert.ok((await frame.$$('svg rect.bar')).length >= 24, 'charts are drawn');
      await picture(ctx, 'usage');

      // Last 7 days holds the same; Reset (confirmed) empties it.
      await frame.click('button[data-period="7d"]');
      await poll(async () => (await usageRow(frame, 'features', 'edit'))?.requests === '1', { what: 'the 7-day edit row' });
      await frame.click('#reset');
      await driver.waitForDialog(/Reset Redline usage\?/);
      await driver.clickDialogButton('Reset');
      await poll(async () => (await frame.$eval('[data-card="requests"] .card-value', (e) => e.textContent)) === '0', { what: 'the view to be empty after Reset' });
    },
  },
  {
    name: 'a refused connection counts as an error with no tokens; its message offers Test Connection, which says nothing answers',
    // Nothing listens on the discard port of the loopback address.
    settings: { 'redline.endpoint.baseUrl': 'http://127.0.0.1:9/v1' },
    timeout: 180000,
    async run(ctx) {
      const { driver, page } = ctx;
      await waitForActivation(driver);
      await editSelection(driver, ADD, 'swap the operands');
      const want = 'Cannot reach the model server at http://127.0.0.1:9/v1. Is the server running at that address? Test Connection shows what to fix.';
      await driver.waitForNotification(want, { timeout: 60000 });
      assert.deepStrictEqual(await driver.notificationButtons(want), ['Test Connection', 'Open Settings', 'Retry']);
      await driver.clickNotificationButton('Test Connection', { want });
      await driver.waitForNotification('No server answers at http://127.0.0.1:9/v1.', { timeout: 45000 });
      await poll(async () => containsUnwrapped(await editorsText(page), 'No server answers at `http://127.0.0.1:9/v1`'), {
        what: 'the report',
        last: () => editorsText(page),
      });

      const frame = await openUsage(ctx);
      const edit = await poll(() => usageRow(frame, 'features', 'edit'), { what: 'the edit row' });
      assert.deepStrictEqual(
        { requests: edit.requests, errors: edit.errors, prompt: edit.promptTokens, completion: edit.completionTokens },
        { requests: '1', errors: '1 (1 no server)', prompt: '0', completion: '0' },
      );
      assert.strictEqual(await frame.$eval('[data-card="tokens"] .card-value', (e) => e.textContent), '0');
    },
  },
  {
    name: "Write Tests opens the new test file's editor at its path, and Save writes it there; Edit Selection is in the context menu once",
    async run(ctx) {
      const { driver, page, model, file } = ctx;
      await waitForActivation(driver);
      await driver.openFile(MATH);
      await page.locator('.editor-group-container.active .view-lines .view-line').nth(3).click({ button: 'right' });
      const menu = page.locator('.monaco-menu-container .monaco-menu').first();
      await menu.waitFor({ state: 'visible', timeout: 10000 });
      const redline = menu.locator('.action-item', { hasText: /^Redline$/ }).first();
      await redline.hover();
      await page.locator('.monaco-menu-container .action-item', { hasText: /^Simplify$/ }).first().waitFor({ state: 'visible', timeout: 10000 });
      const labels = await page.locator('.monaco-menu-container .action-label').allInnerTexts();
      assert.strictEqual(labels.filter((l) => l.trim() === 'Edit Selection…').length, 1, JSON.stringify(labels));
      await driver.press('Escape');
      await driver.press('Escape');

      const tests = "import { average } from './math';\n\ntest('average', () => {\n  expect(average([1, 2, 3])).toBe(2);\n});\n";
      model.enqueue({ reply: `\`\`\`ts\n${tests}\`\`\`\n` });
      await driver.openFile(MATH);
      await driver.selectLines(AVERAGE.from, AVERAGE.to);
      await driver.runCommand('Redline: Write Tests');
      await driver.waitForActiveTab('math.test.ts');
      await driver.waitForCodeLens('Accept All', { timeout: 30000 });
      assert.ok(!fs.existsSync(file('src/math.test.ts')), 'nothing on disk before Save');
      await driver.clickCodeLens('Accept All');
      await driver.waitForNoCodeLens('Accept');
      await driver.focusEditor();
      await driver.press('Control+S');
      await poll(() => fs.existsSync(file('src/math.test.ts')), { timeout: 15000, what: 'src/math.test.ts on disk' });
      await driver.waitForFileContent('src/math.test.ts', tests);
      const user = model.requests.filter((r) => r.endpoint === 'chat')[0].body.messages.slice(-1)[0].content;
      assert.ok(user.includes('src/math.test.ts'), user);
    },
  },
  {
    name: 'a reply with no code to apply offers Show Answer, which opens it in the Explain panel',
    async run(ctx) {
      const { driver, page, model } = ctx;
      const prose = 'This function already adds its two arguments correctly. There is nothing to change: it is as simple as it can be.';
      model.enqueue({ reply: prose });
      await waitForActivation(driver);
      await editSelection(driver, ADD, 'is this right?');
      const want = 'without any code to apply';
      await driver.waitForNotification(want, { timeout: 30000 });
      const buttons = await driver.notificationButtons(want);
      assert.ok(buttons.includes('Show Answer'), JSON.stringify(buttons));
      await driver.clickNotificationButton('Show Answer', { want });
      const frame = await webviewFrame(page, '#thread', 'the Explain panel');
      await poll(async () => (await frame.$eval('#thread', (t) => t.textContent || '').catch(() => '')).includes('There is nothing to change'), {
        what: 'the answer in the panel',
      });
      assert.strictEqual(await frame.$eval('section[data-turn="0"] .question', (q) => q.textContent), 'is this right?');
      assert.strictEqual(await frame.$eval('#where', (e) => e.textContent), 'src/math.ts, lines 3–5');
      assert.strictEqual(driver.readFileOnDisk(MATH).includes('return a + b;'), true, 'the file is untouched');
    },
  },
];
