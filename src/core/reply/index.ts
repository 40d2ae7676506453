/**
 * The rules for reading a model's reply, written once: reasoning, fences, prose, patches, noise and
 * cut-off endings. Edit extraction (src/core/edit/extract.ts), the streaming diff and the other features
 * import them from here.
 */
export * from './reasoning';
export * from './fences';
export * from './prose';
export * from './patch';
export * from './plausible';
export * from './cutoff';
