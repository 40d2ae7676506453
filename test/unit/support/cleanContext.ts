import type { CleanContext } from '../../../src/core/completion/filters';

/** A cleaning context for tests: a TypeScript fill-in-the-middle reply in a block, unless `over` says otherwise. */
export const ctxOf = (over: Partial<CleanContext>): CleanContext => ({
  prefix: '',
  suffix: '',
  languageId: 'typescript',
  lineMode: 'multi',
  stop: [],
  style: 'fim',
  indent: { insertSpaces: true, tabSize: 4 },
  ...over,
});
