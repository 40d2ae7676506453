import * as assert from 'node:assert/strict';
import { Disposable, DisposableStore, disposeAll } from '../../src/core/lifecycle';

function recorder(log: string[], name: string) {
  return { dispose: () => void log.push(name) };
}

class Owner extends Disposable {
  own(d: { dispose(): void }) {
    return this._register(d);
  }
  get disposed() {
    return this.isDisposed;
  }
}

describe('lifecycle: Disposable', () => {
  it('disposes what it owns once, newest first, even when dispose is called twice', () => {
    const log: string[] = [];
    const owner = new Owner();
    owner.own(recorder(log, 'a'));
    owner.own(recorder(log, 'b'));
    assert.equal(owner.disposed, false);
    owner.dispose();
    owner.dispose();
    assert.deepEqual(log, ['b', 'a']);
    assert.equal(owner.disposed, true);
  });

  it('disposes at once what is registered after it was disposed (a lazily created watcher)', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.dispose();
    const watcher = store.add(recorder(log, 'watcher'));
    assert.deepEqual(log, ['watcher']);
    store.dispose();
    assert.deepEqual(log, ['watcher']);
    assert.ok(watcher);
  });

  it('registers several at once and disposes them all', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.addAll(recorder(log, 'a'), recorder(log, 'b'));
    store.add(recorder(log, 'late'));
    store.dispose();
    assert.deepEqual(log, ['late', 'b', 'a']);
  });

  it('one that throws does not stop the others; the first error is rethrown', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.add(recorder(log, 'a'));
    store.add({ dispose: () => { throw new Error('first'); } });
    store.add({ dispose: () => { throw new Error('second'); } });
    store.add(recorder(log, 'd'));
    assert.throws(() => store.dispose(), /second/);
    assert.deepEqual(log, ['d', 'a']);
    assert.throws(() => disposeAll([{ dispose: () => { throw new Error('x'); } }, recorder(log, 'e')]), /x/);
    assert.deepEqual(log, ['d', 'a', 'e']);
  });
});
