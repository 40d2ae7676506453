// Reviews that survive everything a user does (issue 8): the issue's two paths to a buffer holding
// both versions with no review, and settles, undos and redos racing `files.autoSave` (the disk watched
// between steps too), as fixed cases, then seeded random sequences of what a user does during
// a review (accept/reject a hunk or all, by CodeLens or key, undo, redo, cursor moves by keyboard and
// mouse, typing inside and outside hunks, save, close and reopen). After every step: the file on disk
// never holds a pending hunk (both versions of a change), and the buffer holds one only while its
// review is shown (its Accept All lens, its red and green lines).
//
// Seeds: four fixed ones and one drawn from the clock in every run, each printed with how to replay it;
// REDLINE_E2E_SEEDS=1,2,clock plays the given ones instead (`clock`: drawn from the clock), and
// REDLINE_E2E_STEPS sets the number of steps (30). Every step waits for its own effect (a settle's lines
// gone, a save written) and reads its targets from the editor as shown (painted hunks, CodeLens), so the
// next step never acts on lines an edit is about to move.
// The autosave and save-race cases found bugs (fixed 2026-12-04): a save answered while an edit of
// Redline's was on its way, or the late edit of an automatic save VS Code had cancelled, cut into the
// text of a review being written; a key pressed between VS Code's save participants and its write
// reached the disk, and saving the (then clean) file again wrote nothing.
'use strict';

const assert = require('assert');
const { poll } = require('../driver');

const FILE = 'src/inventory.ts';
const NAME = 'inventory.ts';
// The two functions (lines 9–23) and a reply that rewrites both loops: two hunks.
const FROM = 9;
const TO = 23;
const HUNKS = [
  { old: '  let total = 0;', neu: '  return items.reduce((sum, item) => sum + item.price * item.count, 0);' },
  { old: '  const low: Item[] = [];', neu: '  return items.filter((item) => item.count < 5);' },
];
/** Every original line of each hunk (red while pending). */
const OLD = [
  [HUNKS[0].old, '  for (const item of items) {', '    total += item.price * item.count;', '  }', '  return total;'],
  [HUNKS[1].old, '  for (const item of items) {', '    if (item.count < 5) low.push(item);', '  }', '  return low;'],
];
const REWRITE = [
  'export function totalValue(items: Item[]): number {',
  HUNKS[0].neu,
  '}',
  '',
  'export function lowStock(items: Item[]): Item[] {',
  HUNKS[1].neu,
  '}',
].join('\n');
const REPLY = `Here is the rewrite:\n\n\`\`\`ts\n${REWRITE}\n\`\`\`\n`;
const STEPS = Number(process.env.REDLINE_E2E_STEPS || 30);

/** Lines of `lines` that are `line`, possibly with text typed at its end (the random steps type at line ends). */
function has(lines, line) {
  return lines.some((l) => l.startsWith(line));
}

/** Which hunks a text holds both versions of. */
function pendingIn(text) {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  return HUNKS.map((h, i) => (has(lines, h.old) && has(lines, h.neu) ? i : -1)).filter((i) => i >= 0);
}

/** No inline suggestions: their ghost text is not what these tests are about. */
const SETTINGS = {
  'redline.completion.enabled': false,
  // The whole file stays on screen (the checks read what the editor shows): no scrolling past the end,
  // a smaller font so the file with both versions and its CodeLens fits the window.
  'editor.scrollBeyondLastLine': false,
  'editor.fontSize': 12,
  'editor.lineHeight': 16,
};

async function openReview(driver, model, { delayBetweenMs = 5 } = {}) {
  model.enqueue({ reply: REPLY, delayBetweenMs });
  await driver.openFile(FILE);
  await driver.selectLines(FROM, TO);
  await driver.runCommand('Redline: Edit Selection…');
  await driver.waitForQuickInput();
  await driver.submitInput('use reduce and filter');
  // The machine running the tests may be loaded: the stream and the lens refresh get generous deadlines.
  await driver.waitForCodeLens('Accept All', { timeout: 90000 });
  await driver.waitForCodeLens('Accept', { count: 2, timeout: 30000 });
}

/**
 * The whole document as the editor shows it, or undefined while it cannot be read yet: the file's tab
 * must be the active one (a key pressed with no review would have opened something else), line 1 must
 * be on screen (the editor is scrolled back with the mouse wheel, which moves no cursor) and the gutter's
 * line numbers must run without a gap.
 */
