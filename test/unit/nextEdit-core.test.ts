import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  EditHistory,
  type LineChange,
  type TextChange,
  applyTextChange,
  parseUnifiedDiff,
  toLines,
  trimChange,
  unifiedDiff,
} from '../../src/core/nextEdit/history';
import { firstHunk, hunkEdit, hunkFits, inlineDiff, needsJump, remainingHunks } from '../../src/core/nextEdit/proposal';
import { MARKERS, buildNextEditPrompt, formatExcerpt } from '../../src/core/nextEdit/prompt';
import { blockAt, selectRegion } from '../../src/core/nextEdit/region';
import { applyLineHunks, lineHunks, parseReply, proposalFromReply, undoesEdit } from '../../src/core/nextEdit/reply';
import { readNextEditSettings } from '../../src/core/nextEdit/settings';

const lineArb: fc.Arbitrary<string> = fc.constantFrom<string>('', 'a', 'b', 'foo(x)', '  y = 1', '}', 'const z = a + b;');
const linesArb = fc.array(lineArb, { minLength: 1, maxLength: 10 });

/** Applies a TextEdit from hunkEdit to lines (the way the editor would), for checking. */
function applyEdit(lines: readonly string[], edit: ReturnType<typeof hunkEdit>): string[] {
  const copy = [...lines];
  applyTextChange(copy, { startLine: edit.start.line, startCharacter: edit.start.character, endLine: edit.end.line, endCharacter: edit.end.character, text: edit.text });
  return copy;
}

/** A random content change inside `lines`. */
const changeArb = (lines: readonly string[]) =>
  fc
    .record({ a: fc.nat(), b: fc.nat(), c: fc.nat(), d: fc.nat(), text: fc.constantFrom('', 'x', 'new\nline', '\n', 'abc') })
    .map(({ a, b, c, d, text }): TextChange => {
      const l1 = a % lines.length;
      const l2 = l1 + (b % (lines.length - l1));
      const c1 = c % (lines[l1].length + 1);
      const c2 = l2 === l1 ? c1 + (d % (lines[l2].length - c1 + 1)) : d % (lines[l2].length + 1);
      return { startLine: l1, startCharacter: c1, endLine: l2, endCharacter: c2, text };
    });

