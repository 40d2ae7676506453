// Inline-suggestion helpers shared by the E2E scenarios: the settings they run with, reading the ghost
// text, scripting /v1/completions replies, and starting a fresh line in a file.
'use strict';

const { poll } = require('./driver');
const { INLINE_EDITOR_SETTINGS, waitForActivation, newLineAtEnd } = require('./shared');

/** Settings for these scenarios: completions endpoint, short debounce, no suggest widget in the way. */
function settings(extra = {}) {
  return {
    'redline.completion.mode': 'completions',
    'redline.completion.debounceMs': 40,
    ...INLINE_EDITOR_SETTINGS,
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

module.exports = { settings, ghost, waitForGhost, waitForNoGhost, waitForActivation, completionRequests, answer, newLineAtEnd };
