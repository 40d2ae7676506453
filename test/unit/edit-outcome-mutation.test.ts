/**
 * The verdict on a finished edit reply, as a table over plain replies: what the mutation run of
 * src/core/edit/outcome.ts showed the scripted-server tests (editReplies.test.ts) leave open.
 */
import * as assert from 'node:assert/strict';
import { EXTRACT_MESSAGES } from '../../src/core/edit/extract';
import { decideEdit, type EditNextStep, type EditRefusalReason, type FinishedReply } from '../../src/core/edit/outcome';

const selection = 'function total(items) {\n  let sum = 0;\n  for (const item of items) {\n    sum += item.price;\n  }\n  return sum;\n}\n';
const ctx = { selection, languageId: 'typescript' };

interface Row {
  name: string;
  reply: FinishedReply;
  reason: EditRefusalReason;
  message?: string;
  nextSteps?: EditNextStep[];
  /** Left out where the reply is empty: the editor never shows an empty reply, whatever the flag says. */
  showReply?: boolean;
}

const larger: EditNextStep[] = ['retryLarger', 'openOutput'];
const retry: EditNextStep[] = ['retry', 'openOutput'];
const code = '```ts\nfunction total(items) {\n  let sum = 0;\n';

const rows: Row[] = [
  // Cut off by the reply limit.
  { name: 'code, 17 tokens', reply: { text: code, finishReason: 'length', completionTokens: 17 }, reason: 'cutOff', message: 'The reply was cut off after 17 tokens, so it is not proposed as a rewrite.', nextSteps: larger, showReply: true },
  { name: 'code, 1 token', reply: { text: 'x', finishReason: 'max_tokens', completionTokens: 1 }, reason: 'cutOff', message: 'The reply was cut off after 1 token, so it is not proposed as a rewrite.', nextSteps: larger, showReply: true },
  { name: 'code, no token count', reply: { text: code, finishReason: 'length' }, reason: 'cutOff', message: 'The reply was cut off, so it is not proposed as a rewrite.', nextSteps: larger, showReply: true },
  { name: 'an open <think>', reply: { text: '<think>first the loop', finishReason: 'length', completionTokens: 5 }, reason: 'cutOffThinking', message: 'The reply was cut off after 5 tokens, while the model was still thinking: it needs a larger reply limit.', nextSteps: larger, showReply: false },
  { name: 'an open <think> with nothing after it yet', reply: { text: '<think>\n', finishReason: 'length' }, reason: 'cutOffThinking', nextSteps: larger, showReply: false },
  { name: 'closed reasoning, then only a line break', reply: { text: '<think>the loop</think>\n', finishReason: 'length' }, reason: 'cutOffThinking', showReply: false },
  { name: 'closed reasoning, then code', reply: { text: '<think>the loop</think>\n' + code, finishReason: 'length' }, reason: 'cutOff', showReply: true },
  { name: 'reasoning sent apart, no content', reply: { text: '', reasoning: 'first the loop', finishReason: 'length' }, reason: 'cutOffThinking', showReply: false },
  { name: 'reasoning sent apart that is only blanks', reply: { text: '', reasoning: ' \n ', finishReason: 'length' }, reason: 'cutOff' },
  { name: 'nothing at all', reply: { text: '', finishReason: 'length' }, reason: 'cutOff', message: 'The reply was cut off, so it is not proposed as a rewrite.' },
  // The stream closed without a finish reason.
  { name: 'closed: code', reply: { text: code, finishReason: null, completionTokens: 9 }, reason: 'incomplete', message: 'The reply was cut off after 9 tokens: the server closed the stream before the model finished.', nextSteps: retry, showReply: true },
  { name: 'closed: still thinking', reply: { text: '<think>first', finishReason: null }, reason: 'incomplete', message: 'The reply was cut off: the server closed the stream before the model finished.', nextSteps: retry, showReply: false },
  { name: 'closed: reasoning apart, no content', reply: { text: '', reasoning: 'first', finishReason: '' }, reason: 'incomplete', nextSteps: retry, showReply: false },
  // Finished, but not a rewrite.
  { name: 'the selection itself', reply: { text: '```ts\n' + selection + '```\n', finishReason: 'stop' }, reason: 'unchanged', nextSteps: [], showReply: false },
  { name: 'empty', reply: { text: '', finishReason: 'stop' }, reason: 'empty', nextSteps: retry, showReply: false },
  { name: 'only <think>', reply: { text: '<think>x</think>', finishReason: 'stop' }, reason: 'reasoningOnly', nextSteps: retry, showReply: false },
  { name: 'only reasoning sent apart', reply: { text: '', reasoning: 'x', finishReason: 'stop' }, reason: 'reasoningOnly', nextSteps: retry, showReply: false },
  { name: 'prose', reply: { text: 'I think this code is fine as it is and needs no changes at all.', finishReason: 'stop' }, reason: 'noCode', nextSteps: retry, showReply: true },
  {
    name: 'a SEARCH/REPLACE that does not apply',
    reply: { text: '<<<<<<< SEARCH\n  total += price;\n=======\n  total += price * qty;\n>>>>>>> REPLACE\n', finishReason: 'stop' },
    reason: 'patchFailed',
    nextSteps: retry,
    showReply: true,
  },
  { name: 'noise', reply: { text: 'import numpy as np\nx = np.zeros((3, 3))\nprint(x.shape)\n', finishReason: 'stop' }, reason: 'noise', nextSteps: retry, showReply: true },
];

describe('edit outcome: the verdict on every kind of reply', () => {
  for (const row of rows) {
    it(`${row.name}: ${row.reason}`, () => {
      const verdict = decideEdit(row.reply, ctx);
      if (verdict.kind !== 'refusal') assert.fail(`expected a refusal, got ${JSON.stringify(verdict)}`);
      assert.equal(verdict.reason, row.reason);
      const fromExtract = (EXTRACT_MESSAGES as Record<string, string>)[row.reason];
      if (row.message !== undefined) assert.equal(verdict.message, row.message);
      else if (fromExtract !== undefined) assert.equal(verdict.message, fromExtract);
      if (row.nextSteps) assert.deepEqual(verdict.nextSteps, row.nextSteps);
      if (row.showReply !== undefined) assert.equal(verdict.showReply, row.showReply);
    });
  }

  it('a finished rewrite is proposed, with reasoning sent apart left out', () => {
    const rewrite = selection.replace('item.price;', 'item.price * item.qty;');
    assert.deepEqual(decideEdit({ text: '```ts\n' + rewrite + '```\n', reasoning: 'multiply', finishReason: 'stop' }, ctx), { kind: 'proposal', text: rewrite });
  });
});
