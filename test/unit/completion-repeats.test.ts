import * as assert from 'assert';
import fc from 'fast-check';
import { cursorCharEcho, loopEnd, prefixTailEcho } from '../../src/core/completion/repeats';

describe('completion/repeats: the code above the cursor written again', () => {
  const prefix = 'class A\n{\n    [NotNull]\n    public ';

  it('drops an echo that starts at the first character of a line above', () => {
    assert.deepStrictEqual(prefixTailEcho(prefix, '[NotNull]\n    public string Name {', true), { drop: '[NotNull]\n    public '.length });
  });

  it('drops an echo that starts with the indentation or the line break before it', () => {
    assert.deepStrictEqual(prefixTailEcho(prefix, '    [NotNull]\n    public int X;', true), { drop: '    [NotNull]\n    public '.length });
    assert.deepStrictEqual(prefixTailEcho(prefix, '\n    [NotNull]\n    public int X;', true), { drop: '\n    [NotNull]\n    public '.length });
  });

  it('drops an echo that starts in the middle of a line two lines up, holding a whole line', () => {
    const p = '    a = f(x,\n        "b", g(y),\n        "c", h';
    assert.deepStrictEqual(prefixTailEcho(p, '(x,\n        "b", g(y),\n        "c", h(z));', true), { drop: '(x,\n        "b", g(y),\n        "c", h'.length });
  });

  it('keeps a reply that only starts like the end of the line above', () => {
    assert.strictEqual(prefixTailEcho('    a.add(1);\n    a.', 'add(1);\n    a.add(2);', true), undefined);
  });

  it('keeps a reply that repeats only the cursor line, or a line of fewer than three characters', () => {
    assert.strictEqual(prefixTailEcho(prefix, 'public int X;', true), undefined);
    assert.strictEqual(prefixTailEcho('    }\n    ', '}\n    next();', true), undefined);
    assert.strictEqual(prefixTailEcho('  ab\n  ', 'ab\n  c', true), undefined);
    assert.deepStrictEqual(prefixTailEcho('  abc\n  ', 'abc\n  d', true), { drop: 'abc\n  '.length });
    assert.strictEqual(prefixTailEcho('ab\n  ', 'ab\n  c', true), undefined);
    assert.strictEqual(prefixTailEcho('    ( a\n    ', '( a\n    x', true), undefined);
    // A line at the very start of the prefix counts like any other.
    assert.deepStrictEqual(prefixTailEcho('abc\n  ', 'abc\n  d', true), { drop: 'abc\n  '.length });
  });

  it('looks no further up than three lines above the cursor line', () => {
    const p = 'first();\nsecond();\nthird();\nfourth();\n';
    assert.strictEqual(prefixTailEcho(p, 'first();\nsecond();\nthird();\nfourth();\nfifth();', true), undefined);
    assert.deepStrictEqual(prefixTailEcho(p, 'second();\nthird();\nfourth();\nfifth();', true), { drop: 'second();\nthird();\nfourth();\n'.length });
  });

  it('looks for echoes of 2,000 characters at most, so a minified line above stays cheap', () => {
    const long = 'x'.repeat(3000);
    assert.strictEqual(prefixTailEcho(`${long}\n`, `${long}\nmore`, true), undefined);
    const near = 'y'.repeat(1500);
    assert.deepStrictEqual(prefixTailEcho(`${near}\n`, `${near}\nmore`, true), { drop: near.length + 1 });
    const minified = `${'a=1;'.repeat(50_000)}\n    `;
    assert.strictEqual(prefixTailEcho(minified, 'return a;', false), undefined);
  });

  it('holds while the reply could still become an echo, and only then', () => {
    assert.strictEqual(prefixTailEcho(prefix, '[NotN', false), 'hold');
    assert.strictEqual(prefixTailEcho(prefix, '[NotNull]\n    pub', false), 'hold');
    assert.strictEqual(prefixTailEcho(prefix, '[NotN', true), undefined);
    assert.strictEqual(prefixTailEcho(prefix, 'string', false), undefined);
    assert.strictEqual(prefixTailEcho(prefix, '', false), undefined);
    assert.strictEqual(prefixTailEcho('only one line ', 'only one line x', true), undefined);
  });

  it('holds a whole echoed line while a longer echo from further up may still follow (the same line twice above)', () => {
    const p = 'head();\napply\napply\n';
    assert.strictEqual(prefixTailEcho(p, 'apply\n', false), 'hold');
    assert.strictEqual(prefixTailEcho(p, 'apply\nap', false), 'hold');
    assert.deepStrictEqual(prefixTailEcho(p, 'apply\napply\nA', false), { drop: 12 });
    // Once the longer echo is ruled out, the shorter one is dropped.
    assert.deepStrictEqual(prefixTailEcho(p, 'apply\nB', false), { drop: 6 });
    assert.deepStrictEqual(prefixTailEcho(p, 'apply\n', true), { drop: 6 });
  });

  it('property: an echo of whole lines above is dropped, whatever follows; while streaming it is held', () => {
    const line = fc.stringMatching(/^[a-z(),.;= ]{3,20}$/).filter((l) => l.replace(/\s/g, '').length >= 3 && l.trim() === l);
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^ {0,8}[a-z]{0,6}$/), fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,10}$/), (above, cursorLine, rest) => {
        const p = `head();\n${above.join('\n')}\n${cursorLine}`;
        const echo = `${above.join('\n')}\n${cursorLine}`;
        const got = prefixTailEcho(p, echo + rest, true);
        assert.ok(got !== undefined && got !== 'hold');
        assert.strictEqual((echo + rest).slice(got.drop), rest);
        for (let k = 1; k < echo.length; k++) assert.strictEqual(prefixTailEcho(p, echo.slice(0, k), false), 'hold');
      }),
      { numRuns: 200 },
    );
  });
});