describe('nextEdit/history', () => {
  it('applyTextChange edits the lines like a string splice (property)', () => {
    fc.assert(
      fc.property(linesArb.chain((lines) => fc.tuple(fc.constant(lines), changeArb(lines))), ([lines, change]) => {
        const text = lines.join('\n');
        const offset = (line: number, ch: number) => lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + ch;
        const expected = text.slice(0, offset(change.startLine, change.startCharacter)) + change.text + text.slice(offset(change.endLine, change.endCharacter));
        const copy = [...lines];
        const touched = applyTextChange(copy, change);
        assert.equal(copy.join('\n'), expected);
        // the touched lines, replaced, give the same text
        assert.deepEqual([...lines.slice(0, touched.start), ...touched.newLines, ...lines.slice(touched.start + touched.oldLines.length)], copy);
      }),
    );
  });

  it('every entry, undone in reverse order, gives back the tracked text (property: history is rebased)', () => {
    fc.assert(
      fc.property(
        linesArb.chain((lines) => fc.tuple(fc.constant(lines), fc.array(fc.nat(), { maxLength: 6 }))),
        fc.array(fc.record({ a: fc.nat(), b: fc.nat(), c: fc.nat(), d: fc.nat(), text: fc.constantFrom('', 'x', 'q\nr', '\n') }), { minLength: 1, maxLength: 6 }),
        ([lines], raw) => {
          const history = new EditHistory({ maxEntries: 100, maxEntryLines: 1000, mergeGapLines: 2 });
          history.track('f', lines.join('\n'));
          const doc = [...lines];
          let now = 0;
          for (const r of raw) {
            const l1 = r.a % doc.length;
            const l2 = l1 + (r.b % (doc.length - l1));
            const c1 = r.c % (doc[l1].length + 1);
            const c2 = l2 === l1 ? c1 + (r.d % (doc[l2].length - c1 + 1)) : r.d % (doc[l2].length + 1);
            const change = { startLine: l1, startCharacter: c1, endLine: l2, endCharacter: c2, text: r.text };
            applyTextChange(doc, change);
            history.change('f', [change], (now += 1000));
          }
          assert.deepEqual(history.lines('f'), doc);
          // Undo the entries newest first: each entry's new lines sit where it says.
          // Entries are at lines of the current text: undoing one moves the older ones below it back.
          const back = [...doc];
          const entries = history.recent().map((e) => ({ ...e }));
          while (entries.length > 0) {
            const e = entries.pop()!;
            assert.deepEqual(back.slice(e.start, e.start + e.newLines.length), e.newLines, 'entry fits the text');
            back.splice(e.start, e.newLines.length, ...e.oldLines);
            const delta = e.newLines.length - e.oldLines.length;
            for (const o of entries) if (o.start >= e.start + e.newLines.length) o.start -= delta;
          }
          assert.deepEqual(back, lines);
        },
      ),
    );
  });

  it('typing a word in one place is one entry; typing elsewhere starts another; entries are bounded', () => {
    const h = new EditHistory({ maxEntries: 2, maxEntryLines: 80, mergeGapLines: 2 });
    h.track('a.ts', 'function f(a) {\n  return a;\n}\n\n\n\n\nconst x = f(1);');
    for (const [i, ch] of [...'count'].entries()) h.change('a.ts', [{ startLine: 0, startCharacter: 11 + i, endLine: 0, endCharacter: 11 + i, text: ch }], i);
    assert.equal(h.recent().length, 1);
    assert.deepEqual(h.recent()[0], { path: 'a.ts', start: 0, oldLines: ['function f(a) {'], newLines: ['function f(counta) {'], time: 4 });
    h.change('a.ts', [{ startLine: 7, startCharacter: 13, endLine: 7, endCharacter: 14, text: '2' }], 10);
    assert.equal(h.recent().length, 2);
    h.change('b.ts', [], 11);
    h.track('b.ts', 'x');
    h.change('b.ts', [{ startLine: 0, startCharacter: 1, endLine: 0, endCharacter: 1, text: 'y' }], 12);
    assert.deepEqual(h.recent().map((e) => e.path), ['a.ts', 'b.ts']);
  });

  it('an edit that restores the old text removes its entry', () => {
    const h = new EditHistory();
    h.track('a', 'let a = 1;');
    h.change('a', [{ startLine: 0, startCharacter: 4, endLine: 0, endCharacter: 5, text: 'b' }], 1);
    assert.equal(h.recent().length, 1);
    h.change('a', [{ startLine: 0, startCharacter: 4, endLine: 0, endCharacter: 5, text: 'a' }], 2);
    assert.equal(h.recent().length, 0);
  });

  it('lines deleted at the spot where other lines are deleted later make one entry (else nothing says which came first)', () => {
    // Found by the rebase property (about 1 run in 50): three blank lines deleted at line 2, a blank line
    // inserted below, then everything from line 1 to the end deleted. Two deletions at the same point
    // could be undone in the wrong order, putting `foo(x)` above the blank lines it came after.
    const h = new EditHistory({ maxEntries: 100, maxEntryLines: 1000, mergeGapLines: 2 });
    const lines = ['', '', '', '', '', '', '', '', '', 'foo(x)'];
    h.track('f', lines.join('\n'));
    const doc = [...lines];
    const changes = [
      { startLine: 2, startCharacter: 0, endLine: 2, endCharacter: 0, text: 'q\nr' },
      { startLine: 1, startCharacter: 0, endLine: 5, endCharacter: 0, text: '' },
      { startLine: 4, startCharacter: 0, endLine: 4, endCharacter: 0, text: '\n' },
      { startLine: 1, startCharacter: 0, endLine: 7, endCharacter: 6, text: '' },
    ];
    changes.forEach((c, i) => {
      applyTextChange(doc, c);
      h.change('f', [c], i + 1);
    });
    assert.deepEqual(doc, ['', '']);
    assert.deepEqual(h.recent().map((e) => ({ start: e.start, oldLines: e.oldLines, newLines: e.newLines })), [{ start: 2, oldLines: ['', '', '', '', '', '', '', 'foo(x)'], newLines: [] }]);
  });

  it('an entry above an edit moves with the lines inserted above it', () => {
    const h = new EditHistory({ maxEntries: 8, maxEntryLines: 80, mergeGapLines: 0 });
    h.track('a', 'one\ntwo\nthree\nfour\nfive\nsix');
    h.change('a', [{ startLine: 5, startCharacter: 0, endLine: 5, endCharacter: 3, text: 'SIX' }], 1);
    h.change('a', [{ startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0, text: 'zero\n' }], 2);
    assert.deepEqual(h.recent()[0], { path: 'a', start: 6, oldLines: ['six'], newLines: ['SIX'], time: 1 });
  });

  it('unified diffs round-trip through parseUnifiedDiff (property)', () => {
    fc.assert(
      fc.property(linesArb, linesArb, fc.array(lineArb, { maxLength: 4 }), (before, after, ctx) => {
        const change = trimChange({ start: ctx.length, oldLines: before, newLines: after });
        if (!change) return;
        const current = [...ctx, ...after, ...ctx];
        const parsed = parseUnifiedDiff(unifiedDiff(change, current));
        assert.equal(parsed.length, 1);
        assert.deepEqual(parsed[0], trimChange(parsed[0]));
        // applying the parsed change backwards to the current text gives the same text as the original change
        const undo = (c: LineChange) => [...current.slice(0, c.start), ...c.oldLines, ...current.slice(c.start + c.newLines.length)];
        assert.deepEqual(undo(parsed[0]), undo(change));
      }),
    );
  });

  it('renders a unified diff with a header and context', () => {
    assert.equal(
      unifiedDiff({ start: 1, oldLines: ['b'], newLines: ['B', 'C'] }, ['a', 'B', 'C', 'd']),
      '@@ -1,3 +1,4 @@\n a\n-b\n+B\n+C\n d',
    );
    assert.deepEqual(parseUnifiedDiff('--- a/x\n+++ b/x\n@@ -3,2 +3,0 @@\n-gone\n-too\n'), [{ start: 3, oldLines: ['gone', 'too'], newLines: [] }]);
  });
});

