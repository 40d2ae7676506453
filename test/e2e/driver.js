// Drives the VS Code 1.100 workbench (code-server in Chromium) the way a person would: keys,
// clicks, the command palette. Every wait polls against a deadline; nothing here sleeps a fixed
// time to make an assertion pass.
//
// DOM hooks of VS Code 1.100 (code-server 4.100.3) used below, checked against the live page:
//   workbench              .monaco-workbench; Explorer rows .explorer-folders-view .monaco-list-row
//                          (aria-label = name, aria-level = depth from 1, aria-expanded on folders)
//   command palette / input .quick-input-widget, text box .quick-input-box input (F1 puts '>' in it),
//                          rows .quick-input-list .monaco-list-row (.focused; label .quick-input-list-label
//                          .label-name), prompt/validation .quick-input-message
//   active editor          .editor-group-container.active .monaco-editor, keyboard focus textarea.inputarea
//   editor text            .view-lines .view-line (absolute style.top per line; spaces are U+00A0)
//   line decorations       .view-overlays > div (same style.top as the line) > div.cdr.<class>; an
//                          extension's TextEditorDecorationType gets a generated class
//                          "ced-<n>-TextEditorDecorationType<k>-<m>": tell them apart by computed colour
//   CodeLens               .codelens-decoration a (one <a> per command; "$(icon)" becomes a .codicon span)
//   ghost text             .ghost-text-decoration (first line), .ghost-text-decoration-preview, .ghost-text
//                          (class names from the 1.100 workbench CSS; not yet seen live: no suggestion feature ran)
//   notifications          .notifications-toasts .notification-toast, message .notification-list-item-message,
//                          buttons .notification-list-item-buttons-container .monaco-button
//   modal dialogs          .monaco-dialog-box, buttons .dialog-buttons .monaco-button
//   output panel           .part.panel .monaco-editor .view-line; panel title .part.panel .composite.title
//   tabs                   .editor-group-container.active .tab.active (aria-label starts with the file name)
//   status bar             .statusbar-item[id="status.editor.selection"] = "Ln 3, Col 1 (12 selected)"
'use strict';

const fs = require('fs');
const path = require('path');

const NBSP = /\u00a0/g;

class TimeoutError extends Error {}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function describe(x) {
  return x instanceof RegExp ? String(x) : JSON.stringify(x);
}

function matches(text, want) {
  if (want instanceof RegExp) return want.test(text);
  return text.includes(want);
}

/**
 * Polls `fn` until it returns a truthy value (which is returned) or the deadline passes.
 * `what` names the wait in the error; `last` (optional) describes what was last seen.
 */
async function poll(fn, { timeout = 10000, interval = 100, what = 'condition', last } = {}) {
  const deadline = Date.now() + timeout;
  let lastErr;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) {
      let seen = '';
      if (last) {
        try {
          seen = `\n  last seen: ${await last()}`;
        } catch {}
      }
      throw new TimeoutError(`timed out after ${timeout} ms waiting for ${what}${seen}${lastErr ? `\n  last error: ${lastErr.message}` : ''}`);
    }
    await sleep(interval);
  }
}

class Driver {
  /**
   * @param {import('playwright-core').Page} page
   * @param {{ workspace: string, resultsDir: string, timeout?: number }} options
   */
  constructor(page, options) {
    this.page = page;
    this.workspace = options.workspace;
    this.resultsDir = options.resultsDir;
    this.timeout = options.timeout || 15000;
  }

  // --- workbench ------------------------------------------------------------------------------

