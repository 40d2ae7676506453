// Inline-suggestion helpers shared by the E2E scenarios: the settings they run with, reading the ghost
// text, scripting /v1/completions replies, and starting a fresh line in a file.
'use strict';

const { poll } = require('./driver');

/** Settings for these scenarios: completions endpoint, short debounce, no suggest widget in the way. */
function settings(extra = {}) {
  return {
    'redline.completion.mode': 'completions',
    'redline.completion.debounceMs': 40,
    'editor.inlineSuggest.enabled': true,
    'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
    'editor.suggestOnTriggerCharacters': false,
    'editor.wordBasedSuggestions': 'off',
    'editor.parameterHints.enabled': false,
    ...extra,
  };
}

/**
 * The ghost text in the active editor as one string. (VS Code paints one suggestion in several
 * decorations, one per syntax token: they are joined without separators here.)
 */
async function ghost(page) {
  return page.evaluate(() => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    if (!editor) return '';
    return [...editor.querySelectorAll('.ghost-text-decoration, .ghost-text-decoration-preview, .ghost-text')]
      .map((el) => el.textContent.replace(/\u00a0/g, ' '))
      .join('');
  });
}

async function waitForGhost(page, want, timeout = 20000) {
  await poll(async () => (await ghost(page)) === want, { timeout, what: `ghost text ${JSON.stringify(want)}`, last: () => ghost(page).then(JSON.stringify) });
}

async function waitForNoGhost(page, what) {
  await poll(async () => (await ghost(page)) === '', { timeout: 5000, what, last: () => ghost(page).then(JSON.stringify) });
}

/** The extension is active once its status bar toggle is there: typing before that asks nobody. */
async function waitForActivation(driver) {
  await driver.waitForText(/Suggest/, { selector: '.part.statusbar', timeout: 30000 });
}

/** Completion requests the scripted server has received so far. */
function completionRequests(model) {
  return model.requests.filter((r) => r.endpoint === 'completions');
}

/**
 * Scripted model: answers a completion request whose prompt (the code before the cursor) ends with one
 * of `replies`' keys with its value, anything else with nothing.
 */
function answer(model, replies) {
  model.setResponder((req) => {
    if (req.endpoint !== 'completions') return undefined;
    const prompt = String(req.body && req.body.prompt);
    // longest ending first: "const limit = " before "limit = "
    const ends = Object.keys(replies).sort((a, b) => b.length - a.length);
    for (const end of ends) if (prompt.endsWith(end)) return { reply: replies[end] };
    return { reply: '' };
  });
}

/**
 * Opens `file` and starts a new line at its end. VS Code creates an editor's inline-suggestion
 * controller lazily (when the window is idle): keys typed right after a file opens in a busy window
 * reach no provider at all. Running "Trigger Inline Suggestion" once creates it, as a person's first
 * Alt+\ would.
 */
async function newLineAtEnd(driver, file) {
  await waitForActivation(driver);
  await driver.openFile(file);
  await driver.runCommand('Trigger Inline Suggestion');
  await driver.focusEditor();
  await driver.press('Control+End');
  await driver.press('End');
  await driver.press('Enter');
  await driver.press('Enter');
}

module.exports = { settings, ghost, waitForGhost, waitForNoGhost, waitForActivation, completionRequests, answer, newLineAtEnd };
