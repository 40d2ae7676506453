// Steps more than one scenario file takes (scenarios/*.js export only their scenario lists).
'use strict';

const { poll } = require('./driver');

/** Editor settings for inline-suggestion scenarios: ghost text on, no suggest widget or hints in the way. */
const INLINE_EDITOR_SETTINGS = {
  'editor.inlineSuggest.enabled': true,
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'editor.suggestOnTriggerCharacters': false,
  'editor.wordBasedSuggestions': 'off',
  'editor.parameterHints.enabled': false,
};

/** The extension is active once its inline-suggestion status bar toggle is there: typing before that asks nobody. */
async function waitForActivation(driver, timeout = 30000) {
  await driver.waitForText(/Suggest/, { selector: '.part.statusbar', timeout });
}

/**
 * Opens `file` and starts a new line at its end. VS Code creates an editor's inline-suggestion
 * controller lazily (when the window is idle): keys typed right after a file opens in a busy window
 * reach no provider at all. Running "Trigger Inline Suggestion" once creates it, as a person's first
 * Alt+\ would.
 */
async function newLineAtEnd(driver, file, { activationTimeout } = {}) {
  await waitForActivation(driver, activationTimeout);
  await driver.openFile(file);
  await driver.runCommand('Trigger Inline Suggestion');
  // The file is open as it is on disk: its last line is the one Ctrl+End must reach. A key pressed while
  // the command palette is still closing can be lost (a CI run typed at line 3 so): wait for the cursor
  // to be there, and press again if it is not.
  const last = driver.readFileOnDisk(file).split('\n').length;
  for (let attempt = 1; ; attempt++) {
    await driver.focusEditor();
    await driver.press('Control+End');
    const there = await poll(async () => (await driver.cursorStatus())?.line === last, { timeout: 3000, what: `the cursor on line ${last}` }).then(() => true, () => false);
    if (there) break;
    if (attempt === 3) await driver.waitForCursor(last);
  }
  await driver.press('End');
  await driver.press('Enter');
  await driver.press('Enter');
  await driver.waitForCursor(last + 2);
}

/** The Explain panel's content frame (a webview is an iframe inside an iframe): the one with #thread. */
async function explainFrame(page, { timeout = 20000 } = {}) {
  return poll(async () => {
    for (const frame of page.frames()) {
      try {
        if (await frame.$('#thread')) return frame;
      } catch {
        // A frame that is navigating: look again.
      }
    }
    return undefined;
  }, { timeout, what: 'the Explain panel webview (#thread)' });
}

module.exports = { INLINE_EDITOR_SETTINGS, waitForActivation, newLineAtEnd, explainFrame };