  async waitForWorkbench() {
    await this.page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    // The Explorer shows the folder once the remote connection and file service are up.
    await this.page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60000 });
  }

  /** Presses a key or chord, Playwright syntax: 'Enter', 'Control+Z', 'Shift+End'. */
  async press(keys, { times = 1 } = {}) {
    for (let i = 0; i < times; i++) await this.page.keyboard.press(keys);
  }

  /** Types text key by key, as a person would (auto-closing brackets and indentation apply). */
  async type(text) {
    await this.page.keyboard.type(text);
  }

  /** Inserts text in one input event (no auto-closing or auto-indent). */
  async insertText(text) {
    await this.page.keyboard.insertText(text);
  }

  // --- command palette and quick input --------------------------------------------------------

  quickInput() {
    return this.page.locator('.quick-input-widget');
  }

  async waitForQuickInput({ timeout = this.timeout } = {}) {
    await this.quickInput().waitFor({ state: 'visible', timeout });
    return this.quickInput();
  }

  async waitForQuickInputClosed({ timeout = this.timeout } = {}) {
    await this.quickInput().waitFor({ state: 'hidden', timeout });
  }

  /** The rows of the open quick pick, as their aria-labels. */
  async quickPickItems() {
    return this.page.$$eval('.quick-input-widget .quick-input-list .monaco-list-row', (rows) =>
      rows.map((r) => r.getAttribute('aria-label') || r.textContent || ''));
  }

  /**
   * Runs a command by its palette title ("Redline: Show Log"): F1, type the title, wait for the
   * row with exactly that label, Enter (or a click when another row has the focus).
   */
  async runCommand(title, { timeout = this.timeout } = {}) {
    // The palette lists the commands known when it opens: right after the window loads, the
    // extension's contributions may still be on their way, so reopen it until the row shows.
    const deadline = Date.now() + timeout;
    let row;
    for (let attempt = 0; !row; attempt++) {
      await this._openPalette('>', timeout);
      await this.page.keyboard.type(title);
      const wait = Math.min(attempt === 0 ? 3000 : 2000, Math.max(deadline - Date.now(), 1));
      try {
        row = await this._quickPickRow(title, wait);
      } catch (err) {
        if (Date.now() >= deadline) throw err;
      }
    }
    const focused = await row.evaluate((el) => el.classList.contains('focused'));
    if (focused) await this.press('Enter');
    else await row.click();
    // Done when the palette has gone, or has been replaced by the command's own input box.
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await poll(async () => !(await input.isVisible()) || !(await input.inputValue()).startsWith('>'), { timeout: 5000, interval: 50, what: `the palette to run ${title}` })
      .catch(() => {});
  }

  /** Opens the quick input with F1 and sets its text to `prefix` ('>' commands, '' files). */
  async _openPalette(prefix, timeout) {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    if (await input.isVisible()) {
      await this.press('Escape');
      await input.waitFor({ state: 'hidden', timeout }).catch(() => {});
    }
    await this.press('F1');
    await input.waitFor({ state: 'visible', timeout });
    await poll(async () => (await input.inputValue()).startsWith('>'), { timeout, what: 'the command palette' });
    if (prefix !== '>') await input.fill(prefix);
    return input;
  }

  async _quickPickRow(label, timeout) {
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    const index = await poll(async () => {
      const labels = await rows.evaluateAll((els) => els.map((el) => {
        const name = el.querySelector('.quick-input-list-label .label-name');
        return (name ? name.textContent : el.getAttribute('aria-label') || '').replace(/\u00a0/g, ' ').trim();
      }));
      const i = labels.findIndex((l) => l === label);
      return i >= 0 ? i + 1 : 0;
    }, { timeout, what: `a palette row ${describe(label)}`, last: () => this.quickPickItems().then((x) => JSON.stringify(x)) });
    return rows.nth(index - 1);
  }

  /** In an open input box (showInputBox) or quick pick: types text and presses Enter. */
  async submitInput(text, { timeout = this.timeout } = {}) {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout });
    await input.fill('');
    await this.page.keyboard.type(text);
    await this.press('Enter');
  }

  /** Picks a row of an open quick pick by its label. */
  async pickQuickItem(label, { timeout = this.timeout } = {}) {
    const row = await this._quickPickRow(label, timeout);
    await row.click();
  }

  /** The prompt / validation message shown under an input box. */
  async quickInputMessage() {
    return (await this.page.locator('.quick-input-widget .quick-input-message').innerText().catch(() => '')).replace(NBSP, ' ');
  }

  // --- files and editors ----------------------------------------------------------------------

  /**
   * Opens a workspace file by its path relative to the workspace ("src/math.ts") and waits until its
   * tab is active and the editor has the focus: from the Explorer (expand the folders, double-click the
   * file) when the path is in its tree, else with Quick Open (F1, then the palette without its '>').
   */
  async openFile(relPath, { timeout = this.timeout } = {}) {
    const base = path.basename(relPath);
    if (!(await this._openFromExplorer(relPath))) {
      await this._openPalette(relPath, timeout);
      const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
      await poll(async () => {
        const labels = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') || ''));
        return labels.some((l) => l.includes(base));
      }, { timeout, what: `Quick Open to list ${relPath}`, last: () => this.quickPickItems().then((x) => JSON.stringify(x)) });
      await this.press('Enter');
    }
    await this.waitForActiveTab(base, { timeout });
    await this.focusEditor();
  }

  /** Expands the folders of `relPath` in the Explorer and double-clicks the file; false when not found. */
  async _openFromExplorer(relPath) {
    const parts = relPath.split('/');
    for (let i = 0; i < parts.length; i++) {
      const row = this.page.locator(`.explorer-folders-view .monaco-list-row[aria-level="${i + 1}"][aria-label="${parts[i]}"]`).first();
      try {
        await row.waitFor({ state: 'visible', timeout: 1500 });
      } catch {
        return false;
      }
      if (i < parts.length - 1) {
        if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
        await poll(async () => (await row.getAttribute('aria-expanded')) === 'true', { timeout: 3000, what: `${parts[i]} expanded in the Explorer` });
      } else {
        await row.dblclick();
      }
    }
    return true;
  }

  /** Opens a file by double-clicking its row in the Explorer (folders must be expanded). */
  async openFileFromExplorer(name, { timeout = this.timeout } = {}) {
    const row = this.page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`).first();
    await row.waitFor({ state: 'visible', timeout });
    await row.dblclick();
    await this.waitForActiveTab(name, { timeout });
  }

  async waitForActiveTab(name, { timeout = this.timeout } = {}) {
    await poll(async () => {
      const label = await this.page.locator('.editor-group-container.active .tab.active').first().getAttribute('aria-label').catch(() => null);
      return label && label.split(/[,\s]/)[0] === name;
    }, { timeout, what: `the active tab to be ${name}`, last: () => this.page.locator('.tab.active').first().getAttribute('aria-label') });
  }

  /** Clicks into the active editor's text so keys go there. */
  async focusEditor() {
    const editor = this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await editor.waitFor({ state: 'visible', timeout: this.timeout });
    // Focus without moving the cursor: focus the hidden input element the editor uses.
    await this.page.evaluate(() => {
      const el = document.querySelector('.editor-group-container.active .monaco-editor textarea.inputarea')
        || document.querySelector('.editor-group-container.active .monaco-editor .native-edit-context');
      if (el) el.focus();
    });
  }

  /** Moves the cursor to line:column (1-based) with Go to Line (Ctrl+G). */
  async goToLine(line, column = 1) {
    await this.focusEditor();
    await this.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: this.timeout });
    await input.fill(`:${line}:${column}`);
    await this.press('Enter');
    await this.waitForCursor(line, column);
  }

  /**
   * Selects lines `from`..`to` (1-based, inclusive): from column 1 of `from` to the end of `to`,
   * with Go to Line, Shift+Down and Shift+End, as a person would.
   */
  async selectLines(from, to) {
    await this.goToLine(from, 1);
    await this.press('Shift+ArrowDown', { times: to - from });
    await this.press('Shift+End');
    await poll(async () => {
      const s = await this.cursorStatus();
      return s && s.line === to && s.selected > 0;
    }, { timeout: this.timeout, what: `lines ${from}-${to} selected`, last: () => this.cursorStatusText() });
  }

  async cursorStatusText() {
    return (await this.page.locator('.statusbar-item[id="status.editor.selection"]').innerText().catch(() => '')).replace(NBSP, ' ');
  }

  /** The status bar's cursor: { line, column, selected } (selected = characters, 0 when none). */
  async cursorStatus() {
    const t = await this.cursorStatusText();
    const m = /Ln (\d+), Col (\d+)(?: \((\d+) selected\))?/.exec(t);
    if (!m) return undefined;
    return { line: Number(m[1]), column: Number(m[2]), selected: Number(m[3] || 0) };
  }

  async waitForCursor(line, column) {
    await poll(async () => {
      const s = await this.cursorStatus();
      return s && s.line === line && (column === undefined || s.column === column);
    }, { timeout: this.timeout, what: `the cursor at ${line}:${column}`, last: () => this.cursorStatusText() });
  }

  /**
   * The visible lines of the active editor, top to bottom: { text, top, number, classes, tint, inline } where
   * number is the line's number in the gutter (1-based; the editor may be scrolled), 
   * classes the class names of the whole-line decorations on that line (view overlays), tint is
   * 'red' | 'green' | 'other' | null from the background an extension decoration paints (a review's
   * removed / added lines), inline the class names of inline decorations.
   * Monaco renders only what is on screen: keep test files short.
   */
  async editorLines() {
    return this.page.evaluate(() => {
      const editor = document.querySelector('.editor-group-container.active .monaco-editor');
      if (!editor) return [];
      const lines = [...editor.querySelectorAll('.view-lines .view-line')].map((el) => ({
        top: parseFloat(el.style.top),
        number: 0,
        text: el.textContent.replace(/\u00a0/g, ' '),
        classes: [],
        tint: null,
        inline: [...el.querySelectorAll('span[class]')].flatMap((s) => [...s.classList]).filter((c) => !/^mtk\d+$/.test(c) && c !== 'mtkb' && c !== 'mtki'),
      }));
      // The gutter's line numbers, by the same vertical position (0 when line numbers are off).
      for (const m of editor.querySelectorAll('.margin-view-overlays > div')) {
        const line = lines.find((l) => l.top === parseFloat(m.style.top));
        const n = m.querySelector('.line-numbers');
        if (line && n) line.number = Number(n.textContent.trim()) || 0;
      }
      for (const ov of editor.querySelectorAll('.view-overlays > div')) {
        const top = parseFloat(ov.style.top);
        const line = lines.find((l) => l.top === top);
        if (!line) continue;
        for (const d of ov.querySelectorAll('div')) {
          for (const c of d.classList) if (!['cdr', 'current-line', 'core-guide'].includes(c) && !line.classes.includes(c)) line.classes.push(c);
          // Extension decorations (createTextEditorDecorationType) get generated class names
          // "ced-<n>-TextEditorDecorationType<k>-<m>": classify them by the colour they paint.
          if ([...d.classList].some((c) => c.startsWith('ced-'))) {
            const m = /rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)/.exec(getComputedStyle(d).backgroundColor);
            if (m && Number(m[4] ?? 1) > 0) {
              const [r, g, b] = [Number(m[1]), Number(m[2]), Number(m[3])];
              line.tint = r > g && r > b ? 'red' : g >= r && g > b ? 'green' : 'other';
            }
          }
        }
      }
      return lines.sort((a, b) => a.top - b.top);
    });
  }

  /** The visible text of the active editor (lines joined with \n). */
  async editorText() {
    return (await this.editorLines()).map((l) => l.text).join('\n');
  }

  /** Waits until the active editor shows `text` (string: substring; RegExp: test). */
  async waitForEditorText(want, { timeout = this.timeout } = {}) {
    await poll(async () => matches(await this.editorText(), want), { timeout, what: `the editor to show ${describe(want)}`, last: () => this.editorText().then(JSON.stringify) });
  }

  /**
   * Waits until the active editor holds exactly `text` (line endings aside: CRLF and LF files show
   * the same). Only lines on screen are seen: keep such files shorter than the editor.
   */
  async waitForEditorContent(text, { timeout = this.timeout } = {}) {
    const want = text.replace(/\r\n/g, '\n');
    await poll(async () => (await this.editorText()) === want, { timeout, what: `the editor to hold exactly ${JSON.stringify(want)}`, last: () => this.editorText().then(JSON.stringify) });
  }

  /** Waits until anything in the workbench shows `want` (string or RegExp). */
  async waitForText(want, { timeout = this.timeout, selector = '.monaco-workbench' } = {}) {
    const read = async () => (await this.page.locator(selector).first().innerText()).replace(NBSP, ' ');
    await poll(async () => matches(await read(), want), { timeout, what: `${selector} to show ${describe(want)}`, last: async () => JSON.stringify((await read()).slice(0, 2000)) });
  }

  // --- CodeLens -------------------------------------------------------------------------------

  /** The titles of all CodeLens commands shown in the active editor, top to bottom. */
  async codeLenses() {
    return this.page.evaluate(() => {
      const editor = document.querySelector('.editor-group-container.active .monaco-editor');
      if (!editor) return [];
      return [...editor.querySelectorAll('.codelens-decoration')]
        .sort((a, b) => parseFloat(a.style.top || '0') - parseFloat(b.style.top || '0'))
        .flatMap((d) => [...d.querySelectorAll('a')].map((a) => a.textContent.replace(/\u00a0/g, ' ').trim()))
        .filter(Boolean);
    });
  }

  _codeLensLocator(text) {
    const loc = this.page.locator('.editor-group-container.active .codelens-decoration a');
    return text instanceof RegExp ? loc.filter({ hasText: text }) : loc.filter({ hasText: new RegExp(`^\\s*(\\$\\([\\w-]+\\)\\s*)?${escapeRe(text)}\\s*$`) });
  }

  /**
   * Waits for a CodeLens titled `text` (exact title without its icon, or a RegExp); with `count`,
   * waits until exactly that many show. Returns their locator.
   */
  async waitForCodeLens(text, { timeout = this.timeout, count } = {}) {
    const loc = this._codeLensLocator(text);
    const ok = (n) => (count === undefined ? n >= 1 : n === count);
    await poll(async () => ok(await loc.count()), { timeout, what: `${count === undefined ? 'a' : `exactly ${count}`} CodeLens ${describe(text)}`, last: () => this.codeLenses().then(JSON.stringify) });
    return loc;
  }

  async waitForNoCodeLens(text, { timeout = this.timeout } = {}) {
    const loc = text ? this._codeLensLocator(text) : this.page.locator('.editor-group-container.active .codelens-decoration a');
    await poll(async () => (await loc.count()) === 0, { timeout, what: `no CodeLens ${text ? describe(text) : ''}`, last: () => this.codeLenses().then(JSON.stringify) });
  }

  /** Clicks the `nth` (0-based, top to bottom) CodeLens titled `text`. */
  async clickCodeLens(text, { nth = 0, timeout = this.timeout } = {}) {
    const loc = this._codeLensLocator(text);
    await poll(async () => (await loc.count()) > nth, { timeout, what: `CodeLens ${describe(text)} #${nth + 1}`, last: () => this.codeLenses().then(JSON.stringify) });
    // VS Code redraws CodeLens after a document change (typing, an edit of the review): a click on a lens
    // being replaced is lost. Wait until the lenses stand still (the same ones in the same places on three
    // reads in a row), then sort by on-screen position (DOM order of content widgets is not line order).
    const read = () => loc.evaluateAll((els) => els.map((el) => {
      const r = el.getBoundingClientRect();
      return { y: r.top, x: r.left, connected: el.isConnected };
    }));
    let boxes = [];
    let same = 0;
    let previous = '';
    await poll(async () => {
      boxes = await read();
      const now = JSON.stringify(boxes);
      same = now === previous && boxes.length > nth ? same + 1 : 0;
      previous = now;
      return same >= 2;
    }, { timeout, interval: 150, what: `CodeLens ${describe(text)} #${nth + 1} standing still`, last: () => previous });
    const order = boxes.map((b, i) => ({ ...b, i })).sort((a, b) => a.y - b.y || a.x - b.x);
    await loc.nth(order[nth].i).click();
  }

  // --- notifications --------------------------------------------------------------------------

  _toasts() {
    return this.page.locator('.notifications-toasts .notification-toast');
  }

  /** Texts of the notifications on screen. */
  async notifications() {
    return this._toasts().locator('.notification-list-item-message').allInnerTexts();
  }

  /** Waits for a notification whose message matches (string: substring, or RegExp); returns it. */
  async waitForNotification(want, { timeout = this.timeout } = {}) {
    const toast = this._toasts().filter({ has: this.page.locator('.notification-list-item-message', { hasText: want }) }).first();
    await poll(async () => toast.isVisible(), { timeout, what: `a notification ${describe(want)}`, last: () => this.notifications().then(JSON.stringify) });
    return toast;
  }

  /** The button labels of the notification matching `want`. */
  async notificationButtons(want) {
    const toast = await this.waitForNotification(want);
    return toast.locator('.notification-list-item-buttons-container .monaco-button').allInnerTexts();
  }

  /** Clicks a button of a notification (the one matching `want`, or any showing that button). */
  async clickNotificationButton(label, { want, timeout = this.timeout } = {}) {
    const toast = want ? await this.waitForNotification(want, { timeout }) : this._toasts().filter({ has: this.page.locator('.monaco-button', { hasText: label }) }).first();
    const button = toast.locator('.notification-list-item-buttons-container .monaco-button', { hasText: label }).first();
    await button.waitFor({ state: 'visible', timeout });
    await button.click();
  }

  /** Closes every notification (Escape does not reach toasts reliably: use their command). */
  async clearNotifications() {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  // --- dialogs (VS Code's own modal dialogs in the web: "Do you want to save…?") ----------------

  _dialog() {
    return this.page.locator('.monaco-dialog-box');
  }

  /** Waits for a modal dialog whose text matches `want`; returns its text. */
  async waitForDialog(want, { timeout = this.timeout } = {}) {
    const read = async () => ((await this._dialog().isVisible()) ? (await this._dialog().innerText()).replace(NBSP, ' ') : '');
    await poll(async () => matches(await read(), want), { timeout, what: `a dialog ${describe(want)}`, last: () => read().then(JSON.stringify) });
    return read();
  }

  async clickDialogButton(label, { timeout = this.timeout } = {}) {
    const button = this._dialog().locator('.dialog-buttons .monaco-button', { hasText: label }).first();
    await button.waitFor({ state: 'visible', timeout });
    await button.click();
    await this._dialog().waitFor({ state: 'hidden', timeout });
  }

  // --- ghost text and decorations --------------------------------------------------------------

  /** The inline-suggestion ghost text shown in the active editor ('' when none). */
  async ghostText() {
    return this.page.evaluate(() => {
      const editor = document.querySelector('.editor-group-container.active .monaco-editor');
      if (!editor) return '';
      return [...editor.querySelectorAll('.ghost-text-decoration, .ghost-text-decoration-preview, .ghost-text')]
        .map((el) => el.textContent.replace(/\u00a0/g, ' ')).join('\n');
    });
  }

  async waitForGhostText(want, { timeout = this.timeout } = {}) {
    await poll(async () => {
      const g = await this.ghostText();
      return g && matches(g, want);
    }, { timeout, what: `ghost text ${describe(want)}`, last: () => this.ghostText().then(JSON.stringify) });
  }

  /** Texts of the visible lines that carry a whole-line decoration class matching `re`. */
  async decoratedLines(re) {
    const lines = await this.editorLines();
    return lines.filter((l) => l.classes.some((c) => re.test(c))).map((l) => l.text);
  }

  /** The lines an inline diff paints red (removed) and green (added), as texts, top to bottom. */
  async diffLines() {
    const lines = await this.editorLines();
    return { red: lines.filter((l) => l.tint === 'red').map((l) => l.text), green: lines.filter((l) => l.tint === 'green').map((l) => l.text) };
  }

  /** Waits until diffLines() is exactly { red, green }. */
  async waitForDiffLines(expected, { timeout = this.timeout } = {}) {
    const want = JSON.stringify({ red: expected.red || [], green: expected.green || [] });
    await poll(async () => JSON.stringify(await this.diffLines()) === want, { timeout, what: `red/green lines ${want}`, last: () => this.diffLines().then(JSON.stringify) });
  }

  // --- panel and output -----------------------------------------------------------------------

  /** Text of the editor inside the panel (the Output view). */
  async outputText() {
    return this.page.evaluate(() => {
      const panel = document.querySelector('.part.panel');
      if (!panel) return '';
      const lines = [...panel.querySelectorAll('.monaco-editor .view-lines .view-line')]
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
      return lines.map((l) => l.textContent.replace(/\u00a0/g, ' ')).join('\n');
    });
  }

  async waitForOutput(want, { timeout = this.timeout } = {}) {
    await poll(async () => matches(await this.outputText(), want), { timeout, what: `the Output panel to show ${describe(want)}`, last: () => this.outputText().then(JSON.stringify) });
  }

  // --- files on disk --------------------------------------------------------------------------

  file(relPath) {
    return path.join(this.workspace, relPath);
  }

  /** The file's bytes on disk as a string (utf8 by default; 'buffer' for a Buffer). */
  readFileOnDisk(relPath, encoding = 'utf8') {
    const buf = fs.readFileSync(this.file(relPath));
    return encoding === 'buffer' ? buf : buf.toString(encoding);
  }

  /** Polls until the file on disk is exactly `expected` (string or Buffer). */
  async waitForFileContent(relPath, expected, { timeout = this.timeout } = {}) {
    const want = Buffer.isBuffer(expected) ? expected : Buffer.from(expected, 'utf8');
    let last = '';
    await poll(() => {
      const got = fs.readFileSync(this.file(relPath));
      last = got.toString('utf8');
      return got.equals(want);
    }, { timeout, what: `${relPath} on disk to be ${JSON.stringify(want.toString('utf8'))}`, last: () => JSON.stringify(last) });
  }

  // --- evidence -------------------------------------------------------------------------------

  async screenshot(name) {
    fs.mkdirSync(this.resultsDir, { recursive: true });
    const file = path.join(this.resultsDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

module.exports = { Driver, poll, sleep, TimeoutError };
