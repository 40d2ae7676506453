/**
 * Secrets through the whole path, against the scripted server: the prompt holds placeholders, the
 * server echoes them back (its default reply echoes the code it was sent), and the review built from
 * the reply — streamed and final — holds the real text, never a placeholder.
 */
import * as assert from 'assert';
import { builtinAction } from '../../src/core/actions/builtin';
import { buildActionMessages, buildExplainMessages, explainVault, fillActionPrompt } from '../../src/core/actions/prompts';
import { fitReplacement } from '../../src/core/actions/target';
import type { ActionContext } from '../../src/core/actions/types';
import { SecretVault } from '../../src/core/context/redact';
import { extractRewrite } from '../../src/core/edit/extract';
import { lineContent } from '../../src/core/edit/lines';
import { createReview, renderText, settleAll } from '../../src/core/edit/review';
import { StreamingDiff } from '../../src/core/edit/streamingDiff';
import { renderMarkdown } from '../../src/core/markdown/render';
import { createModelClient } from '../../src/core/model/client';
import type { ChatMessage, ModelClient } from '../../src/core/model/types';
import { buildEditPrompt } from '../../src/core/prompt/editPrompt';
import { FakeModelServer } from '../fixtures/fakeModelServer';

const j = (...parts: string[]) => parts.join('');
const TOKEN = j('ghp_', 'R2d2C3poLuke7Leia9Han5Solo0Chewie1aBcD');
const OTHER = j('ghp_', 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2');
const PASSWORD = 'Summer2024!';

const SELECTION = `export const client = new Octokit({\n  auth: "${TOKEN}",\n  password: "${PASSWORD}",\n});\n`;
const BEFORE = `import { Octokit } from 'octokit';\nconst fallback = "${OTHER}";\n`;
const AFTER = 'export default client;\n';

const silent = { trace() {}, info() {}, warn() {}, error() {}, debug() {} };

describe('secrets through the review (scripted server echoes the placeholders)', function () {
  this.timeout(10_000);
  let server: FakeModelServer;
  let client: ModelClient;

  before(async () => {
    server = new FakeModelServer();
    const baseURL = await server.start();
    client = createModelClient({ baseURL, headers: {}, timeoutMs: 5000, maxRetries: 0 }, { logger: silent });
  });
  after(async () => {
    await server.stop();
  });

  /** Streams a chat reply, restoring as it goes; returns the live proposal lines seen and the reply. */
  async function stream(messages: ChatMessage[], vault: SecretVault, original: string) {
    const live = new StreamingDiff(original, { languageId: 'typescript' });
    const restoring = vault.restoreStream();
    const shown: string[] = [];
    const s = client.streamChat({ feature: 'test', model: 'm', messages, signal: new AbortController().signal });
    for await (const delta of s) {
      live.push(restoring.push(delta));
      const snap = live.snapshot();
      shown.push(...snap.hunks.flatMap((h) => h.newLines.map(lineContent)), ...snap.pendingNewLines);
    }
    live.push(restoring.flush());
    const result = await s.result;
    return { raw: result.text, shown };
  }

  function accepted(original: string, proposal: string): string {
    return renderText(settleAll(createReview({ startLine: 0, originalText: original, proposalText: proposal, eol: '\n', finalEol: true }), 'accepted'));
  }

  it('Edit Selection: the prompt holds no secret, and Accept All writes the real ones back', async () => {
    const vault = new SecretVault();
    const prompt = buildEditPrompt({
      instruction: 'Add a comment',
      languageId: 'typescript',
      filePath: 'src/client.ts',
      before: BEFORE,
      selection: SELECTION,
      after: AFTER,
      diagnostics: [],
      contextWindowTokens: 8192,
      secrets: vault,
    });
    assert.ok(prompt.ok);
    const sent = prompt.messages.map((m) => m.content).join('\n');
    for (const secret of [TOKEN, OTHER, PASSWORD]) assert.ok(!sent.includes(secret), `sent: ${secret}`);
    assert.ok(sent.includes('auth: "<redacted:github-token>"'), sent);

    const { raw, shown } = await stream(prompt.messages, vault, SELECTION);
    assert.ok(raw.includes('<redacted:github-token>'), 'the server echoed the placeholder');
    assert.ok(!shown.some((l) => l.includes('<redacted:')), 'a placeholder was shown while streaming');
    const extracted = extractRewrite(vault.restore(raw), { selection: SELECTION, languageId: 'typescript', before: BEFORE, after: AFTER });
    assert.ok(extracted.ok);
    const result = accepted(SELECTION, extracted.text);
    assert.ok(result.endsWith(SELECTION), result);
    assert.ok(!result.includes('<redacted:'));
  });

  it('an action (Document): the reply is restored before the diff, so only the new line is a change', async () => {
    const vault = new SecretVault();
    const context: ActionContext = { selection: SELECTION, languageId: 'typescript', filePath: 'src/client.ts', startLine: 3, diagnostics: [] };
    const messages = buildActionMessages(builtinAction('document'), context, { secrets: vault });
    assert.ok(!messages.some((m) => m.content.includes(TOKEN) || m.content.includes(PASSWORD)));
    const { raw, shown } = await stream(messages, vault, SELECTION);
    assert.ok(!shown.some((l) => l.includes('<redacted:')));
    const extracted = extractRewrite(vault.restore(raw), { selection: SELECTION, languageId: 'typescript' });
    assert.ok(extracted.ok);
    const review = createReview({ startLine: 0, originalText: SELECTION, proposalText: extracted.text, eol: '\n', finalEol: true });
    // One hunk: the comment line. The token lines are unchanged, not rewritten to placeholders.
    const hunks = review.segments.filter((s) => s.kind === 'hunk');
    assert.strictEqual(hunks.length, 1);
    assert.strictEqual(renderText(settleAll(review, 'accepted')).split('\n').slice(1).join('\n'), SELECTION);
  });

  it("Explain's Apply: the answer's code block gets the real text back, also after a reload", async () => {
    const vault = new SecretVault();
    const context: ActionContext = { selection: SELECTION, languageId: 'typescript', filePath: 'src/client.ts', startLine: 3, diagnostics: [] };
    const firstPrompt = fillActionPrompt(builtinAction('explain'), context, vault);
    assert.ok(!firstPrompt.includes(TOKEN));
    const answer = await client.streamChat({ feature: 'test', model: 'm', messages: [{ role: 'user', content: firstPrompt }], signal: new AbortController().signal }).result;
    const block = renderMarkdown(answer.text, 't0-').codeBlocks[0];
    assert.ok(block.code.includes('<redacted:github-token>'));
    for (const v of [vault, explainVault(SELECTION, [])]) {
      const replacement = fitReplacement(SELECTION, v.restore(block.code));
      const result = accepted(SELECTION, replacement);
      assert.ok(result.endsWith(SELECTION) && !result.includes('<redacted:'), result);
    }
  });

  it('an Explain follow-up names a secret with the placeholder the thread already uses', () => {
    const vault = new SecretVault();
    const context: ActionContext = { selection: SELECTION, languageId: 'typescript', filePath: 'src/client.ts', startLine: 3, diagnostics: [] };
    const firstPrompt = fillActionPrompt(builtinAction('explain'), context, vault);
    const messages = buildExplainMessages(firstPrompt, [{ question: 'Explain', answer: 'It builds a client.' }], `Is ${TOKEN} still valid? And ${OTHER}?`, 24_000, vault);
    const question = messages[messages.length - 1].content;
    assert.strictEqual(question, 'Is <redacted:github-token> still valid? And <redacted:github-token-2>?');
    assert.strictEqual(vault.restore(question), `Is ${TOKEN} still valid? And ${OTHER}?`);
  });
});
