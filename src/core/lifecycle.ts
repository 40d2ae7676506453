/**
 * Ownership of things that must be disposed (listeners, registrations, watchers, timers). Structural:
 * anything with `dispose()` fits, `vscode.Disposable` included, so core code can use it too.
 */

export interface IDisposable {
  dispose(): void;
}

/**
 * Base for a class that owns disposables: `_register` them as they are created, `dispose()` disposes
 * them all, newest first. Calling `dispose()` twice is safe; something registered after dispose is
 * disposed at once, so a lazily created resource can never outlive its owner.
 */
export class Disposable implements IDisposable {
  private readonly owned: IDisposable[] = [];
  private disposedAlready = false;

  protected get isDisposed(): boolean {
    return this.disposedAlready;
  }

  protected _register<T extends IDisposable>(disposable: T): T {
    if (this.disposedAlready) disposable.dispose();
    else this.owned.push(disposable);
    return disposable;
  }

  protected _registerAll(...disposables: IDisposable[]): void {
    for (const d of disposables) this._register(d);
  }

  /** Disposes everything owned, newest first; one that throws does not stop the others (the first error is rethrown). */
  dispose(): void {
    if (this.disposedAlready) return;
    this.disposedAlready = true;
    disposeAll(this.owned.splice(0).reverse());
  }
}

/** A `Disposable` others can add to: for functions that register things and return one disposable. */
export class DisposableStore extends Disposable {
  add<T extends IDisposable>(disposable: T): T {
    return this._register(disposable);
  }

  addAll(...disposables: IDisposable[]): void {
    this._registerAll(...disposables);
  }
}

/** Disposes each in order; one that throws does not stop the others; the first error is rethrown. */
export function disposeAll(disposables: Iterable<IDisposable>): void {
  let failure: { error: unknown } | undefined;
  for (const d of disposables) {
    try {
      d.dispose();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}
