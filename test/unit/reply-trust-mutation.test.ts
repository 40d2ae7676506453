import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { answerProblem, answerSoFar, keepCompleteLines, lineLooksComplete, splitReasoning } from '../../src/core/reply';

/**
 * When a reply may be trusted (src/core/reply/cutoff.ts, reasoning.ts): a reply cut off is never taken
 * for a finished one, reasoning is never taken for the answer. Each rule on both sides of its edge;
 * found by mutation testing.
 */

describe('reply trust (mutation): cut-off replies', () => {
  for (const [line, complete] of [
    ['f("ab")', true],
    ["f('ab')", true],
    ['f(`ab`)', true],
    ['x = "a"', true],
    ["x='a'", true],
    ['a[0]', true],
    ['f({ a: 1 })', true],
    ['x = [1, 2', false],
    ['x = { a: 1', false],
    ['  }', true],
    ['})', true],
    // A line that closes an earlier line's bracket and then opens its own is still unfinished.
    ['}).catch((e', false],
    ['} f(g(x', false],
    [']) + (a', false],
  ] as const) {
    it(`lineLooksComplete(${JSON.stringify(line)}) is ${complete}`, () => assert.equal(lineLooksComplete(line), complete));
  }

  it('keepCompleteLines judges only the last line', () => {
    assert.equal(keepCompleteLines('a(\nb();'), 'a(\nb();');
    assert.equal(keepCompleteLines('a();\nb(\n'), 'a();\nb(\n');
    assert.equal(keepCompleteLines('a();\n  '), 'a();\n  ');
  });

  it('a completion cut anywhere keeps a prefix of itself whose last line reads as complete (property)', () => {
    const piece = fc.constantFrom('f(', ')', '[', ']', '{', '}', 'a', ' = ', ', ', '.', '"s"', "'", ';', '\n', '  ', 'x');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        const kept = keepCompleteLines(text);
        const nl = text.lastIndexOf('\n');
        const last = text.slice(nl + 1);
        if (last.trim() === '' || lineLooksComplete(last)) assert.equal(kept, text);
        else assert.equal(kept, nl < 0 ? '' : text.slice(0, nl));
      }),
    );
  });

  it('an answer that did not finish is always reported, whatever its text (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.constantFrom('<think>x', '<think>x</think>A', '</think>A', 'Half an')),
        fc.constantFrom('length', 'max_tokens', null, ''),
        fc.option(fc.nat(9999), { nil: undefined }),
        (text, finishReason, completionTokens) => {
          const problem = answerProblem({ text, finishReason, completionTokens });
          assert.ok(problem !== undefined && /cut off|only reasoned/.test(problem));
        },
      ),
    );
  });

  it('answerProblem: an answer after reasoning is an answer; blank after reasoning is none', () => {
    assert.equal(answerProblem({ text: '<think>x</think>The answer.', finishReason: 'stop' }), undefined);
    assert.equal(answerProblem({ text: 'The answer.', reasoning: 'hm', finishReason: 'stop' }), undefined);
    assert.equal(answerProblem({ text: '<think>x</think>\n', finishReason: 'stop' }), 'The model only reasoned and gave no answer.');
    assert.equal(answerProblem({ text: '<think>x', finishReason: 'length' }), 'The reply was cut off, while the model was still thinking.');
    assert.equal(answerProblem({ text: '\n', reasoning: 'hm', finishReason: 'stop' }), 'The model only reasoned and gave no answer.');
  });
});

describe('reply trust (mutation): reasoning', () => {
  const rows: [string, string, { answer: string; reasoning: string; open: boolean }][] = [
    ['a closing tag at the very start', '</think>code', { answer: 'code', reasoning: '', open: false }],
    ['an orphan close before a later opening tag', '</think>a<think>b', { answer: 'a<think>b', reasoning: '', open: false }],
    ['an unclosed opening tag in capitals', '<THINK>still', { answer: '', reasoning: 'still', open: true }],
    ['an empty block beside a full one', '<think></think><think>x</think>a', { answer: 'a', reasoning: 'x', open: false }],
    ['a whitespace block beside a full one', '<think> </think>a<thought>y</thought>', { answer: 'a', reasoning: 'y', open: false }],
  ];
  for (const [name, text, expected] of rows) it(`splitReasoning: ${name}`, () => assert.deepEqual(splitReasoning(text), expected));

  it('no reasoning text ever reaches the answer of a reply that ends in a block (property)', () => {
    const tag = fc.constantFrom('think', 'thinking', 'reasoning', 'thought', 'THINK', 'Thinking');
    fc.assert(
      fc.property(tag, fc.stringMatching(/^[a-z ]{0,20}$/), fc.stringMatching(/^[a-z ]{0,20}$/), fc.boolean(), (t, answer, secret, closed) => {
        const text = closed ? `<${t}>SECRETREASON ${secret}</${t}>${answer}` : `  <${t}>SECRETREASON ${secret}`;
        const split = splitReasoning(text);
        assert.ok(!split.answer.includes('SECRETREASON'));
        assert.equal(split.open, !closed);
        assert.equal(answerSoFar(text).thinking, !closed);
        assert.equal(split.answer, closed ? answer : '');
      }),
    );
  });
});
