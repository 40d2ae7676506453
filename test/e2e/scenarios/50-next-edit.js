// Next edit suggestions in real VS Code (issue 13): rename a parameter in one place, the scripted model
// proposes its other use, the light inline diff appears, Tab accepts, the file is right on disk after
// save; Escape dismisses another; a proposal far below the cursor shows a hint and Tab jumps there first.
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { poll, sleep } = require('../driver');

const GEOMETRY = 'src/geometry.ts';
const SHAPES = 'src/shapes.ts';

function settings(extra = {}) {
  return {
    'redline.nextEdit.enabled': true,
    'redline.nextEdit.debounceMs': 600,
    'redline.completion.enabled': false,
    'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
    'editor.suggestOnTriggerCharacters': false,
    'editor.wordBasedSuggestions': 'off',
    'editor.parameterHints.enabled': false,
    ...extra,
  };
}

/**
 * The scripted model: for a next-edit chat request, takes the marked region from the prompt and answers
 * with `rewrite(region)` between the markers, the way chat models write it (a sentence and a fence).
 */
function scriptNextEdit(model, rewrite) {
  model.setResponder((req) => {
    if (req.endpoint !== 'chat') return undefined;
    const user = String(req.body.messages[req.body.messages.length - 1].content);
    const m = /<\|editable_region_start\|>\n([\s\S]*?)<\|editable_region_end\|>/.exec(user);
    if (!m) return { reply: 'No region.' };
    const region = m[1].replace('<|user_cursor_is_here|>', '');
    return { reply: `Here is the rewritten region:\n\`\`\`ts\n<|editable_region_start|>\n${rewrite(region)}<|editable_region_end|>\n\`\`\`\n` };
  });
}

function nextEditRequests(model) {
  return model.requests.filter((r) => r.endpoint === 'chat');
}

/**
 * What the next-edit decorations paint in the active editor: struck-out text (an inline decoration on
 * the text), inserted text and the hint (a decoration's before/after content, which VS Code renders as
 * CSS ::before/::after content of an empty span), told apart by their computed style.
 */
async function nextEditView(page) {
  return page.evaluate(() => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    const out = { removed: [], inserted: [], hints: [] };
    if (!editor) return out;
    const greenish = (st) => {
      const m = /rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)/.exec(st.backgroundColor);
      return m && Number(m[4] ?? 1) > 0 && Number(m[2]) > Number(m[1]);
    };
    const lines = [...editor.querySelectorAll('.view-lines .view-line')].sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
    for (const line of lines) {
      for (const span of line.querySelectorAll('span')) {
        if (!span.querySelector('span') && span.textContent && getComputedStyle(span).textDecorationLine.includes('line-through')) {
          out.removed.push(span.textContent.replace(/\u00a0/g, ' '));
        }
        for (const pseudo of ['::before', '::after']) {
          const st = getComputedStyle(span, pseudo);
          const content = st.content;
          if (!content || content === 'none' || content === 'normal') continue;
          const text = content.replace(/^"|"$/g, '').replace(/\\"/g, '"').replace(/\u00a0/g, ' ');
          if (st.fontStyle === 'italic') out.hints.push(text.trim());
          else if (greenish(st)) out.inserted.push(text);
        }
      }
    }
    return out;
  });
}

async function waitForView(page, want, what, timeout = 60000) {
  await poll(
    async () => {
      const v = await nextEditView(page);
      return Object.entries(want).every(([k, list]) => JSON.stringify(v[k]) === JSON.stringify(list));
    },
    { timeout, what, last: () => nextEditView(page).then(JSON.stringify) },
  );
}

async function waitForNothingShown(page) {
  await waitForView(page, { removed: [], inserted: [], hints: [] }, 'no next-edit decorations', 15000);
}

async function waitForActivation(driver) {
  await driver.waitForText(/Next Edit/, { selector: '.part.statusbar', timeout: 30000 });
}

/** Places the cursor at line:column (1-based), deletes `erase` characters before it and types `text`. */
async function retype(driver, line, column, erase, text) {
  await driver.goToLine(line, column);
  await driver.press('Backspace', { times: erase });
  await driver.type(text);
}

async function save(driver) {
  await driver.focusEditor();
  await driver.press('Control+S');
}

