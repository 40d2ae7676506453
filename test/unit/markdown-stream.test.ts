import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { renderMarkdown, sanitize } from '../../src/core/markdown/render';
import { MarkdownStream, VisibleAnswer, type StreamLimits } from '../../src/core/markdown/stream';
import { answerSoFar } from '../../src/core/reply/reasoning';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'unit', 'fixtures', 'markdown');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

/** Small limits, so short test answers exercise pieces and cuts. */
const SMALL: StreamLimits = { pieceChars: 120, proseChars: 200, tailHighlightChars: 40 };

/** Streams `answer` cut at `cuts`, applying each update to a model of the webview's pieces. */
function stream(answer: string, cuts: number[], limits?: StreamLimits) {
  const renderer = new MarkdownStream('t0-', limits);
  const webview: string[] = [];
  const points = [...new Set(cuts.map((c) => c % (answer.length + 1)))].sort((a, b) => a - b);
  const updates = [];
  for (const p of points) {
    const update = renderer.update(answer.slice(0, p));
    updates.push({ at: p, ...update });
    webview.splice(update.from, webview.length - update.from, ...update.segments);
  }
  const last = renderer.update(answer, true);
  webview.splice(last.from, webview.length - last.from, ...last.segments);
  return { renderer, webview, updates };
}

