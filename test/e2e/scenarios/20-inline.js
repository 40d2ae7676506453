// Inline suggestions in real VS Code (issue 4): ghost text from a scripted reply, Tab accepts it,
// typing its characters keeps it without a new request, Escape dismisses it, an excluded file gets no
// request at all. The scripted server answers legacy /v1/completions requests (mode "completions").
'use strict';

const assert = require('assert');
const { poll, sleep } = require('../driver');
const { settings, ghost, waitForGhost, waitForNoGhost, waitForActivation, completionRequests, answer, newLineAtEnd } = require('../inline');

const MATH = 'src/math.ts';
const STATS = 'src/stats.py';

/** Waits until the file on disk matches `re` (saved by the test with Ctrl+S). */
async function waitForDisk(driver, file, re) {
  await poll(() => re.test(driver.readFileOnDisk(file)), { timeout: 10000, what: `${file} on disk to match ${re}`, last: async () => JSON.stringify(driver.readFileOnDisk(file).slice(-120)) });
}

/** After `ms` of quiet, the number of completion requests has not moved from `count`. */
async function noNewRequest(model, count, ms = 800) {
  await sleep(ms);
  assert.strictEqual(completionRequests(model).length, count, `expected no new completion request, got ${JSON.stringify(completionRequests(model).slice(count).map((r) => r.body.prompt.slice(-40)))}`);
}

module.exports = [
  {
    name: 'ghost text appears for a scripted reply and Tab accepts it',
    settings: settings(),
    async run({ driver, model, page }) {
      answer(model, { 'const answer = ': '21 * 2;' });
      await newLineAtEnd(driver, MATH);
      await driver.type('const answer = ');
      await waitForGhost(page, '21 * 2;');
      const sent = completionRequests(model).at(-1).body;
      assert.ok(sent.prompt.includes('export function add('), 'the prompt carries the code before the cursor');
      assert.strictEqual(typeof sent.suffix, 'string');
      await driver.press('Tab');
      await waitForNoGhost(page, 'the ghost text to be gone after Tab');
      await driver.press('Control+S');
      await waitForDisk(driver, MATH, /\nconst answer = 21 \* 2;\n?$/);
    },
  },
  {
    name: 'typing the suggested characters keeps the suggestion without a new request',
    settings: settings(),
    async run({ driver, model, page }) {
      answer(model, { 'const cost = ': 'price * quantity + shipping;' });
      await newLineAtEnd(driver, MATH);
      await driver.type('const cost = ');
      await waitForGhost(page, 'price * quantity + shipping;');
      const before = completionRequests(model).length;
      await driver.type('price * q');
      await waitForGhost(page, 'uantity + shipping;');
      await noNewRequest(model, before);
      assert.strictEqual(await ghost(page), 'uantity + shipping;');
      // and the rest accepts as usual
      await driver.press('Tab');
      await driver.press('Control+S');
      await waitForDisk(driver, MATH, /\nconst cost = price \* quantity \+ shipping;\n?$/);
    },
  },
  {
    name: 'Escape dismisses the suggestion and leaves the text as typed',
    settings: settings(),
    async run({ driver, model, page }) {
      answer(model, { 'const ratio = ': 'numerator / denominator;' });
      await newLineAtEnd(driver, MATH);
      await driver.type('const ratio = ');
      await waitForGhost(page, 'numerator / denominator;');
      await driver.press('Escape');
      await waitForNoGhost(page, 'the ghost text to be dismissed');
      await driver.press('Control+S');
      await waitForDisk(driver, MATH, /\nconst ratio = \n?$/);
    },
  },
  {
    name: 'an excluded file gets no request at all (a file that is not excluded does)',
    settings: settings({ 'redline.exclude': ['**/stats.py'] }),
    async run({ driver, model, page }) {
      answer(model, { 'limit = ': '100', 'const limit = ': '100;' });
      // Control: the same typing in a file that is not excluded asks the model.
      await newLineAtEnd(driver, MATH);
      await driver.type('const limit = ');
      await waitForGhost(page, '100;');
      await driver.press('Escape');
      const before = completionRequests(model).length;
      assert.ok(before >= 1);
      await newLineAtEnd(driver, STATS);
      await driver.type('limit = ');
      await noNewRequest(model, before, 1500);
      assert.strictEqual(await ghost(page), '');
    },
  },
  {
    name: 'snooze from the palette stops requests; toggling resumes them',
    settings: settings(),
    async run({ driver, model, page }) {
      answer(model, { 'const a = ': '1;', 'const b = ': '2;' });
      await waitForActivation(driver);
      await driver.runCommand('Redline: Snooze Inline Suggestions for 30 Minutes');
      await driver.waitForText(/Suggest 30m/, { selector: '.part.statusbar' });
      await newLineAtEnd(driver, MATH);
      await driver.type('const a = ');
      await noNewRequest(model, 0, 1200);
      await driver.runCommand('Redline: Toggle Inline Suggestions');
      await poll(async () => !/Suggest \d+m/.test(await driver.page.locator('.part.statusbar').innerText()), { timeout: 10000, what: 'the snooze to end' });
      await driver.press('End');
      await driver.press('Enter');
      await driver.type('const b = ');
      await waitForGhost(page, '2;');
    },
  },
];