async function view(driver) {
  const active = await driver.page.locator('.tab.active').first().getAttribute('aria-label').catch(() => '');
  if (!(active || '').startsWith(NAME)) throw new Error(`the active editor is not ${NAME} but ${JSON.stringify(active)}`);
  const lines = await driver.editorLines();
  if (lines.length === 0 || lines.some((l, i) => l.number !== i + lines[0].number)) return undefined;
  if (lines[0].number !== 1) {
    await driver.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().hover();
    await driver.page.mouse.wheel(0, -5000);
    return undefined;
  }
  // The pending hunks as the editor paints them: each run of red and green lines, in order.
  const hunks = [];
  lines.forEach((l, i) => {
    const tinted = l.tint === 'red' || l.tint === 'green';
    if (!tinted) return;
    const prev = lines[i - 1];
    if (i > 0 && (prev.tint === 'red' || prev.tint === 'green') && !(prev.tint === 'green' && l.tint === 'red')) hunks[hunks.length - 1].push(i + 1);
    else hunks.push([i + 1]);
  });
  return {
    hunks,
    tints: lines.map((l) => l.tint),
    tinted: lines.filter((l) => l.tint === 'red' || l.tint === 'green').map((l) => l.text),
    lines: lines.map((l) => l.text),
    text: lines.map((l) => l.text).join('\n'),
    red: lines.filter((l) => l.tint === 'red').map((l) => l.text),
    green: lines.filter((l) => l.tint === 'green').map((l) => l.text),
  };
}

async function readView(driver, what) {
  let v;
  await poll(async () => (v = await view(driver)) !== undefined, { timeout: 30000, interval: 100, what: `${what}: the whole file on screen` });
  return v;
}

/**
 * The invariant, waited for (the editor catches up asynchronously) and then required: the buffer's
 * pending hunks are exactly those shown, and the disk holds none.
 */
async function checkInvariant(driver, label, { autosave = false } = {}) {
  let last = '';
  await poll(async () => {
    const v = await view(driver);
    if (!v) return false;
    const lenses = await driver.codeLenses();
    const { text, red, green } = v;
    const pending = pendingIn(text);
    const shown = lenses.includes('Accept All');
    last = JSON.stringify({ pending, lenses, red, green, text });
    if (lenses.some((l) => /writing|Cancel/.test(l))) return false;
    // CodeLens are drawn after the state changes: wait until they are the state's, no stale one left
    // (the next step decides what to do from them). One Accept and one Reject per pending hunk.
    const count = (t) => lenses.filter((l) => l === t).length;
    // No pending hunk in the buffer: no review and no colours (these sequences use no autosave, which
    // would keep a review collapsed to its original lines).
    // With autosave a review may stay collapsed to its original lines after a save: shown, red only.
    if (pending.length === 0 && autosave && shown) return green.length === 0;
    if (pending.length === 0) return !shown && count('Accept') === 0 && count('Reject') === 0 && green.length === 0 && red.length === 0;
    return shown && count('Accept') === pending.length && count('Reject') === pending.length && pending.every((i) => has(red, HUNKS[i].old) && has(green, HUNKS[i].neu));
  }, { timeout: 45000, interval: 200, what: `${label}: the buffer holds pending hunks exactly while the review shows them`, last: () => last });
  if (autosave) {
    // An automatic save that raced a key is saved again at once (see the autosave case): wait for it.
    await poll(() => pendingIn(driver.readFileOnDisk(FILE)).length === 0, { timeout: 15000, what: `${label}: the file on disk without both versions of a change`, last: () => driver.readFileOnDisk(FILE) });
    return;
  }
  const disk = driver.readFileOnDisk(FILE);
  assert.deepStrictEqual(pendingIn(disk), [], `${label}: the file on disk holds both versions of a change:\n${disk}`);
}

/**
 * Reads the file on disk on every change and every 20 ms: `seen` collects each text that held both versions
 * of a change; `stop()` ends the watch.
 */