module.exports = [
  {
    name: 'rename a parameter: its other use is proposed as an inline diff, Tab accepts, the file is right on disk',
    settings: settings(),
    async run({ driver, model, page, root, resultsDir }) {
      scriptNextEdit(model, (region) => region.replace('const inner = w * h;', 'const inner = width * h;'));
      await waitForActivation(driver);
      await driver.openFile(GEOMETRY);
      const original = driver.readFileOnDisk(GEOMETRY);
      // "export function area(w" — the w is column 22.
      await retype(driver, 3, 23, 1, 'width');
      await waitForView(page, { removed: ['w'], inserted: ['width'], hints: ['Tab accept · Esc dismiss'] }, 'the proposed rename as an inline diff');

      // What was asked: the rename as a "User edited" diff and the marked region with the cursor.
      const sent = nextEditRequests(model).at(-1).body;
      assert.strictEqual(sent.model, 'test-model');
      const user = sent.messages[sent.messages.length - 1].content;
      assert.ok(user.includes('User edited "src/geometry.ts":\n```diff\n'), user);
      assert.ok(user.includes('-export function area(w: number, h: number): number {\n+export function area(width: number, h: number): number {'), user);
      assert.ok(user.includes('export function area(width<|user_cursor_is_here|>: number, h: number): number {'), user);

      // Nothing of the proposal is in the document or on disk yet.
      assert.strictEqual(driver.readFileOnDisk(GEOMETRY), original);
      const shot = await driver.screenshot('next-edit');
      // REDLINE_E2E_README_SHOT=1 refreshes the README's screenshot (media/next-edit.png).
      if (process.env.REDLINE_E2E_README_SHOT) fs.copyFileSync(shot, path.join(root, 'media', 'next-edit.png'));
      assert.ok(resultsDir);

      await driver.press('Tab');
      await driver.waitForEditorText('  const inner = width * h;');
      await waitForNothingShown(page);
      // Tab did not indent anything: the signature line is as typed.
      await driver.waitForEditorText('export function area(width: number, h: number): number {');
      await save(driver);
      await driver.waitForFileContent(GEOMETRY, original.replace('area(w:', 'area(width:').replace('const inner = w * h;', 'const inner = width * h;'));

      // One undo takes the accepted edit back, and only it.
      await driver.press('Control+Z');
      await driver.waitForEditorText('  const inner = w * h;');
      await driver.waitForEditorText('export function area(width: number, h: number): number {');
    },
  },
  {
    name: 'Escape dismisses a proposal and leaves the text as typed',
    settings: settings(),
    async run({ driver, model, page }) {
      scriptNextEdit(model, (region) => region.replace('return 2 * (w + h);', 'return 2 * (width + h);'));
      await waitForActivation(driver);
      await driver.openFile(GEOMETRY);
      const original = driver.readFileOnDisk(GEOMETRY);
      // "export function perimeter(w" — the w is column 27.
      await retype(driver, 8, 28, 1, 'width');
      await waitForView(page, { removed: ['w'], inserted: ['width'] }, 'the proposal in perimeter()');
      const asked = nextEditRequests(model).length;
      await driver.press('Escape');
      await waitForNothingShown(page);
      await save(driver);
      await driver.waitForFileContent(GEOMETRY, original.replace('perimeter(w:', 'perimeter(width:'));
      // Dismissed means dismissed: no new request and nothing shown again without a new edit.
      await sleep(800);
      assert.strictEqual(nextEditRequests(model).length, asked);
      assert.deepStrictEqual(await nextEditView(page), { removed: [], inserted: [], hints: [] });
    },
  },
  {
    name: 'a proposal far below the cursor shows a hint; Tab jumps there first, then accepts',
    settings: settings(),
    async run({ driver, model, page }) {
      scriptNextEdit(model, (region) => region.replace('out.push(p * factor);', 'out.push(p * ratio);'));
      await waitForActivation(driver);
      await driver.openFile(SHAPES);
      const original = driver.readFileOnDisk(SHAPES);
      // "export function scale(factor" — factor ends before column 29.
      await retype(driver, 3, 29, 6, 'ratio');
      await waitForView(page, { removed: [], inserted: [], hints: ['↓ Next edit at line 34 · Tab to go there'] }, 'the hint at the end of the cursor line');
      // The cursor did not move by itself.
      const before = await driver.cursorStatus();
      assert.deepStrictEqual([before.line, before.column], [3, 28]);

      await driver.press('Tab');
      await driver.waitForCursor(34);
      await waitForView(page, { removed: ['factor'], inserted: ['ratio'], hints: ['Tab accept · Esc dismiss'] }, 'the inline diff at the use');
      await driver.press('Tab');
      await waitForNothingShown(page);
      await save(driver);
      await driver.waitForFileContent(SHAPES, original.replace('scale(factor:', 'scale(ratio:').replace('p * factor', 'p * ratio'));
    },
  },
];