describe('nextEdit/region', () => {
  const ts = toLines(
    [
      'import { a } from "a";', // 0
      '', // 1
      'export function total(items: Item[], rate: number): number {', // 2
      '  let sum = 0;', // 3
      '  for (const item of items) {', // 4
      '    sum += item.price * rate;', // 5
      '  }', // 6
      '  return sum;', // 7
      '}', // 8
      '', // 9
      'export const x = total([], 1);', // 10
    ].join('\n'),
  );

  it('a header opens a block up to its closer; a plain line is its own block', () => {
    assert.deepEqual(blockAt(ts, 2), { start: 2, end: 9 });
    assert.deepEqual(blockAt(ts, 4), { start: 4, end: 7 });
    assert.deepEqual(blockAt(ts, 3), { start: 3, end: 4 });
    assert.deepEqual(blockAt(toLines('def f(x):\n    return x\n\ny = 1'), 0), { start: 0, end: 2 });
  });

  it('grows from the cursor to whole enclosing blocks, then neighbours, within the budget', () => {
    assert.deepEqual(selectRegion(ts, 5, { editableTokens: 20, contextTokens: 0 }), { start: 4, end: 7, contextStart: 4, contextEnd: 7 });
    const whole = selectRegion(ts, 5, { editableTokens: 45, contextTokens: 0 });
    assert.deepEqual([whole.start, whole.end], [2, 9]);
    const withContext = selectRegion(ts, 5, { editableTokens: 45, contextTokens: 14 });
    assert.deepEqual([withContext.contextStart, withContext.contextEnd], [0, 10]);
    const big = selectRegion(ts, 5, { editableTokens: 1000, contextTokens: 0 });
    assert.deepEqual([big.start, big.end], [0, 11]);
  });

  it('always holds the cursor, stays in the text and keeps context around it (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('', 'a {', '  b', '    c', '  }', '}', 'x'), { minLength: 1, maxLength: 40 }), fc.nat(), fc.nat(200), fc.nat(200), (lines, c, e, k) => {
        const cursor = c % lines.length;
        const r = selectRegion(lines, cursor, { editableTokens: e, contextTokens: k });
        assert.ok(r.start <= cursor && cursor < r.end);
        assert.ok(0 <= r.contextStart && r.contextStart <= r.start && r.end <= r.contextEnd && r.contextEnd <= lines.length);
      }),
    );
  });
});