const codeLine = fc.stringMatching(/^[a-z0-9 (){};=<>&"'.,+*-]{0,30}$/);
const block = fc.oneof(
  fc.stringMatching(/^[A-Za-z][a-z ,.`*]{0,40}$/).map((p) => `${p}\n`),
  fc.stringMatching(/^[a-z ]{1,20}$/).map((h) => `## ${h}\n`),
  fc.array(fc.stringMatching(/^[a-z ]{1,12}$/), { minLength: 1, maxLength: 3 }).map((items) => items.map((i, n) => `${n + 1}. ${i}\n`).join('')),
  fc
    .tuple(fc.constantFrom('ts', 'python', '', 'rust'), fc.array(codeLine, { maxLength: 20 }), fc.boolean())
    .map(([lang, lines, blankInside]) => `\`\`\`${lang}\n${lines.join('\n')}${lines.length ? '\n' : ''}${blankInside ? '\nafter a blank\n' : ''}\`\`\`\n`),
);
const answers = fc.array(block, { minLength: 1, maxLength: 8 }).map((blocks) => blocks.join('\n'));

describe('markdown/stream: incremental rendering', () => {
  it('finds the same code blocks as rendering the whole answer, however it is streamed (property)', () => {
    fc.assert(
      fc.property(answers, fc.array(fc.nat(), { maxLength: 12 }), (answer, cuts) => {
        const { renderer } = stream(answer, cuts, SMALL);
        assert.deepStrictEqual(renderer.codeBlocks(), renderMarkdown(answer, 't0-').codeBlocks);
      }),
    );
  });

  it('ends with the same HTML however it is streamed, and the webview ends with exactly that (property)', () => {
    fc.assert(
      fc.property(answers, fc.array(fc.nat(), { maxLength: 12 }), (answer, cuts) => {
        const once = stream(answer, [], SMALL).renderer.html();
        const { renderer, webview } = stream(answer, cuts, SMALL);
        assert.strictEqual(renderer.html(), once);
        assert.strictEqual(webview.join(''), once);
      }),
    );
  });

  it('the webview holds what the renderer holds after every frame (property)', () => {
    fc.assert(
      fc.property(answers, fc.array(fc.nat(), { maxLength: 12 }), (answer, cuts) => {
        const renderer = new MarkdownStream('t0-', SMALL);
        const webview: string[] = [];
        for (const p of [...cuts.map((c) => c % (answer.length + 1))].sort((a, b) => a - b)) {
          const update = renderer.update(answer.slice(0, p));
          webview.splice(update.from, webview.length - update.from, ...update.segments);
          assert.deepStrictEqual(webview, renderer.segments());
        }
      }),
    );
  });

  it('renders a recorded answer like renderMarkdown, pieces joined', () => {
    const answer = read('answer.md');
    const { renderer } = stream(answer, [50, 300, 301, 700, 1200]);
    assert.deepStrictEqual(renderer.codeBlocks(), renderMarkdown(answer, 't0-').codeBlocks);
    const html = renderer.html();
    assert.ok(html.includes('<h2>What it does</h2>'));
    assert.ok(html.includes('class="hljs language-ts"') && html.includes('hljs-keyword'));
    assert.ok(html.includes('<table>'));
  });

  it('keeps hostile Markdown inert: its HTML is already within the allow-list', () => {
    for (const name of fs.readdirSync(path.join(FIXTURES, 'hostile'))) {
      const answer = read(path.join('hostile', name));
      const html = stream(answer, [7, 40, 41, 90, 200], SMALL).renderer.html();
      assert.strictEqual(sanitize(html), html, name);
      assert.ok(!/<(script|img|svg|iframe|style)/i.test(html), name);
    }
  });

  it('works per frame in proportion to the new text, not to the answer', () => {
    // A long code block in 1 KB deltas: every frame sends at most one piece plus what is new.
    const code = Array.from({ length: 3000 }, (_, i) => `let v${i} = compute(${i}) < limit && ok;\n`).join('');
    const answer = `Here:\n\n\`\`\`ts\n${code}\`\`\`\n\nDone.\n`;
    const limits: StreamLimits = { pieceChars: 4000, proseChars: 4000, tailHighlightChars: 1000 };
    const { updates, renderer } = stream(answer, Array.from({ length: Math.ceil(answer.length / 1000) }, (_, i) => i * 1000), limits);
    for (const u of updates) {
      const sent = u.segments.join('').length;
      assert.ok(sent <= 2 * (limits.pieceChars + 1000) * 1.6 + 500, `frame at ${u.at} sent ${sent} characters`);
    }
    // The long block: one block for Copy and Apply, with all its code; shown in pieces, not coloured.
    assert.deepStrictEqual(renderer.codeBlocks().map((b) => [b.id, b.language, b.code.length]), [['t0-b0', 'ts', code.length]]);
    const html = renderer.html();
    assert.strictEqual(html.split('data-block-id="t0-b0"').length, 2);
    assert.ok(html.includes('code-block code-cont'));
    assert.ok(!html.includes('hljs-keyword'));
    assert.ok(html.includes('let v2999 = compute(2999) &lt; limit &amp;&amp; ok;'));
  });

  it('an answer that never closes its fence ends with the code as a block', () => {
    const renderer = new MarkdownStream('t1-', SMALL);
    renderer.update('Try:\n\n```py\nprint(1)\n');
    const final = renderer.update('Try:\n\n```py\nprint(1)\nprint(2)\n', true);
    assert.deepStrictEqual(renderer.codeBlocks(), [{ id: 't1-b0', language: 'py', code: 'print(1)\nprint(2)\n' }]);
    assert.ok(final.segments.join('').includes('data-block-id="t1-b0"'));
  });

  it('starts over when the answer is not a continuation (a retried turn)', () => {
    const renderer = new MarkdownStream('t0-', SMALL);
    renderer.update('First answer.\n\nMore.\n', true);
    const update = renderer.update('Second');
    assert.strictEqual(update.from, 0);
    assert.ok(renderer.html().includes('Second') && !renderer.html().includes('First'));
  });
});

describe('markdown/stream: VisibleAnswer', () => {
  it('is answerSoFar of the reply at every step, however it streams (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom('<think>', '</think>', '<thinking>', '</Thought>', '<', '</', '<th', 'ink>', 'a < b', '<br>'),
      fc.stringMatching(/^[a-z \n`<>/]{0,10}$/),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), fc.array(fc.nat(), { maxLength: 10 }), (pieces, cuts) => {
        const reply = pieces.join('');
        const visible = new VisibleAnswer();
        for (const p of [...cuts.map((c) => c % (reply.length + 1)), reply.length].sort((a, b) => a - b)) {
          assert.strictEqual(visible.update(reply.slice(0, p)), answerSoFar(reply.slice(0, p)).answer);
        }
      }),
    );
  });
});
