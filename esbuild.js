// Bundles the extension into dist/extension.js. Type checking is `tsc --noEmit` (npm run typecheck).
const esbuild = require('esbuild');

const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// --outfile=PATH builds elsewhere (the bench measures a production bundle without touching dist/).
const outfileArg = process.argv.find((a) => a.startsWith('--outfile='));
const outfile = outfileArg ? outfileArg.slice('--outfile='.length) : 'dist/extension.js';

/**
 * The tokenizer's rank table (1 MB) stays out of the bundle: src/core/prompt/tokens.ts imports
 * js-tiktoken/lite and reads this JSON file from beside the bundle on first use.
 */
function copyTokenizerRanks() {
  const ranks = require('js-tiktoken/ranks/cl100k_base');
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  fs.writeFileSync(path.join(path.dirname(outfile), 'cl100k_base.json'), JSON.stringify(ranks));
}

async function main() {
  const ctx = await esbuild.context({
    entryPoints: ['src/extension.ts'],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile,
    external: ['vscode'],
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
    metafile: true,
  });
  copyTokenizerRanks();
  if (watch) {
    await ctx.watch();
    return;
  }
  const result = await ctx.rebuild();
  await ctx.dispose();
  fs.writeFileSync(path.join(path.dirname(outfile), 'meta.json'), JSON.stringify(result.metafile));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