describe('completion/repeats: a reply that ends in a loop', () => {
  it('keeps the first copy of a word repeated to the token limit', () => {
    const text = 'Quest'.repeat(40) + 'Que';
    assert.strictEqual(text.slice(0, loopEnd(text)), 'Quest');
  });

  it('counts numbers that go up as the same word', () => {
    const text = 'ref bool a, ref bool a2, ref bool a3, ref bool a4, ref bool a5, ref b';
    assert.strictEqual(text.slice(0, loopEnd(text)), 'ref bool a, ref bool a2');
  });

  it('keeps what comes before the loop', () => {
    const text = 'call(first, ' + 'x, '.repeat(12) + 'x';
    assert.strictEqual(text.slice(0, loopEnd(text)), 'call(first, x');
  });

  it('keeps code that ends on its own, even with repeats, unless they are word for word', () => {
    assert.strictEqual(loopEnd('f(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1)'), undefined);
    assert.strictEqual(loopEnd('list.add(1);\n    list.add(2);\n    list.add(3);'), undefined);
    const five = 'list.add(1);\n    list.add(2);\n    list.add(3);\n    list.add(4);\n    list.add(5);';
    assert.strictEqual(loopEnd(five), undefined);
    // Copies that count up and end like finished code: `f(a1), f(a2), …, f(a6)`, `x = a1; … a6;`.
    for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}'], ['<', '>'], ["'", "'"], ['"', '"'], ['`', '`'], [' ', ';']]) {
      const text = [1, 2, 3, 4, 5, 6].map((i) => `f${open}a${i}${close}`).join(', ');
      assert.strictEqual(loopEnd(text), undefined, text);
      assert.ok(loopEnd(text.slice(0, -1)) !== undefined, text.slice(0, -1));
    }
    const cutOff = 'list.add(1);\n    list.add(2);\n    list.add(3);\n    list.add(4);\n    list.ad';
    assert.strictEqual(cutOff.slice(0, loopEnd(cutOff)), 'list.add(1);\n    ');
    const afterCode = 'const value = ' + 'abc;'.repeat(8);
    assert.strictEqual(afterCode.slice(0, loopEnd(afterCode)), 'const value = abc;');
    const verbatim = 'list.add(1);\n    '.repeat(3) + 'list.add(1);';
    assert.strictEqual(verbatim.slice(0, loopEnd(verbatim)), 'list.add(1);\n    ');
  });

  it('leaves separators, short repeats and plain code alone', () => {
    assert.strictEqual(loopEnd('# ' + '='.repeat(60)), undefined);
    assert.strictEqual(loopEnd('let rule = ' + '-='.repeat(15) + '-'), undefined);
    assert.strictEqual(loopEnd('a rather long beginning here ' + 'ab'.repeat(4) + 'a'), undefined);
    assert.strictEqual(loopEnd('ababab'), undefined);
    assert.strictEqual(loopEnd('abc abc abc abc abc ab'), undefined);
    assert.strictEqual(loopEnd('return compute(a, b) + other(c);'), undefined);
    assert.strictEqual(loopEnd(''), undefined);
  });

  it('looks for units of 200 characters at most (longer ones are repeated lines)', () => {
    const unit = (n: number) => `w${'o'.repeat(n - 2)} `;
    assert.strictEqual(loopEnd(unit(200).repeat(4) + 'wo'), 200);
    assert.strictEqual(loopEnd(unit(201).repeat(4) + 'wo'), undefined);
  });

  it('needs three copies', () => {
    const two = 'someLongWord, someLongWord, som';
    assert.strictEqual(loopEnd(two), undefined);
    assert.strictEqual(loopEnd('const value = ' + two), undefined);
    // Exactly three copies, the whole text, and trailing blank lines do not hide a loop.
    assert.strictEqual(loopEnd('someLongWord'.repeat(3)), 'someLongWord'.length);
    assert.strictEqual(loopEnd('Quest'.repeat(10) + '\n\n'), 'Quest'.length);
    const three = 'someLongWord, someLongWord, someLongWord, som';
    assert.strictEqual(three.slice(0, loopEnd(three)), 'someLongWord, ');
  });

  it('property: a unit with a letter repeated past the limit is cut to one copy, and cutting again changes nothing', () => {
    fc.assert(
      // A unit ending in spaces loses them at the end of the text (the text is trimmed), so its last
      // copy would not be whole: units end with a non-blank character here.
      fc.property(fc.stringMatching(/^[a-z][a-z ,.]{1,8}[a-z,.]$/), fc.integer({ min: 3, max: 30 }), fc.nat(), (unit, copies, partial) => {
        const loop = unit.repeat(copies) + unit.slice(0, partial % unit.length);
        fc.pre(loop.trimEnd().length >= 24 && !/[;)\]}>'"`]$/.test(loop.trimEnd()));
        const text = 'value = ' + loop;
        const end = loopEnd(text);
        assert.ok(end !== undefined, JSON.stringify(text));
        const kept = text.slice(0, end);
        assert.ok(kept.length <= 'value = '.length + unit.length, JSON.stringify(kept));
        assert.ok(text.startsWith(kept));
        assert.strictEqual(loopEnd(kept), undefined);
      }),
      { numRuns: 300 },
    );
  });
});

