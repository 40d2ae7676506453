import * as assert from 'node:assert/strict';
import { FenceTracker, findFencedBlocks, isFenceClose, isFenceCloseWithText, parseFenceOpen } from '../../src/core/reply';

/**
 * Code fences in replies (src/core/reply/fences.ts): which line opens, closes or nests a block, each
 * rule on both sides of its edge. Found by mutation testing.
 */

const F = '```';
const bodies = (text: string) => findFencedBlocks(text).map((b) => [b.info, b.lines.join('\n'), b.closed]);

describe('reply/fences (mutation): one line', () => {
  it('a tilde fence may carry a backtick in its info string', () => {
    assert.deepEqual(parseFenceOpen('~~~ a`b'), { indent: '', char: '~', length: 3, info: 'a`b' });
  });

  it('a closing fence is the same character, at least as long, alone on its line', () => {
    const open = parseFenceOpen(F)!;
    assert.equal(isFenceClose('~~~', open), false);
    assert.equal(isFenceClose('x ' + F, open), false);
    assert.equal(isFenceClose(F, parseFenceOpen('````')!), false);
    assert.equal(isFenceClose('  ````  ', open), true);
  });

  it('a closing fence with a sentence: sentences with or without a full stop, never an info string', () => {
    const open = parseFenceOpen(F)!;
    assert.equal(isFenceCloseWithText(F + ' That is all', open), true);
    assert.equal(isFenceCloseWithText(F + 'js {.x}', open), false);
    assert.equal(isFenceCloseWithText(F + ' ts ', open), false);
    assert.equal(isFenceCloseWithText(F + 'ts  title="a.ts"', open), false);
    assert.equal(isFenceCloseWithText(F + ' 1.5.', open), false);
    assert.equal(isFenceCloseWithText('x ' + F + ' Done.', open), false);
  });
});

describe('reply/fences (mutation): nesting', () => {
  it('a longer outer fence closes even with a nested block open', () => {
    const t = new FenceTracker(parseFenceOpen('````md')!);
    assert.equal(t.line(F + 'js'), 'content');
    assert.equal(t.depth, 1);
    assert.equal(t.line('````'), 'close');
  });

  it('a nested block is closed only by a fence at least as long as its opener', () => {
    const t = new FenceTracker(parseFenceOpen('`````md')!);
    assert.equal(t.line('````js'), 'content');
    assert.equal(t.line(F), 'content');
    assert.equal(t.depth, 1);
    assert.equal(t.line('````'), 'content');
    assert.equal(t.depth, 0);
  });

  it('inside a nested block, a fence with a sentence opens or is content, never closes the outer block', () => {
    const t = new FenceTracker(parseFenceOpen(F + 'md')!);
    t.line(F + 'js');
    assert.equal(t.line(F + ' Done.'), 'content');
  });

  it('only an opener of the same character, with a language, no longer than the outer one, nests', () => {
    const t = new FenceTracker(parseFenceOpen(F + 'md')!);
    assert.equal(t.line('~~~js'), 'content');
    assert.equal(t.line('````js'), 'content');
    assert.equal(t.depth, 0);
    assert.equal(t.line(F), 'close');
  });
});

describe('reply/fences (mutation): blocks', () => {
  const rows: [string, string, (string | boolean)[][]][] = [
    ['one-line fences only as a whole line', 'call ' + F + 'f()' + F + '\nx' + F + 'y' + F + '\n' + F + 'y' + F + ' and more\n' + F + 'y' + F + 'x', []],
    ['a one-line fence is trimmed', F + ' x ' + F, [['', 'x', true]]],
    ['a run of six backticks opens a block', '``````\nx\n``````', [['', 'x', true]]],
    ['two fences with a blank between are no block', F + ' ' + F + '\nx', []],
    ['a body line indented less than the fence keeps its text', '  ' + F + '\n a\n  b\n  ' + F, [['', ' a\nb', true]]],
    ['an unclosed block loses trailing lines of blanks', F + '\na\n  \n\t', [['', 'a', false]]],
  ];
  for (const [name, text, expected] of rows) it(name, () => assert.deepEqual(bodies(text), expected));
});