function watchDisk(driver) {
  const seen = [];
  const look = () => {
    const disk = driver.readFileOnDisk(FILE);
    if (pendingIn(disk).length) seen.push(disk);
  };
  const watcher = require('fs').watch(driver.file(FILE), look);
  const timer = setInterval(look, 20);
  return {
    seen,
    stop: () => {
      clearInterval(timer);
      watcher.close();
    },
  };
}

/** Small seeded PRNG: the bench's mulberry32 (compiled to out/ by `npm run compile-tests`, which test:e2e runs). */
function rng(seed) {
  return require('../../../out/bench/util').seeded(seed);
}

/** Go to Line, tried again when the loaded machine drops the Ctrl+G box (a navigation, not the product under test). */
async function goTo(driver, line, column) {
  for (let attempt = 1; ; attempt++) {
    try {
      await driver.goToLine(line, column);
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      await driver.press('Escape');
    }
  }
}

async function reviewShown(driver) {
  return (await driver.codeLenses()).includes('Accept All');
}

/** The line (1-based) of the first line that equals `text`, or undefined. */
async function lineOf(driver, text) {
  const i = (await readView(driver, 'find a line')).lines.indexOf(text);
  return i >= 0 ? i + 1 : undefined;
}

async function closeAndReopen(driver, choice) {
  const tabOpen = async () => {
    const tabs = await driver.page.locator('.tab').evaluateAll((els) => els.map((t) => t.getAttribute('aria-label') || ''));
    return tabs.some((t) => t.startsWith(NAME));
  };
  const dialog = () => driver.page.locator('.monaco-dialog-box').isVisible();
  await driver.runCommand('View: Close Editor');
  await poll(async () => (await dialog()) || !(await tabOpen()), { timeout: 15000, what: 'the editor closed or the save dialog' });
  if (await dialog()) await driver.clickDialogButton(choice);
  // With Save the editor closes only once the file is written: reopening before that would find the old
  // tab, which then goes away.
  await poll(async () => !(await dialog()) && !(await tabOpen()), { timeout: 30000, what: `the editor closed (${choice})` });
  await driver.openFile(FILE);
}