describe('nextEdit/prompt', () => {
  const lines = ['const a = 1;', 'function f(count) {', '  return n * 2;', '}', 'f(3);'];
  const region = { start: 1, end: 4, contextStart: 0, contextEnd: 5 };

  it('marks the region and the cursor inside the excerpt', () => {
    const excerpt = formatExcerpt({ path: 'src/f.ts', languageId: 'typescript', lines, cursor: { line: 1, character: 16 }, region, history: [] });
    assert.equal(
      excerpt,
      '```src/f.ts\n<|start_of_file|>\nconst a = 1;\n<|editable_region_start|>\nfunction f(count<|user_cursor_is_here|>) {\n  return n * 2;\n}\n<|editable_region_end|>\nf(3);\n```',
    );
  });

  it('chat and zeta formats carry the history as "User edited" diffs, and redact secrets', () => {
    const history = [{ path: 'src/f.ts', start: 1, oldLines: ['function f(n) {'], newLines: ['function f(count) {'], time: 0 }];
    const input = { path: 'src/f.ts', languageId: 'typescript', lines: [...lines, 'const apiKey = "sk-abcdefghijklmnopqrstuvwx1234";'], cursor: { line: 1, character: 16 }, region: { ...region, contextEnd: 6 }, history };
    const chat = buildNextEditPrompt(input, 'chat');
    assert.equal(chat.format, 'chat');
    if (chat.format !== 'chat') return;
    const user = chat.messages[1].content;
    assert.match(user, /User edited "src\/f\.ts":\n```diff\n@@ -2,1 \+2,1 @@\n-function f\(n\) \{\n\+function f\(count\) \{\n```/);
    assert.ok(!user.includes('sk-abcdefghijklmnopqrstuvwx1234'), 'the secret is redacted');
    const zeta = buildNextEditPrompt(input, 'zeta');
    assert.equal(zeta.format, 'zeta');
    if (zeta.format !== 'zeta') return;
    assert.match(zeta.prompt, /^### Instruction:\n[\s\S]*### User Edits:\n\nUser edited "src\/f\.ts"[\s\S]*### User Excerpt:\n\n```src\/f\.ts\n[\s\S]*<\|editable_region_end\|>[\s\S]*### Response:\n$/);
  });
});

describe('nextEdit/reply', () => {
  const lines = ['function f(count) {', '  return n * 2;', '}', ''];
  const region = { start: 0, end: 3, contextStart: 0, contextEnd: 4 };
  const wrap = (body: string) => `${MARKERS.regionStart}\n${body}\n${MARKERS.regionEnd}`;

  it('takes the region from between the markers, whatever is around it', () => {
    const body = 'function f(count) {\n  return count * 2;\n}';
    for (const reply of [
      wrap(body),
      `Here you go:\n\n\`\`\`ts\n${wrap(body)}\n\`\`\`\nI renamed the use.`,
      `<think>rename</think>${wrap(body.replace('count)', `count${MARKERS.cursor})`))}`,
      `${MARKERS.regionStart}\n${body}${MARKERS.regionEnd}`,
      wrap(body).replace(/\n/g, '\r\n'),
    ]) {
      const r = proposalFromReply(reply, lines, region);
      assert.ok(r.ok, reply);
      assert.deepEqual(r.proposal.hunks, [{ start: 1, oldLines: ['  return n * 2;'], newLines: ['  return count * 2;'] }]);
    }
  });

  it('drops a reply that lost a marker, is a no-op, or is empty', () => {
    assert.deepEqual(parseReply('function f(count) {\n  return count * 2;\n}'), { ok: false, reason: 'markers' });
    assert.deepEqual(parseReply(`${MARKERS.regionStart}\nfunction f(count) {\n`), { ok: false, reason: 'markers' });
    assert.deepEqual(parseReply(`${MARKERS.regionStart}\nx\n${MARKERS.fileStart}\n${MARKERS.regionEnd}`), { ok: false, reason: 'markers' });
    assert.deepEqual(parseReply('  \n'), { ok: false, reason: 'empty' });
    assert.deepEqual(proposalFromReply(wrap(lines.slice(0, 3).join('\n')), lines, region), { ok: false, reason: 'noop' });
  });

  it('maps the prompt\'s placeholders back before the diff: a line holding a token is not proposed as its placeholder', () => {
    const token = ['ghp_', 'R2d2C3poLuke7Leia9Han5Solo0Chewie1aBcD'].join('');
    const doc = ['function f(count) {', `  const auth = "${token}";`, '  return n * 2;', '}', ''];
    const r = { start: 0, end: 4, contextStart: 0, contextEnd: 5 };
    const prompt = buildNextEditPrompt({ path: 'src/f.ts', languageId: 'typescript', lines: doc, cursor: { line: 0, character: 16 }, region: r, history: [] }, 'chat');
    assert.ok(prompt.text.includes('  const auth = "<redacted:github-token>";') && !prompt.text.includes(token));
    const reply = wrap('function f(count) {\n  const auth = "<redacted:github-token>";\n  return count * 2;\n}');
    const result = proposalFromReply(reply, doc, r, [], prompt.secrets);
    assert.ok(result.ok);
    assert.deepEqual(result.proposal.hunks, [{ start: 2, oldLines: ['  return n * 2;'], newLines: ['  return count * 2;'] }]);
    assert.ok(!result.proposal.newLines.join('\n').includes('<redacted:'));
    // A placeholder that is not this document's secret (another file's, or one never handed out) drops the reply.
    const foreign = wrap('function f(count) {\n  const auth = "<redacted:github-token-2>";\n  return count * 2;\n}');
    assert.deepEqual(proposalFromReply(foreign, doc, r, [], prompt.secrets), { ok: false, reason: 'placeholder' });
    // Prose around the markers may name placeholders: only the rewrite counts.
    assert.ok(proposalFromReply(`I kept <redacted:secret-9> as it was.\n${reply}`, doc, r, [], prompt.secrets).ok);
  });

  it('drops a reply that takes back the user\'s last edit, keeps one that continues it', () => {
    const edit = { start: 0, oldLines: ['function f(n) {'], newLines: ['function f(count) {'] };
    const undo = proposalFromReply(wrap('function f(n) {\n  return n * 2;\n}'), lines, region, [edit]);
    assert.deepEqual(undo, { ok: false, reason: 'undo' });
    const on = proposalFromReply(wrap('function f(count) {\n  return count * 2;\n}'), lines, region, [edit]);
    assert.ok(on.ok);
  });

  it('undoesEdit: applying the edit then the hunk gives back the old text exactly when it is an undo (property)', () => {
    fc.assert(
      fc.property(linesArb, fc.nat(), fc.array(lineArb, { maxLength: 3 }), (old, s, replacement) => {
        const start = s % old.length;
        const edit = trimChange({ start, oldLines: old.slice(start, start + 1), newLines: replacement });
        if (!edit) return;
        const now = [...old.slice(0, edit.start), ...edit.newLines, ...old.slice(edit.start + edit.oldLines.length)];
        const back = trimChange({ start: edit.start, oldLines: edit.newLines, newLines: edit.oldLines });
        if (back) assert.ok(undoesEdit(now, back, edit), 'the exact reverse is an undo');
      }),
    );
  });

  it('hunks applied in order give the rewritten region (property)', () => {
    fc.assert(
      fc.property(linesArb, linesArb, (a, b) => {
        assert.deepEqual(applyLineHunks(a, lineHunks(a, b, 0)), b);
      }),
    );
  });
});

