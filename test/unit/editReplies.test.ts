/**
 * Edit replies that are not what they seem, end to end in core: the scripted server streams them, the
 * real model client reads them, the streaming diff shows them live, and decideEdit gives the verdict
 * the editor shows. Each case is a reply shape that was once proposed as a rewrite (or named wrongly).
 */
import * as assert from 'node:assert/strict';
import type { Logger } from '../../src/core/log';
import { createModelClient } from '../../src/core/model/client';
import { decideEdit, largerLimit, type EditVerdict } from '../../src/core/edit/outcome';
import { StreamingDiff } from '../../src/core/edit/streamingDiff';
import { FakeModelServer, type Script } from '../fixtures/fakeModelServer';

const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

const selection = 'function total(items) {\n  let sum = 0;\n  for (const item of items) {\n    sum += item.price;\n  }\n  return sum;\n}\n';
const rewrite = selection.replace('item.price;', 'item.price * item.qty;');

interface Run {
  verdict: EditVerdict;
  /** StreamingDiff.thinking after each delta. */
  thinking: boolean[];
  /** Reasoning deltas handed to onReasoning. */
  reasoning: string[];
  /** Every line the live diff showed as new code, at any point. */
  shownLines: Set<string>;
}

describe('edit replies against the scripted server', () => {
  let server: FakeModelServer;
  beforeEach(async () => {
    server = new FakeModelServer();
    await server.start();
  });
  afterEach(() => server.stop());

  async function run(script: Script): Promise<Run> {
    server.enqueue(script);
    const client = createModelClient({ baseURL: server.baseURL, headers: {}, timeoutMs: 5000, maxRetries: 0 }, { logger: quiet });
    const reasoning: string[] = [];
    const stream = client.streamChat({ feature: 'edit', model: 'm', messages: [{ role: 'user', content: 'x' }], onReasoning: (d) => reasoning.push(d) });
    const diff = new StreamingDiff(selection, { languageId: 'typescript' });
    const thinking: boolean[] = [];
    const shownLines = new Set<string>();
    for await (const delta of stream) {
      diff.push(delta);
      thinking.push(diff.thinking);
      const snap = diff.snapshot();
      for (const line of [...snap.hunks.flatMap((h) => h.newLines), ...snap.pendingNewLines]) shownLines.add(line.trim());
    }
    const result = await stream.result;
    const verdict = decideEdit(
      { text: result.text, reasoning: result.reasoning, finishReason: result.finishReason, completionTokens: result.usage.completionTokens },
      { selection, languageId: 'typescript' },
    );
    return { verdict, thinking, reasoning, shownLines };
  }

  function refusal(verdict: EditVerdict): Extract<EditVerdict, { kind: 'refusal' }> {
    if (verdict.kind !== 'refusal') assert.fail(`expected a refusal, got ${JSON.stringify(verdict)}`);
    return verdict;
  }

  it('a reply cut off by the limit is never proposed: it says after how many tokens, and offers a larger limit', async () => {
    const { verdict } = await run({ reply: '```ts\nfunction total(items: Item[]): number {\n  let sum = 0;\n', finishReason: 'length', usage: { prompt_tokens: 50, completion_tokens: 17 } });
    const r = refusal(verdict);
    assert.equal(r.reason, 'cutOff');
    assert.match(r.message, /^The reply was cut off after 17 tokens/);
    assert.deepEqual(r.nextSteps, ['retryLarger', 'openOutput']);
  });

  it('a stream that closes without finish_reason or [DONE] is cut off too (retry, no larger limit)', async () => {
    const { verdict } = await run({ chunks: ['```ts\n', 'function total(items) {\n', '  let sum = 0;\n'], fault: 'endWithoutFinish', usage: { prompt_tokens: 5, completion_tokens: 9 } });
    const r = refusal(verdict);
    assert.equal(r.reason, 'incomplete');
    assert.match(r.message, /^The reply was cut off after \d+ tokens: the server closed the stream/);
    assert.deepEqual(r.nextSteps, ['retry', 'openOutput']);
  });

  it('reasoning_content is never shown as code, is reported as it comes, and the answer after it is proposed', async () => {
    const out = await run({ reasoning: ['The loop ', 'should use ', 'item.qty.'], reply: '```ts\n' + rewrite + '```\n' });
    assert.deepEqual(out.reasoning, ['The loop ', 'should use ', 'item.qty.']);
    assert.deepEqual(out.verdict, { kind: 'proposal', text: rewrite });
    assert.ok(![...out.shownLines].some((l) => l.includes('should use')));
  });

  it('reasoning_content and no answer is named as such, not "empty reply"', async () => {
    const r = refusal((await run({ reasoning: ['I think ', 'it is fine.'], chunks: [] })).verdict);
    assert.equal(r.reason, 'reasoningOnly');
    assert.equal(r.message, 'The model only reasoned and gave no answer.');
  });

  it('reasoning that runs out of the limit says the model was still thinking', async () => {
    const r = refusal((await run({ reasoning: ['First ', 'the loop, then'], chunks: [], finishReason: 'length', usage: { prompt_tokens: 5, completion_tokens: 2300 } })).verdict);
    assert.equal(r.reason, 'cutOffThinking');
    assert.equal(r.message, 'The reply was cut off after 2300 tokens, while the model was still thinking: it needs a larger reply limit.');
    assert.ok(r.nextSteps.includes('retryLarger'));
  });

  it('<think> in the content shows as thinking while it lasts and never as code', async () => {
    const reply = '<think>\nconst wrong = 1;\nThe loop should multiply.\n</think>\n```ts\n' + rewrite + '```\n';
    const out = await run({ reply });
    assert.equal(out.thinking[0], true);
    assert.equal(out.thinking[out.thinking.length - 1], false);
    assert.ok(!out.shownLines.has('const wrong = 1;'), [...out.shownLines].join('|'));
    assert.deepEqual(out.verdict, { kind: 'proposal', text: rewrite });
  });

  it('a unified diff is applied to the selection, and the live view never shows its +/- lines as code', async () => {
    const reply = '```diff\n--- a/total.ts\n+++ b/total.ts\n@@ -4 +4 @@\n-    sum += item.price;\n+    sum += item.price * item.qty;\n```\n';
    const out = await run({ reply });
    assert.deepEqual(out.verdict, { kind: 'proposal', text: rewrite });
    assert.ok(![...out.shownLines].some((l) => /^[-+@]/.test(l)), [...out.shownLines].join('|'));
  });

  it('a SEARCH/REPLACE block that does not apply is refused with the reply shown', async () => {
    const r = refusal((await run({ reply: '<<<<<<< SEARCH\n  total += price;\n=======\n  total += price * qty;\n>>>>>>> REPLACE\n' })).verdict);
    assert.equal(r.reason, 'patchFailed');
    assert.equal(r.showReply, true);
  });

  it('noise from a small model is refused with the reply shown', async () => {
    const r = refusal((await run({ reply: 'import numpy as np\nx = np.zeros((3, 3))\nprint(x.shape)\n' })).verdict);
    assert.equal(r.reason, 'noise');
    assert.equal(r.showReply, true);
  });
});

describe('largerLimit', () => {
  it('doubles the last limit, or what the reply used when there was none, never going down', () => {
    assert.equal(largerLimit(1000, 1000), 2000);
    assert.equal(largerLimit(undefined, 700), 1400);
    assert.equal(largerLimit(500, 900), 1800);
    assert.equal(largerLimit(undefined, undefined), 2048);
  });
});