/** Every frame the editor had to draw after a key or click is on screen (a wait for the page, not a delay). */
async function drawn(driver) {
  await driver.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** How many hunks the review shows as pending (its Accept lenses), 0 when no review is shown. */
async function pendingShown(driver) {
  const lenses = await driver.codeLenses();
  return lenses.includes('Accept All') ? lenses.filter((l) => l === 'Accept').length : 0;
}

/**
 * Waits until the review shows `count` pending hunks (no review at all for 0): the effect of a settle,
 * seen before the next step reads where lines are (a settle moves them).
 */
async function waitForPending(driver, count, what) {
  await poll(async () => {
    const lenses = await driver.codeLenses();
    const shown = lenses.includes('Accept All');
    if (count === 0) return !shown && !lenses.some((l) => l === 'Accept' || l === 'Reject');
    return shown && lenses.filter((l) => l === 'Accept').length === count && lenses.filter((l) => l === 'Reject').length === count;
  }, { timeout: 30000, what: `${what}: ${count ? `${count} pending hunk(s) shown` : 'no review'}`, last: () => driver.codeLenses().then(JSON.stringify) });
}

function mtime(driver) {
  try {
    return require('fs').statSync(driver.file(FILE)).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * One random user action, then its own effect waited for (a settle's lines gone, a save written), so
 * the next step reads the editor as it is and not as it is about to be. Returns its description.
 * Every target (which hunk, which line) is read from the editor as it is shown: the tinted lines are the
 * pending hunks, the CodeLens their count.
 */
async function randomStep(ctx, pick) {
  const { driver, model, original } = ctx;
  const pending = await pendingShown(driver);
  const shown = await reviewShown(driver);
  const r = pick();
  if (!shown && r < 0.2) {
    // Start over from the original file with a new review.
    require('fs').writeFileSync(driver.file(FILE), original);
    await driver.runCommand('File: Revert File');
    const want = original.replace(/\r\n/g, '\n');
    await poll(async () => (await view(driver))?.text === want, { timeout: 30000, what: 'the file reverted to the original', last: async () => JSON.stringify((await view(driver))?.text) });
    await openReview(driver, model);
    return 'new review';
  }
  const n = Math.floor(pick() * 1000);
  const choices = [
    ['accept hunk (lens)', 1], ['reject hunk (lens)', 1], ['accept hunk (key)', 1], ['reject hunk (key)', 1],
    ['accept all', 0.5], ['reject all', 0.5], ['undo', 2], ['redo', 1], ['arrow keys', 1], ['mouse click', 1],
    ['type in a hunk', 1], ['type outside hunks', 1], ['save', 1], ['close and reopen', 0.6],
  ];
  const total = choices.reduce((s, [, w]) => s + w, 0);
  let x = pick() * total;
  let action = choices[choices.length - 1][0];
  for (const [name, w] of choices) {
    if ((x -= w) < 0) {
      action = name;
      break;
    }
  }
  switch (action) {
    case 'accept hunk (lens)':
    case 'reject hunk (lens)': {
      const title = action.startsWith('accept') ? 'Accept' : 'Reject';
      if (!shown || pending === 0) return `${action}: nothing to click`;
      await driver.clickCodeLens(title, { nth: n % pending });
      await waitForPending(driver, pending - 1, action);
      return `${action} #${n % pending}`;
    }
    case 'accept hunk (key)':
    case 'reject hunk (key)': {
      if (!shown || pending === 0) return `${action}: no review`;
      // A line of one of the hunks the editor paints, by the line number the gutter shows.
      const { hunks } = await readView(driver, action);
      if (hunks.length !== pending) throw new Error(`${action}: ${pending} pending hunk(s) by their lenses but ${hunks.length} painted`);
      const hunk = hunks[n % hunks.length];
      const line = hunk[Math.floor(n / hunks.length) % hunk.length];
      await goTo(driver, line, 1);
      await driver.press(action.startsWith('accept') ? 'Control+Alt+Y' : 'Control+Alt+N');
      await waitForPending(driver, pending - 1, `${action} at line ${line}`);
      return `${action} at line ${line} (hunk ${n % hunks.length + 1} of ${hunks.length})`;
    }
    case 'accept all':
    case 'reject all':
      if (!shown) return `${action}: no review`;
      await driver.focusEditor();
      await driver.press(action === 'accept all' ? 'Control+Alt+Shift+Y' : 'Control+Alt+Shift+N');
      await waitForPending(driver, 0, action);
      return action;
    case 'undo':
    case 'redo':
      // No edit of Redline's follows an undo or redo (a review comes back by its text alone): the
      // invariant check that follows waits for the colours and lenses.
      await driver.focusEditor();
      await driver.press(action === 'undo' ? 'Control+Z' : 'Control+Y');
      await drawn(driver);
      return action;
    case 'arrow keys': {
      await driver.focusEditor();
      const key = ['ArrowDown', 'ArrowUp', 'ArrowLeft', 'ArrowRight'][n % 4];
      await driver.press(key, { times: 1 + (n % 3) });
      await drawn(driver);
      return `${key} ×${1 + (n % 3)}`;
    }
    case 'mouse click': {
      const lines = await readView(driver, action);
      const line = 1 + (n % lines.lines.length);
      // The line whose gutter number is `line` (DOM order of view lines is not line order).
      const target = driver.page.locator('.editor-group-container.active .monaco-editor .view-line');
      const tops = await target.evaluateAll((els) => els.map((el) => parseFloat(el.style.top)));
      const order = tops.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t);
      await target.nth(order[line - 1].i).click();
      await driver.waitForCursor(line);
      return `click on line ${line}`;
    }
    case 'type in a hunk':
    case 'type outside hunks': {
      const v = await readView(driver, action);
      const inHunk = (i) => v.tints[i] === 'red' || v.tints[i] === 'green';
      const candidates = v.lines.map((l, i) => i).filter((i) => (action === 'type in a hunk' ? inHunk(i) : !inHunk(i)));
      if (candidates.length === 0) return `${action}: no line`;
      const i = candidates[n % candidates.length];
      const typed = `${v.lines[i]} /*k*/`;
      // The line's end by the End key: the editor knows where it is (a column computed here could be off).
      await goTo(driver, i + 1, 1);
      await driver.press('End');
      await driver.type(' /*k*/');
      // Typing in a pending hunk settles it (its own undo step): accepted in its proposed lines, rejected in
      // its original ones. Wait for that, and for the typed line under the cursor, which follows the edits.
      if (inHunk(i)) await waitForPending(driver, pending - 1, `${action} (line ${i + 1}, ${v.tints[i]})`);
      let last = '';
      await poll(async () => {
        const now = await view(driver);
        const cursor = await driver.cursorStatus();
        last = JSON.stringify({ cursor, line: cursor && now?.lines[cursor.line - 1], tint: cursor && now?.tints[cursor.line - 1] });
        if (!now || !cursor) return false;
        const at = cursor.line - 1;
        return now.lines[at] === typed && cursor.column === typed.length + 1 && (!inHunk(i) || (now.tints[at] !== 'red' && now.tints[at] !== 'green'));
      }, { timeout: 30000, what: `${action}: the typed line under the cursor (${typed})${inHunk(i) ? ', settled' : ''}`, last: () => last });
      return `${action}: line ${i + 1}${inHunk(i) ? ` (${v.tints[i]})` : ''}`;
    }
    case 'save': {
      // An explicit save always writes (also a file without changes): wait for the write, so the next
      // key is not pressed while VS Code is between its save participants and the write.
      const before = mtime(driver);
      await driver.focusEditor();
      await driver.press('Control+S');
      await poll(() => mtime(driver) !== before, { timeout: 30000, what: 'save: the file written' });
      return action;
    }
    case 'close and reopen': {
      const choice = n % 2 ? 'Save' : "Don't Save";
      await closeAndReopen(driver, choice);
      return `close (${choice}) and reopen`;
    }
  }
  return action;
}

/**
 * The seeds of this run: by default four fixed seeds and one drawn from the clock (each printed with how
 * to replay it); REDLINE_E2E_SEEDS=1,2,clock plays the given ones instead (`clock`: one drawn from the clock).
 */
function seeds() {
  const given = (process.env.REDLINE_E2E_SEEDS || '154222,280246,951381,239207,clock').split(',').map((s) => s.trim()).filter(Boolean);
  let drawn = Date.now() % 1000000;
  return given.map((s) => (s === 'clock' ? (drawn = (drawn * 7919 + 13) % 1000000) : Number(s)));
}

const fixed = [
  {
    name: 'issue 8, path 1: accept hunk 1 by key, save, reject hunk 2, Ctrl+Z three times, Ctrl+Y, Ctrl+S: the disk never holds both versions',
    settings: SETTINGS,
    timeout: 240000,
    async run({ driver, model }) {
      const original = driver.readFileOnDisk(FILE);
      await openReview(driver, model);
      await checkInvariant(driver, 'review open');
      await goTo(driver, await lineOf(driver, HUNKS[0].old), 1);
      await driver.press('Control+Alt+Y');
      await driver.waitForCodeLens('Accept', { count: 1, timeout: 30000 });
      await driver.waitForDiffLines({ red: OLD[1], green: [HUNKS[1].neu] }, { timeout: 30000 });
      await driver.press('Control+S');
      await poll(() => !driver.readFileOnDisk(FILE).includes(HUNKS[0].old), { timeout: 15000, what: 'the save' });
      await checkInvariant(driver, 'saved');
      await driver.clickCodeLens('Reject', { nth: 0 });
      await driver.waitForNoCodeLens(undefined, { timeout: 30000 });
      await checkInvariant(driver, 'hunk 2 rejected');
      // Undo the reject: hunk 2 is pending again, with its review.
      await driver.focusEditor();
      await driver.press('Control+Z');
      await driver.waitForCodeLens('Accept', { count: 1, timeout: 20000 });
      await driver.waitForDiffLines({ red: OLD[1], green: [HUNKS[1].neu] }, { timeout: 30000 });
      await checkInvariant(driver, 'undo 1');
      await driver.press('Control+Z');
      await checkInvariant(driver, 'undo 2');
      await driver.press('Control+Z');
      await checkInvariant(driver, 'undo 3');
      await driver.press('Control+Y');
      await checkInvariant(driver, 'redo');
      await driver.press('Control+S');
      await checkInvariant(driver, 'save after redo');
      // Undo back to the very start: the original, no review.
      for (let i = 0; i < 8; i++) await driver.press('Control+Z');
      await checkInvariant(driver, 'undone to the start');
      await driver.waitForEditorContent(original);
      await driver.press('Control+S');
      await driver.waitForFileContent(FILE, original);
    },
  },
  {
    name: 'issue 8, path 2: an arrow key during the review, Accept All, Undo: the review is back; Save writes the original',
    settings: SETTINGS,
    timeout: 240000,
    async run({ driver, model }) {
      const original = driver.readFileOnDisk(FILE);
      await openReview(driver, model);
      await driver.focusEditor();
      await driver.press('ArrowDown');
      await driver.press('Control+Alt+Shift+Y');
      await driver.waitForNoCodeLens(undefined, { timeout: 30000 });
      await checkInvariant(driver, 'accepted all');
      await driver.press('Control+Z');
      await driver.waitForCodeLens('Accept', { count: 2, timeout: 20000 });
      await driver.waitForDiffLines({ red: [...OLD[0], ...OLD[1]], green: [HUNKS[0].neu, HUNKS[1].neu] });
      // Redo: everything accepted again, no review; Undo: the review once more.
      await driver.press('Control+Y');
      await driver.waitForNoCodeLens(undefined, { timeout: 30000 });
      await checkInvariant(driver, 'redo');
      await driver.press('Control+Z');
      await driver.waitForCodeLens('Accept', { count: 2, timeout: 30000 });
      await checkInvariant(driver, 'undo again');
      // Saving now writes the original lines of both pending hunks.
      await driver.press('Control+S');
      await driver.waitForFileContent(FILE, original);
      await checkInvariant(driver, 'saved after undo');
    },
  },
  {
    name: 'issue 8, autosave: with files.autoSave after a short delay, accepts, undos and redos in quick succession and reject all: the disk ends every step without both versions',
    settings: { ...SETTINGS, 'files.autoSave': 'afterDelay', 'files.autoSaveDelay': 100 },
    timeout: 300000,
    async run({ driver, model, log }) {
      const original = driver.readFileOnDisk(FILE);
      // Every write, watched: the file is read as soon as it changes (and every 20 ms besides). A key
      // pressed between VS Code's save participants and its write reaches the disk unseen by Redline,
      // which then saves again at once: such moments are counted and printed, the end of every step
      // is required clean.
      const { seen, stop } = watchDisk(driver);
      try {
        await openReview(driver, model);
        await checkInvariant(driver, 'review open', { autosave: true });
        await driver.clickCodeLens('Accept', { nth: 0 });
        await driver.waitForCodeLens('Accept', { count: 1, timeout: 30000 });
        await checkInvariant(driver, 'hunk 1 accepted', { autosave: true });
        // The accepted hunk reaches the disk, the pending one stays original there.
        await driver.waitForFileContent(FILE, original.replace(`${OLD[0].join('\n')}\n`, `${HUNKS[0].neu}\n`), { timeout: 30000 });
        // Keys in quick succession: every settle and every undo or redo races an automatic save.
        for (const key of ['Control+Z', 'Control+Y', 'Control+Z', 'Control+Z', 'Control+Y', 'Control+Y']) {
          await driver.focusEditor();
          await driver.press(key);
        }
        await checkInvariant(driver, 'after undo and redo', { autosave: true });
        await driver.focusEditor();
        await driver.press('Control+Alt+Shift+N');
        await checkInvariant(driver, 'reject all', { autosave: true });
        const text = (await readView(driver, 'after reject all')).text;
        await driver.waitForFileContent(FILE, text, { timeout: 30000 });
      } finally {
        stop();
      }
      (log || ((m) => process.stdout.write(`${m}\n`)))(`  autosave: ${seen.length} read(s) of the file caught both versions between a save and Redline's save again`);
      assert.deepStrictEqual(pendingIn(driver.readFileOnDisk(FILE)), []);
    },
  },
  {
    name: 'issue 8, save race: Ctrl+S twice on the saved file right after Reject All, then at once Ctrl+Z (the review comes back): the disk ends without both versions',
    settings: SETTINGS,
    timeout: 300000,
    async run({ driver, model, log }) {
      // Found by the random sequences on 2026-12-04 (seed 951381: save, save, save, undo): an Undo pressed
      // while VS Code is between its save participants and its write reaches the disk, and the file is
      // then clean, so saving it again writes nothing. Tried three times: the race is lost only sometimes.
      const say = log || ((m) => process.stdout.write(`${m}\n`));
      await openReview(driver, model);
      for (let round = 1; round <= 3; round++) {
        await driver.focusEditor();
        await driver.press('Control+Alt+Shift+N');
        await waitForPending(driver, 0, `round ${round}: reject all`);
        let before = mtime(driver);
        await driver.press('Control+S');
        await poll(() => mtime(driver) !== before, { timeout: 30000, what: `round ${round}: the save after Reject All` });
        await checkInvariant(driver, `round ${round}: saved`);
        before = mtime(driver);
        await driver.press('Control+S');
        await driver.press('Control+S');
        await driver.press('Control+Z');
        await waitForPending(driver, 2, `round ${round}: Reject All undone`);
        await poll(() => mtime(driver) !== before, { timeout: 30000, what: `round ${round}: the saves written` });
        let clean = false;
        try {
          await poll(() => pendingIn(driver.readFileOnDisk(FILE)).length === 0, { timeout: 15000, what: 'the disk without both versions' });
          clean = true;
        } catch {}
        say(`  save race, round ${round}: the disk ${clean ? 'ends without' : 'still holds'} both versions 15 s later`);
        assert.ok(clean, `round ${round}: the file on disk holds both versions of a change:\n${driver.readFileOnDisk(FILE)}`);
        await checkInvariant(driver, `round ${round}: after the race`);
      }
    },
  },
  {
    name: 'issue 8, autosave while the model writes: a slow stream saved automatically every 100 ms opens its review intact, and the disk never holds both versions',
    settings: { ...SETTINGS, 'files.autoSave': 'afterDelay', 'files.autoSaveDelay': 100 },
    timeout: 300000,
    async run({ driver, model }) {
      const original = driver.readFileOnDisk(FILE);
      // Read on every change and every 20 ms: a save answered while an edit of Redline's was on its way
      // (or an earlier automatic save cancelled by VS Code, whose edit still lands late) once cut into the
      // text and left both versions on disk.
      const { seen, stop } = watchDisk(driver);
      try {
        // About 65 pieces 120 ms apart: an automatic save (100 ms after the last change) in every gap while the model writes.
        await openReview(driver, model, { delayBetweenMs: 120 });
        await checkInvariant(driver, 'review open', { autosave: true });
        // The review is the reply's, whole: Accept All gives exactly the proposal (nothing cut or doubled).
        await driver.focusEditor();
        await driver.press('Control+Alt+Shift+Y');
        const expected = original.replace(original.split('\n').slice(FROM - 1, TO).join('\n'), REWRITE);
        await driver.waitForFileContent(FILE, expected, { timeout: 30000 });
        await checkInvariant(driver, 'accept all', { autosave: true });
      } finally {
        stop();
      }
      assert.deepStrictEqual(seen.length, 0, `the file on disk held both versions ${seen.length} time(s); first:\n${seen[0]}`);
    },
  },
];

const random = seeds().map((seed) => ({
  name: `model-based sequence, seed ${seed} (${STEPS} steps)`,
  settings: SETTINGS,
  timeout: 900000,
  async run({ driver, model, log }) {
    const say = log || ((m) => process.stdout.write(`${m}\n`));
    say(`  seed ${seed}: replay with REDLINE_E2E_SEEDS=${seed} REDLINE_E2E_FILTER="seed ${seed}"`);
    const original = driver.readFileOnDisk(FILE);
    const pick = rng(seed);
    await openReview(driver, model);
    await checkInvariant(driver, 'review open');
    const done = [];
    for (let step = 1; step <= STEPS; step++) {
      let what = '';
      try {
        what = await randomStep({ driver, model, original }, pick);
        done.push(what);
        await checkInvariant(driver, `seed ${seed}, step ${step} (${what})`);
      } catch (err) {
        // The seed, the step and every step before it, in the message and in the stack that error.txt keeps.
        const head = `seed ${seed}, step ${step} (${what || 'while acting'}); replay with REDLINE_E2E_SEEDS=${seed} REDLINE_E2E_FILTER="seed ${seed}"; steps so far: ${done.join(' | ')}`;
        err.message = `${head}\n${err.message}`;
        err.stack = `${head}\n${err.stack}`;
        throw err;
      }
    }
    say(`  seed ${seed}: ${STEPS} steps: ${done.join(' | ')}`);
  },
}));

module.exports = [...fixed, ...random];
