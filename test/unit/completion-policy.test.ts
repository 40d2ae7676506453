import * as assert from 'assert';
import fc from 'fast-check';
import { LruCache, RequestPolicy, remainderAfterTyping, typedSince } from '../../src/core/completion/policy';

const at = (prefix: string, suffix = '\n}') => ({ prefix, suffix });

describe('completion/policy: typed-through algebra', () => {
  it('typedSince(a, a + t) = t, and undefined when the prefix was edited elsewhere (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (prefix, typed, suffix) => {
        assert.strictEqual(typedSince(at(prefix, suffix), at(prefix + typed, suffix)), typed);
        if (prefix.length > 0) {
          const edited = 'X' + prefix.slice(1) + typed;
          if (!edited.startsWith(prefix)) assert.strictEqual(typedSince(at(prefix, suffix), at(edited, suffix)), undefined);
        }
      }),
    );
  });

  it('typing in two steps leaves what typing at once leaves (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.nat(), fc.nat(), (text, i, j) => {
        const a = i % (text.length + 1);
        const b = a + (j % (text.length - a + 1));
        const anchor = at('p');
        const step1 = remainderAfterTyping(text, text.slice(0, a), anchor, at('p' + text.slice(0, a)));
        assert.ok(step1 !== undefined);
        const step2 = remainderAfterTyping(step1, text.slice(a, b), at('p' + text.slice(0, a)), at('p' + text.slice(0, b)));
        assert.strictEqual(step2, remainderAfterTyping(text, text.slice(0, b), anchor, at('p' + text.slice(0, b))));
        assert.strictEqual(step2, text.slice(b));
      }),
    );
  });

  it('auto-closed brackets after the cursor still count as typing at the same place', () => {
    const anchor = at('f', '\n');
    const cursor = at('f(', ')\n');
    assert.strictEqual(typedSince(anchor, cursor), '(');
    assert.strictEqual(remainderAfterTyping('(a, b)', '(', anchor, cursor), 'a, b');
    assert.strictEqual(typedSince(anchor, at('f(', 'x)\n')), undefined);
  });
});

describe('completion/policy: state machine', () => {
  const policy = () => new RequestPolicy({ debounceMs: 40, typedThrough: true });

  it('asks for a request (debounced) the first time', () => {
    assert.deepStrictEqual(policy().decide('doc', at('x = ')), { kind: 'request', delayMs: 40, abortFlightId: undefined });
  });

  it('typing the suggestion on screen reuses it, trimmed; no request', () => {
    const p = policy();
    p.shown('doc', at('x = '), 'compute(a)');
    assert.deepStrictEqual(p.decide('doc', at('x = c')), { kind: 'reuse', text: 'ompute(a)' });
    assert.deepStrictEqual(p.decide('doc', at('x = com')), { kind: 'reuse', text: 'pute(a)' });
    // the same position again (VS Code asks again) → the same suggestion
    assert.deepStrictEqual(p.decide('doc', at('x = com')), { kind: 'reuse', text: 'pute(a)' });
  });

  it('typing something else, or typing it all, asks for a new request', () => {
    const p = policy();
    p.shown('doc', at('x = '), 'ab');
    assert.strictEqual(p.decide('doc', at('x = z')).kind, 'request');
    p.shown('doc', at('x = '), 'ab');
    assert.strictEqual(p.decide('doc', at('x = ab')).kind, 'request');
  });

  it('follows the request still streaming while the typing matches it', () => {
    const p = policy();
    p.started('doc', 7, at('x = '));
    p.progress('doc', 7, 'comp');
    assert.deepStrictEqual(p.decide('doc', at('x = co')), { kind: 'follow', flightId: 7, typed: 'co' });
    // typed past what has streamed so far: still a candidate
    assert.deepStrictEqual(p.decide('doc', at('x = compu')), { kind: 'follow', flightId: 7, typed: 'compu' });
    assert.strictEqual(p.stillMatches('doc', 7, 'compu'), true);
    p.progress('doc', 7, 'compare');
    assert.strictEqual(p.stillMatches('doc', 7, 'compu'), false);
  });

  it('a superseded request is to be aborted at once; only one runs per document', () => {
    const p = policy();
    p.started('doc', 1, at('x = '));
    p.progress('doc', 1, 'abc');
    const d = p.decide('doc', at('y = '));
    assert.deepStrictEqual(d, { kind: 'request', delayMs: 40, abortFlightId: 1 });
    assert.strictEqual(p.running('doc'), undefined);
    // another document is independent
    p.started('other', 2, at('a'));
    assert.strictEqual(p.decide('doc', at('z')).kind, 'request');
    assert.strictEqual(p.running('other'), 2);
  });

  it('an ended request is not followed', () => {
    const p = policy();
    p.started('doc', 1, at('x = '));
    p.progress('doc', 1, 'abc');
    p.ended('doc', 1);
    assert.deepStrictEqual(p.decide('doc', at('x = a')), { kind: 'request', delayMs: 40, abortFlightId: undefined });
  });

  it('without typed-through (baseline) every call is a request', () => {
    const p = new RequestPolicy({ debounceMs: 75, typedThrough: false });
    p.shown('doc', at('x = '), 'abc');
    assert.strictEqual(p.decide('doc', at('x = a')).kind, 'request');
  });

  it('forget returns the running request to abort', () => {
    const p = policy();
    p.started('doc', 3, at(''));
    assert.strictEqual(p.forget('doc'), 3);
    assert.strictEqual(p.forget('doc'), undefined);
  });

  it('never reuses a suggestion for a cursor it was not made for (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('type', 'show', 'jump'), fc.stringMatching(/^[a-c]{0,3}$/))), (events) => {
        const p = policy();
        let prefix = 'start ';
        let shownAt: { prefix: string; text: string } | undefined;
        for (const [kind, chars] of events) {
          if (kind === 'show') {
            p.shown('doc', at(prefix), chars);
            shownAt = chars ? { prefix, text: chars } : undefined;
            continue;
          }
          prefix = kind === 'type' ? prefix + chars : 'jump' + chars;
          const d = p.decide('doc', at(prefix));
          if (d.kind === 'reuse') {
            assert.ok(shownAt && prefix.startsWith(shownAt.prefix));
            const typed = prefix.slice(shownAt.prefix.length);
            // the reused text is exactly what is left of the shown suggestion after the typed characters
            assert.strictEqual(typed + d.text, shownAt.text);
            shownAt = { prefix, text: d.text };
          } else {
            shownAt = undefined;
          }
        }
      }),
    );
  });
});

describe('completion/policy: LRU cache', () => {
  it('evicts the least recently used entry', () => {
    const c = new LruCache<number>(2);
    c.set('a', 1);
    c.set('b', 2);
    assert.strictEqual(c.get('a'), 1);
    c.set('c', 3);
    assert.strictEqual(c.get('b'), undefined);
    assert.strictEqual(c.get('a'), 1);
    assert.strictEqual(c.get('c'), 3);
    assert.strictEqual(c.size, 2);
  });
});