describe('completion/repeats: the character before the cursor written again', () => {
  it('drops a member-access dot written again where `..` cannot stand between names', () => {
    assert.deepStrictEqual(cursorCharEcho('    config.', '.merge(conf)', 'python', true, true), { drop: 1 });
    assert.deepStrictEqual(cursorCharEcho('    f(x).', '.then(g)', 'typescript', true, true), { drop: 1 });
    assert.deepStrictEqual(cursorCharEcho('    a[0].', '.length', 'java', true, true), { drop: 1 });
    assert.deepStrictEqual(cursorCharEcho('    obj.', '.$el', 'javascript', true, true), { drop: 1 });
  });

  it('in every language where `..` never stands between names', () => {
    for (const lang of ['python', 'java', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'go', 'c', 'cpp', 'objective-c', 'objective-cpp']) {
      assert.deepStrictEqual(cursorCharEcho('    x = obj.', '.name', lang, true, true), { drop: 1 }, lang);
    }
  });

  it('looks at the dot only when the cursor stands right after it', () => {
    assert.deepStrictEqual(cursorCharEcho('    return a.b ', '  c', 'java', true, true), { drop: 2 });
    assert.strictEqual(cursorCharEcho('    return a.b', '.c', 'java', true, true), undefined);
  });

  it('keeps the second dot where it means something: ranges, cascades, spreads, numbers', () => {
    // Rust, Kotlin, C#, Ruby ranges; Dart cascades; Lua concatenation.
    for (const lang of ['rust', 'kotlin', 'csharp', 'ruby', 'dart', 'lua', 'swift']) assert.strictEqual(cursorCharEcho('    x = start.', '.end', lang, true, true), undefined, lang);
    // `...` is a spread or an ellipsis, `0.` a number, `.5` a digit after the dot.
    assert.strictEqual(cursorCharEcho('    f(args.', '..rest)', 'typescript', true, true), undefined);
    assert.strictEqual(cursorCharEcho('    x = 0.', '.5', 'python', true, true), undefined);
    // A number's dot is no member access: `1..toString()` is JavaScript.
    assert.strictEqual(cursorCharEcho('    s = 1.', '.toString()', 'javascript', true, true), undefined);
    assert.strictEqual(cursorCharEcho('    x = a.', '.5', 'python', true, true), undefined);
    assert.strictEqual(cursorCharEcho('    import .', '.mod', 'python', true, true), undefined);
  });

  it('drops spaces written again after a space that follows code', () => {
    assert.deepStrictEqual(cursorCharEcho('    public ', '  string Name {', 'csharp', true, true), { drop: 2 });
    assert.deepStrictEqual(cursorCharEcho('\treturn ', '\tx;', 'go', true, true), { drop: 1 });
    assert.deepStrictEqual(cursorCharEcho('    x =\t', ' 1;', 'c', true, true), { drop: 1 });
  });

  it('keeps spaces that line the code up with a column of the line above or below', () => {
    assert.strictEqual(cursorCharEcho('\tName ', '   string', 'go', true, true, ['\tID      int', '']), undefined);
    assert.strictEqual(cursorCharEcho('\tName ', '   string', 'go', true, true, ['', '\tAge     int']), undefined);
    // Not lined up with anything: dropped.
    assert.deepStrictEqual(cursorCharEcho('\tName ', '   string', 'go', true, true, ['\tID int', '}']), { drop: 3 });
    assert.deepStrictEqual(cursorCharEcho('\tName ', '   string', 'go', true, true, ['\tIdentifier int', '']), { drop: 3 });
  });

  it('keeps spaces before a line break, on a line of its own, and in strings and comments (there they are text)', () => {
    assert.strictEqual(cursorCharEcho('    return ', '  \n  x;', 'java', true, true), undefined);
    assert.strictEqual(cursorCharEcho('    return ', ' \r\n  x;', 'java', true, true), undefined);
    assert.strictEqual(cursorCharEcho('    ', '  x = 1;', 'java', true, true), undefined);
    assert.strictEqual(cursorCharEcho('    s = "a ', ' b"', 'java', false, true), undefined);
    assert.strictEqual(cursorCharEcho('    x.', '.y', 'java', false, true), undefined);
    assert.strictEqual(cursorCharEcho('    return x', ' + 1;', 'java', true, true), undefined);
    assert.strictEqual(cursorCharEcho('    return ', 'x;', 'java', true, true), undefined);
    assert.strictEqual(cursorCharEcho('    return ', '', 'java', true, false), undefined);
  });

  it('holds while the reply is only the repeated character, and decides at the end', () => {
    assert.strictEqual(cursorCharEcho('    a.', '.', 'python', true, false), 'hold');
    assert.deepStrictEqual(cursorCharEcho('    a.', '.', 'python', true, true), { drop: 1 });
    assert.strictEqual(cursorCharEcho('    return ', '  ', 'java', true, false), 'hold');
    assert.strictEqual(cursorCharEcho('    return ', '  ', 'java', true, true), undefined);
    assert.deepStrictEqual(cursorCharEcho('    a.', '.x', 'python', true, false), { drop: 1 });
    assert.deepStrictEqual(cursorCharEcho('    return ', '  x', 'java', true, false), { drop: 2 });
  });

  it('property: what is dropped is only the repeated character, and the rest of the reply is kept as it was', () => {
    fc.assert(
      fc.property(fc.constantFrom('    public ', '    x = ', '    obj.', '\tf(a).'), fc.stringMatching(/^[ .]{0,3}[A-Za-z_][\w ();]{0,12}$/), (linePrefix, text) => {
        const r = cursorCharEcho(linePrefix, text, 'java', true, true);
        if (r === undefined || r === 'hold') return;
        const dropped = text.slice(0, r.drop);
        const last = linePrefix[linePrefix.length - 1];
        assert.ok(dropped.length > 0 && [...dropped].every((c) => (last === '.' ? c === '.' : c === ' ' || c === '\t')), JSON.stringify({ linePrefix, text, r }));
        assert.ok(/^[A-Za-z_]/.test(text.slice(r.drop)) || last !== '.', JSON.stringify({ linePrefix, text, r }));
      }),
    );
  });
});
