import * as assert from 'node:assert/strict';
import { extractRewrite } from '../../src/core/edit/extract';
import { applyPatch, parsePatchReply, type PatchReply } from '../../src/core/reply';

/**
 * Diff-format replies (src/core/reply/patch.ts) read exactly: raw replies beside the edits they hold,
 * each marker rule on both sides, and the applying of edits that must not be stretched. Found by
 * mutation testing.
 */

const ctx = (text: string) => ({ kind: ' ' as const, text });
const del = (text: string) => ({ kind: '-' as const, text });
const add = (text: string) => ({ kind: '+' as const, text });
const sr = (...edits: [string[], string[]][]): PatchReply => ({
  format: 'searchReplace',
  edits: edits.map(([o, n]) => ({ old: o.map(del), new: n.map(add) })),
});
const ud = (...edits: PatchReply['edits']): PatchReply => ({ format: 'unifiedDiff', edits });

describe('reply/patch (mutation): SEARCH/REPLACE markers', () => {
  const rows: [string, string, PatchReply | undefined][] = [
    ['markers without a space before the word', '<<<<<<<SEARCH\na\n=======\nb\n>>>>>>>REPLACE\nafter', sr([['a'], ['b']])],
    ['indented markers', '  <<<<<<< SEARCH\na\n  =======  \nb\n\t>>>>>>> REPLACE', sr([['a'], ['b']])],
    [
      'comment banners inside the blocks are content',
      '<<<<<<< SEARCH\n# ======\n======= x\nx======\n=====x\n=======\n// >>>>>>> REPLACE\nb\n>>>>>>> REPLACE',
      sr([['# ======', '======= x', 'x======', '=====x'], ['// >>>>>>> REPLACE', 'b']]),
    ],
    ['a marker after text is no marker', 'x <<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE', undefined],
    ['a marker glued to text is no marker', 'x<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE', undefined],
    ['Windows and old Mac line ends', '<<<<<<< SEARCH\r\na\r\n=======\rb\r>>>>>>> REPLACE', sr([['a'], ['b']])],
  ];
  for (const [name, reply, expected] of rows) it(name, () => assert.deepEqual(parsePatchReply(reply), expected));
});

describe('reply/patch (mutation): unified diffs', () => {
  const rows: [string, string, PatchReply | undefined][] = [
    ['hunk markers inside a line of code are no header', 'const s = "@@ x @@";\nreturn s;', undefined],
    ['hunk markers inside a YAML value, a list after it', 'banner: "@@ release @@"\n- a\n- b', undefined],
    ['file headers inside lines are no headers', 'x --- a\n+++ b\n-c\n+d', undefined],
    ['a new-file header inside a line is none', '--- a\nx +++ b\n-c\n+d', undefined],
    ['file headers and no hunk lines', '--- a/x\n+++ b/x\n', undefined],
    ['a removed line that reads "-- x" (no +++ after it)', '@@ @@\n--- x\n+z', ud({ old: [del('-- x')], new: [add('z')] })],
    [
      'fences inside added lines are content, an indented closing fence ends the diff',
      '@@ @@\n+const s = "```";\n+```\n-```\n `x`\n ~/p\n  ```\n-ignored',
      ud({ old: [del('```'), ctx('`x`'), ctx('~/p')], new: [add('const s = "```";'), add('```'), ctx('`x`'), ctx('~/p')] }),
    ],
    ['prose after the diff ends it', '@@ @@\n-a\n+b\nThat is all.\n-c', ud({ old: [del('a')], new: [add('b')] })],
    ['"\\ No newline" is skipped, not an end', '@@ @@\n-a\n\\ No newline at end of file\n+b', ud({ old: [del('a')], new: [add('b')] })],
    ['only added lines', '@@ @@\n+x', ud({ old: [], new: [add('x')] })],
    ['a removed blank line and an added one are kept', '@@ @@\n-\n+', ud({ old: [del('')], new: [add('')] })],
    ['a blank context line before a removal is kept', '@@ @@\n\n-b', ud({ old: [ctx(''), del('b')], new: [ctx('')] })],
    ['a removed blank line after context is kept', '@@ @@\n a\n-', ud({ old: [ctx('a'), del('')], new: [ctx('a')] })],
    ['a removal with nothing added', '@@ @@\n-a\n-', ud({ old: [del('a'), del('')], new: [] })],
    [
      'trailing blank context goes, an added blank line before it stays',
      '@@ @@\n a\n-b\n+\n\n',
      ud({ old: [ctx('a'), del('b')], new: [ctx('a'), add('')] }),
    ],
    ['Windows line ends', '@@ @@\r\n-a\r\n+b\r\n', ud({ old: [del('a')], new: [add('b')] })],
  ];
  for (const [name, reply, expected] of rows) it(name, () => assert.deepEqual(parsePatchReply(reply), expected));

  it('a diff is text, not a patch, in diff documents and commit messages', () => {
    assert.equal(parsePatchReply('@@ -1 +1 @@\n-a\n+b\n', 'git-commit'), undefined);
    assert.ok(parsePatchReply('@@ -1 +1 @@\n-a\n+b\n', 'typescript'));
  });
});

describe('reply/patch (mutation): applying', () => {
  it('an edit with nothing to find is refused unless it is the only one', () => {
    const patch = parsePatchReply('@@ @@\n+x\n@@ @@\n-a\n+b')!;
    assert.deepEqual(applyPatch(['a'], patch), { ok: false, failedEdit: 0, edits: 2 });
  });

  it('context lines found loosely keep the selection’s own text, each its own', () => {
    const patch = parsePatchReply('@@ @@\n a\n b\n-c\n+C')!;
    assert.deepEqual(applyPatch(['  a', '  b', 'c'], patch), { ok: true, lines: ['  a', '  b', 'C'] });
  });

  it('an exact match wins over an earlier loose one', () => {
    const patch = parsePatchReply('@@ @@\n-a\n+b')!;
    assert.deepEqual(applyPatch(['  a', 'a'], patch), { ok: true, lines: ['  a', 'b'] });
  });
});

describe('reply/patch: a SEARCH block that never reaches its divider', () => {
  it('is refused, never applied as a deletion of what it searched for', () => {
    const patch = parsePatchReply('<<<<<<< SEARCH\nb()\nc()\n')!;
    assert.deepEqual(applyPatch(['a()', 'b()', 'c()'], patch), { ok: false, failedEdit: 0, edits: 1 });
    const cutAfterOne = parsePatchReply('<<<<<<< SEARCH\na()\n=======\nA()\n>>>>>>> REPLACE\n<<<<<<< SEARCH\nc()')!;
    assert.deepEqual(applyPatch(['a()', 'b()', 'c()'], cutAfterOne), { ok: false, failedEdit: 1, edits: 2 });
    const result = extractRewrite('<<<<<<< SEARCH\nb()\n', { selection: 'a()\nb()\n' });
    assert.equal(result.ok ? 'applied' : result.reason, 'patchFailed');
  });

  it('a missing REPLACE marker at the end still applies (the replacement runs to the end)', () => {
    const patch = parsePatchReply('<<<<<<< SEARCH\nb()\n=======\nB()')!;
    assert.deepEqual(applyPatch(['a()', 'b()'], patch), { ok: true, lines: ['a()', 'B()'] });
  });
});
