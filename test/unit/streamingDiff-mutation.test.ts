/**
 * The live diff while the model writes: what the mutation run of src/core/edit/streamingDiff.ts showed
 * streamingDiff.test.ts leaves open (the reply filter's states, patches where they are not patches, the
 * matcher's look-ahead, indentation while streaming, the positions of provisional hunks).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyHunks } from '../../src/core/edit/diff';
import { joinLines, splitLines } from '../../src/core/edit/lines';
import { ReplyLineFilter, RESTART, StreamingDiff } from '../../src/core/edit/streamingDiff';

function lines(filter: ReplyLineFilter, raw: string[]): (string | undefined)[] {
  return raw.map((l) => {
    const out = filter.line(l);
    return out === RESTART ? 'RESTART' : out;
  });
}

function snap(selection: string, reply: string, options: ConstructorParameters<typeof StreamingDiff>[1] = {}) {
  const d = new StreamingDiff(selection, options);
  d.push(reply);
  return d.snapshot();
}

describe('ReplyLineFilter: what the mutation run asked for', () => {
  it('says where it is: waiting, thinking, in code, done', () => {
    const f = new ReplyLineFilter('x\n');
    assert.deepEqual([f.waiting, f.thinking, f.inCode, f.codeComplete], [true, false, false, false]);
    f.line('<think>plan');
    assert.deepEqual([f.waiting, f.thinking, f.inCode], [false, true, false]);
    assert.equal(f.line('done</think>const a = 1;'), 'const a = 1;');
    assert.deepEqual([f.waiting, f.thinking, f.inCode], [false, false, true]);
    const fenced = new ReplyLineFilter('x\n');
    fenced.line('```ts');
    assert.deepEqual([fenced.waiting, fenced.inCode], [false, true]);
    fenced.line('```');
    assert.deepEqual([fenced.inCode, fenced.codeComplete], [false, true]);
  });

  it('skips blank and indented-reasoning lines before the code, and takes the code after a lone closing tag', () => {
    assert.deepEqual(lines(new ReplyLineFilter('x\n'), ['   ', '\t', 'const a = 1;']), [undefined, undefined, 'const a = 1;']);
    const f = new ReplyLineFilter('x\n');
    assert.deepEqual(lines(f, ['  <think>', 'const wrong = 1;']), [undefined, undefined]);
    assert.equal(f.thinking, true);
    assert.deepEqual(lines(new ReplyLineFilter('x\n'), ['</think>const b = 2;']), ['const b = 2;']);
  });

  it('a unified diff or a hunk header restarts, in or out of a fence; not inside reasoning, not after the code, not in a diff file', () => {
    const patch = new ReplyLineFilter('x\n');
    assert.deepEqual(lines(patch, ['--- a/x.ts', '+++ b/x.ts', 'const a = 1;']), [undefined, 'RESTART', undefined]);
    assert.equal(patch.codeComplete, true);
    assert.deepEqual(lines(new ReplyLineFilter('x\n'), ['const a = 1;', '@@ -1 +1 @@']), ['const a = 1;', 'RESTART']);
    assert.deepEqual(lines(new ReplyLineFilter('x\n'), ['```', 'code', '@@ -1 +1 @@']), [undefined, 'code', 'RESTART']);
    const thinking = new ReplyLineFilter('x\n');
    assert.deepEqual(lines(thinking, ['<think>', '--- a/x.ts', '+++ b/x.ts', '</think>', 'const a = 1;']), [undefined, undefined, undefined, undefined, 'const a = 1;']);
    const done = new ReplyLineFilter('x\n');
    assert.deepEqual(lines(done, ['```', 'a', '```', '@@ -1 +1 @@']), [undefined, 'a', undefined, undefined]);
    const diffFile = new ReplyLineFilter('x\n', 'diff');
    assert.deepEqual(lines(diffFile, ['--- a/x.ts', '+++ b/x.ts', '@@ -1 +1 @@']), [undefined, '+++ b/x.ts', '@@ -1 +1 @@']);
    assert.equal(diffFile.codeComplete, false);
  });

  it('a diff fence has no live view, except in a diff file', () => {
    for (const info of ['diff', 'patch', 'udiff', 'DIFF']) {
      const f = new ReplyLineFilter('x\n');
      f.line('```' + info);
      assert.equal(f.codeComplete, true, info);
    }
    const diffFile = new ReplyLineFilter('x\n', 'diff');
    assert.deepEqual(lines(diffFile, ['```diff', '-a', '+b']), [undefined, '-a', '+b']);
    assert.equal(diffFile.inCode, true);
  });

  it('an indented fence: its indentation comes off the lines that have it', () => {
    assert.deepEqual(lines(new ReplyLineFilter('x\n'), ['  ```ts', '    a', 'b', '  ```']), [undefined, '  a', 'b', undefined]);
  });

  it('a diff file header waits for the next line, unless the selection holds it', () => {
    for (const header of ['--- a/b.txt', '--- total.ts', '--- total.ts  ']) {
      assert.deepEqual(lines(new ReplyLineFilter('x\n'), [header, 'x = 2']), [undefined, 'x = 2'], header);
    }
    assert.deepEqual(lines(new ReplyLineFilter('--- a/b.txt\n'), ['--- a/b.txt']), ['--- a/b.txt']);
  });

  it('one language-name line before unfenced code is skipped; a second is code, and so is one the selection holds', () => {
    assert.deepEqual(lines(new ReplyLineFilter('x\n'), ['typescript', 'typescript']), [undefined, 'typescript']);
    assert.deepEqual(lines(new ReplyLineFilter('python\nx = 1\n'), ['python']), ['python']);
  });
});

describe('StreamingDiff: what the mutation run asked for', () => {
  it('a lone CR inside a line stays in it; only the CR of a CRLF goes', () => {
    assert.deepEqual(snap('a\rb\nc\n', '```\na\rb\r\nc\n').hunks, []);
  });

  it('a snapshot is a copy: changing it changes nothing in the next one', () => {
    const d = new StreamingDiff('a\nb\n');
    d.push('```\nx\n');
    const first = d.snapshot();
    first.hunks[0].newLines.push('junk\n');
    first.hunks[0].oldLines.push('junk\n');
    assert.deepEqual(d.snapshot().hunks, [{ oldStart: 0, oldLines: [], newStart: 0, newLines: ['x\n'] }]);
  });

  it('the line being written shows as pending in unfenced code and with backticks inside it, never a fence being written', () => {
    assert.deepEqual(snap('a\nb\n', 'const a = 1;\nconst b').pendingNewLines, ['const b']);
    assert.deepEqual(snap('a\nb\n', '```\na\nconst s = `x').pendingNewLines, ['const s = `x']);
    assert.deepEqual(snap('a\nb\n', '```\na\n``').pendingNewLines, []);
    assert.deepEqual(snap('a\nb\n', '```\na\n  ~~').pendingNewLines, []);
  });

  it('thinking: an opening tag being written before the code, not prose, not code', () => {
    const d = new StreamingDiff('a\n');
    assert.equal(d.thinking, false);
    d.push('  <think>hmm');
    assert.equal(d.thinking, true);
    const prose = new StreamingDiff('a\n');
    prose.push('Here is');
    assert.equal(prose.thinking, false);
    const code = new StreamingDiff('a\n');
    code.push('```\na\n<think>x');
    assert.equal(code.thinking, false);
  });

  it('a line that occurs more than once in the original is found ahead within the look-ahead only', () => {
    // "d" twice: by default the nearer one is taken and the line skipped to reach it is removed.
    assert.deepEqual(snap('s\np\nd\nq\nd\n', '```\ns\nd\n'), { hunks: [{ oldStart: 1, oldLines: ['p\n'], newStart: 1, newLines: [] }], consumedOldLines: 3, pendingNewLines: [], codeComplete: false });
    // Beyond a look-ahead of 1: added.
    assert.deepEqual(snap('s\np\nq\nd\nr\nd\n', '```\ns\nd\n', { lookahead: 1 }).hunks, [{ oldStart: 1, oldLines: [], newStart: 1, newLines: ['d\n'] }]);
    // A line that occurs once is found at any distance.
    assert.deepEqual(snap('s\np\nq\nd\n', '```\ns\nd\n', { lookahead: 1 }).hunks, [{ oldStart: 1, oldLines: ['p\n', 'q\n'], newStart: 1, newLines: [] }]);
  });

  it('a blank line held before the first original line is an insertion, and that line is matched', () => {
    assert.deepEqual(snap('a\nb\n', '```\n\na\nb\n'), { hunks: [{ oldStart: 0, oldLines: [], newStart: 0, newLines: ['\n'] }], consumedOldLines: 2, pendingNewLines: [], codeComplete: false });
  });

  it('provisional hunks know where their lines go in the proposal', () => {
    assert.deepEqual(snap('a\nb\nc\nd\n', '```\nx\na\ny\nb\nz\nc\n').hunks, [
      { oldStart: 0, oldLines: [], newStart: 0, newLines: ['x\n'] },
      { oldStart: 1, oldLines: [], newStart: 2, newLines: ['y\n'] },
      { oldStart: 2, oldLines: [], newStart: 4, newLines: ['z\n'] },
    ]);
  });

  it('a reply line of spaces only decides no indentation: the dedented code after it is re-based', () => {
    assert.deepEqual(snap('  a();\n  b();\n', '```\n    \na();\nc();\n').hunks, [
      { oldStart: 0, oldLines: [], newStart: 0, newLines: ['\n'] },
      { oldStart: 1, oldLines: [], newStart: 2, newLines: ['  c();\n'] },
    ]);
  });

  it('a selection that starts after indentation: the first line loses that indentation, the others keep theirs', () => {
    assert.deepEqual(snap('x();\n    y();\n', '```\n    x();\n    z();\n', { before: 'foo\n    ' }).hunks, [{ oldStart: 1, oldLines: [], newStart: 1, newLines: ['    z();\n'] }]);
  });

  it('a reply indented with tabs takes the document’s unit of spaces', () => {
    assert.deepEqual(snap('if a {\n    b()\n}\n', '```\nif a {\n\tb()\n\t\tq()\n').hunks, [{ oldStart: 2, oldLines: [], newStart: 2, newLines: ['        q()\n'] }]);
    assert.deepEqual(snap('if a {\n  b()\n}\n', '```\nif a {\n\tb()\n\t\tq()\n').hunks, [{ oldStart: 2, oldLines: [], newStart: 2, newLines: ['    q()\n'] }]);
  });

  it('a reply indented with two spaces takes the tabs of the selection level by level, also on its deeper lines', () => {
    const sel = 'func f() {\n\tif x {\n\t\ty()\n\t}\n}\n';
    const d = new StreamingDiff(sel);
    d.push('```go\nfunc f() {\n  if x {\n    y()\n    z()\n');
    // "    y()" is two levels deep: the selection's "\t\ty()", unchanged; not one tab, shown as a new line.
    assert.deepEqual(d.snapshot().hunks, [{ oldStart: 3, oldLines: [], newStart: 3, newLines: ['\t\tz()\n'] }]);
    d.push('  }\n}\n```\n');
    assert.deepEqual(d.snapshot().hunks, d.finish());
  });

  it('a hunk header after the code has ended, or a diff inside reasoning, keeps the live diff', () => {
    const after = new StreamingDiff('a\nb\n');
    after.push('```\na\nc\n```\n@@ -1 +1 @@\n');
    const s = after.snapshot();
    assert.equal(s.codeComplete, true);
    assert.deepEqual(applyHunks(joinLines(splitLines('a\nb\n').slice(0, s.consumedOldLines)), s.hunks, () => true) + s.pendingNewLines.join(''), 'a\nc\n');
    const think = snap('a\nb\n', '<think>\n--- a/x.ts\n+++ b/x.ts\n</think>\n```\na\nc\nb\n');
    assert.deepEqual(think.hunks, [{ oldStart: 1, oldLines: [], newStart: 1, newLines: ['c\n'] }]);
  });

  it('whatever arrives, provisional hunks are exact and ordered, and their positions add up', () => {
    const lineArb = fc.constantFrom('a();', 'b();', '}', '', 'c();', 'if (x) {', 'return z;', 'a();', 'd();');
    const textArb = fc.array(lineArb, { maxLength: 12 }).map((ls) => ls.map((l) => l + '\n').join(''));
    fc.assert(
      fc.property(textArb, textArb, fc.nat(), (original, proposal, cut) => {
        const reply = '```ts\n' + proposal + '```\n';
        const d = new StreamingDiff(original);
        d.push(reply.slice(0, cut % (reply.length + 1)));
        const { hunks, consumedOldLines } = d.snapshot();
        const old = splitLines(original);
        let delta = 0;
        let end = 0;
        for (const h of hunks) {
          assert.ok(h.oldStart >= end, 'hunks overlap or go back');
          assert.equal(h.newStart, h.oldStart + delta, 'a hunk’s place in the proposal');
          assert.deepEqual(h.oldLines, old.slice(h.oldStart, h.oldStart + h.oldLines.length));
          end = h.oldStart + h.oldLines.length;
          delta += h.newLines.length - h.oldLines.length;
        }
        assert.ok(end <= consumedOldLines);
      }),
    );
  });
});

describe('StreamingDiff: the matcher and the indentation, second round', () => {
  it('with no indented line in the selection, the lines around it decide the indentation style and unit', () => {
    assert.deepEqual(snap('if a {\n}\n', '```\nif a {\n    x()\n', { before: 'func f() {\n\tg()\n' }).hunks, [{ oldStart: 1, oldLines: [], newStart: 1, newLines: ['\tx()\n'] }]);
    assert.deepEqual(snap('if a {\n}\n', '```\nif a {\n    x()\n', { after: '\tg()\n}\n' }).hunks, [{ oldStart: 1, oldLines: [], newStart: 1, newLines: ['\tx()\n'] }]);
    assert.deepEqual(snap('if a {\n}\n', '```\nif a {\n\tx()\n', { after: '  g()\n' }).hunks, [{ oldStart: 1, oldLines: [], newStart: 1, newLines: ['  x()\n'] }]);
  });

  it('a selection that starts with a blank line takes its indentation from its first line with text', () => {
    assert.deepEqual(snap('\n  x();\n', '```\n\nx();\ny();\n').hunks, [{ oldStart: 2, oldLines: [], newStart: 2, newLines: ['  y();\n'] }]);
    // The indentation before the selection belongs to its blank first line, not to the code.
    assert.deepEqual(snap('\nx();\n', '```\n\nx();\ny();\n', { before: 'foo\n    ' }).hunks, [{ oldStart: 2, oldLines: [], newStart: 2, newLines: ['y();\n'] }]);
  });

  it('a reply indented more than the selection is not dedented while streaming', () => {
    assert.deepEqual(snap('a();\nb();\n', '```\n  a();\n').hunks, [{ oldStart: 0, oldLines: [], newStart: 0, newLines: ['  a();\n'] }]);
  });

  it('the line being written keeps a lone CR inside it and loses the CR of a CRLF split across deltas', () => {
    assert.deepEqual(snap('a\nb\n', '```\na\nq\rb').pendingNewLines, ['q\rb']);
    assert.deepEqual(snap('a\nb\n', '```\na\nq\r').pendingNewLines, ['q']);
  });

  it('nothing received: the reply is empty', () => {
    assert.equal(new StreamingDiff('a\n').reply, '');
    const result = new StreamingDiff('a\n').finishResult();
    assert.equal(result.extract.ok === false && result.extract.reason, 'empty');
  });

  it('at most eight ambiguous lines are held; the ninth places them', () => {
    const eight = snap('a\nb\n', '```\na\n' + '}\n'.repeat(8));
    assert.deepEqual([eight.hunks, eight.pendingNewLines.length], [[], 8]);
    const nine = snap('a\nb\n', '```\na\n' + '}\n'.repeat(9));
    assert.deepEqual([nine.hunks, nine.pendingNewLines], [[{ oldStart: 1, oldLines: [], newStart: 1, newLines: Array<string>(9).fill('}\n') }], []]);
  });

  it('held lines placed where a new line goes: one equal to the next original line is that line', () => {
    assert.deepEqual(snap('a\n}\n}\nb\n', '```\na\n\n}\nzzz\n'), {
      hunks: [
        { oldStart: 1, oldLines: [], newStart: 1, newLines: ['\n'] },
        { oldStart: 2, oldLines: [], newStart: 3, newLines: ['zzz\n'] },
      ],
      consumedOldLines: 2,
      pendingNewLines: [],
      codeComplete: false,
    });
  });

  it('a line exactly at the look-ahead distance is found', () => {
    assert.deepEqual(snap('s\np\nq\nd\nr\nd\n', '```\ns\nd\n', { lookahead: 2 }).hunks, [{ oldStart: 1, oldLines: ['p\n', 'q\n'], newStart: 1, newLines: [] }]);
  });

  it('block keywords and closing brackets are ambiguous (held), a statement that ends with one is not', () => {
    for (const line of ['else', '} else {', 'end', '  } else {  ', 'else:', '})']) {
      assert.deepEqual(snap('a\nb\n', '```\na\n' + line + '\n').pendingNewLines, [line + '\n'], line);
    }
    assert.deepEqual(snap('a\nb\n', '```\na\nx = done;\n').pendingNewLines, []);
  });
});