describe('nextEdit/proposal', () => {
  it('hunkEdit applies exactly the hunk, touching only changed characters (property)', () => {
    fc.assert(
      fc.property(linesArb, linesArb, (a, b) => {
        const hunks = lineHunks(a, b, 0);
        let doc = [...a];
        let rest = hunks;
        while (rest.length > 0) {
          const i = firstHunk(rest, 0);
          assert.ok(hunkFits(doc, rest[i]));
          const edit = hunkEdit(doc, rest[i]);
          doc = applyEdit(doc, edit);
          rest = remainingHunks(rest, i);
        }
        assert.deepEqual(doc, b.length === 0 ? [''] : b);
      }),
    );
  });

  it('a rename in a line is a small edit and a word-level inline diff', () => {
    const lines = ['  return n * 2 + n;'];
    const hunk = { start: 0, oldLines: lines, newLines: ['  return count * 2 + count;'] };
    assert.deepEqual(hunkEdit(lines, hunk), { start: { line: 0, character: 9 }, end: { line: 0, character: 18 }, text: 'count * 2 + count' });
    const d = inlineDiff(hunk);
    assert.deepEqual(d.removed, [{ line: 0, start: 9, end: 10 }, { line: 0, start: 17, end: 18 }]);
    assert.deepEqual(d.inserted, [{ line: 0, character: 9, text: 'count' }, { line: 0, character: 17, text: 'count' }]);
    assert.deepEqual(inlineDiff({ start: 3, oldLines: [], newLines: ['import x;'] }), { removed: [], inserted: [], removedLines: [], addedLines: ['import x;'], anchorLine: 2 });
  });

  it('the first hunk is the one at or after the cursor; far or off-screen hunks need a jump', () => {
    const hunks = [{ start: 2, oldLines: ['a'], newLines: ['b'] }, { start: 10, oldLines: ['c'], newLines: ['d'] }];
    assert.equal(firstHunk(hunks, 5), 1);
    assert.equal(firstHunk(hunks, 2), 0);
    assert.equal(needsJump(hunks[1], 5, [{ start: 0, end: 40 }]), false);
    assert.equal(needsJump(hunks[1], 5, [{ start: 0, end: 8 }]), true);
    assert.equal(needsJump({ start: 30, oldLines: ['c'], newLines: ['d'] }, 5, [{ start: 0, end: 40 }]), true);
  });
});

describe('nextEdit/settings', () => {
  it('reads valid values and falls back on the rest', () => {
    assert.deepEqual(readNextEditSettings(() => undefined), { enabled: false, model: '', promptFormat: 'chat', debounceMs: 400, timeoutMs: 20000 });
    const s = { 'nextEdit.enabled': true, 'nextEdit.model': ' zeta ', 'nextEdit.promptFormat': 'zeta', 'nextEdit.debounceMs': 10 } as Record<string, unknown>;
    assert.deepEqual(readNextEditSettings((k) => s[k]), { enabled: true, model: 'zeta', promptFormat: 'zeta', debounceMs: 50, timeoutMs: 20000 });
    assert.equal(readNextEditSettings((k) => (k === 'nextEdit.promptFormat' ? 'qwen' : undefined)).promptFormat, 'chat');
  });
});
