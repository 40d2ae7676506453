// Secrets stay home: what is sent holds placeholders, the reply's placeholders become the real text
// again before the review, and the file on disk keeps the real secret after Accept and Save.
'use strict';

const assert = require('assert');
const fs = require('fs');
const { poll } = require('../driver');
const { settings, answer, completionRequests, newLineAtEnd, waitForGhost, waitForNoGhost } = require('../inline');

// Assembled at run time so that this file does not trip secret scanners.
const TOKEN = ['ghp_', 'R2d2C3poLuke7Leia9Han5Solo0Chewie1aBcD'].join('');
const SOURCE = [
  "import { Octokit } from 'octokit';",
  '',
  `export const githubToken = "${TOKEN}";`,
  '',
  'export const client = new Octokit({ auth: githubToken });',
  '',
].join('\n');

function chatRequests(model) {
  return model.requests.filter((r) => r.endpoint === 'chat').map((r) => r.body.messages);
}

module.exports = [
  {
    name: 'Secrets: an action on a line holding a token is accepted and the file on disk keeps the real token',
    async run({ driver, model, file }) {
      fs.writeFileSync(file('src/github.ts'), SOURCE);
      await driver.openFile('src/github.ts');
      await driver.selectLines(3, 3);
      // No script: the scripted server echoes the code it was sent (with the placeholder) plus a comment.
      await driver.runCommand('Redline: Document');
      await driver.waitForCodeLens('Accept All', { timeout: 60000 });

      const [messages] = chatRequests(model);
      assert.ok(messages, 'one chat request');
      const sent = messages.map((m) => m.content).join('\n');
      assert.ok(!sent.includes(TOKEN), 'the token was sent to the model');
      assert.ok(sent.includes('export const githubToken = "<redacted:github-token>";'), sent);

      // The review shows the real token, never the placeholder.
      await driver.waitForEditorText('Redline demo: scripted reply');
      const shown = await driver.editorText();
      assert.ok(!shown.includes('<redacted:'), shown);
      assert.ok(shown.includes(TOKEN), shown);

      await driver.clickCodeLens('Accept All');
      await driver.waitForNoCodeLens('Accept', { timeout: 30000 });
      await driver.press('Control+S');
      await poll(async () => fs.readFileSync(file('src/github.ts'), 'utf8').includes('Redline demo: scripted reply'), {
        timeout: 30000,
        what: 'the accepted change on disk',
      });
      const saved = fs.readFileSync(file('src/github.ts'), 'utf8');
      assert.ok(!saved.includes('<redacted:'), saved);
      assert.ok(saved.includes(`export const githubToken = "${TOKEN}";`), saved);
      assert.strictEqual(saved.replace(/^.*Redline demo: scripted reply.*\n/m, ''), SOURCE);
    },
  },
  {
    name: 'Secrets: ghost text that echoes a placeholder shows and inserts the real token of the file, never the placeholder',
    settings: settings(),
    async run({ driver, model, page, file }) {
      fs.writeFileSync(file('src/github.ts'), SOURCE);
      answer(model, { 'const copy = ': '"<redacted:github-token>";' });
      await newLineAtEnd(driver, 'src/github.ts');
      await driver.type('const copy = ');
      await waitForGhost(page, `"${TOKEN}";`);
      const sent = completionRequests(model).at(-1).body.prompt;
      assert.ok(!sent.includes(TOKEN) && sent.includes('"<redacted:github-token>"'), sent);
      await driver.press('Tab');
      await waitForNoGhost(page, 'the ghost text to be gone after Tab');
      await driver.press('Control+S');
      await poll(async () => fs.readFileSync(file('src/github.ts'), 'utf8').includes('const copy = '), { timeout: 30000, what: 'the accepted suggestion on disk' });
      const saved = fs.readFileSync(file('src/github.ts'), 'utf8');
      assert.ok(!saved.includes('<redacted:'), saved);
      assert.ok(saved.includes(`const copy = "${TOKEN}";`), saved);
    },
  },
];
