/**
 * Bridges VS Code's CancellationToken (matched structurally, so core never imports 'vscode') and other
 * AbortSignals into one AbortSignal for a model request.
 */

export interface CancellationLike {
  isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/**
 * An AbortSignal that aborts as soon as the token is cancelled or any of `others` aborts (immediately if
 * one already has). `dispose()` detaches every listener; call it when the request is over.
 */
export function abortSignalFrom(token: CancellationLike, ...others: AbortSignal[]): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const cleanups: Array<() => void> = [];
  let disposed = false;

  const dispose = () => {
    if (disposed) return;
    disposed = true;
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  const abort = (reason?: unknown) => {
    if (!controller.signal.aborted) controller.abort(reason);
    dispose();
  };

  if (token.isCancellationRequested) {
    abort(cancellationReason());
    return { signal: controller.signal, dispose };
  }
  const already = others.find((s) => s.aborted);
  if (already) {
    abort(already.reason);
    return { signal: controller.signal, dispose };
  }

  const subscription = token.onCancellationRequested(() => abort(cancellationReason()));
  cleanups.push(() => subscription.dispose());
  for (const other of others) {
    const onAbort = () => abort(other.reason);
    other.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => other.removeEventListener('abort', onAbort));
  }
  return { signal: controller.signal, dispose };
}

function cancellationReason(): Error {
  const error = new Error('Cancelled');
  error.name = 'AbortError';
  return error;
}
