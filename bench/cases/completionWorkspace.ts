/**
 * A synthetic TypeScript workspace for the inline-suggestion benchmarks: files with their own
 * vocabulary (interfaces, classes, functions, imports), deterministic for a seed.
 */
import { seeded } from '../util';

const WORDS = (
  'account address amount approve archive asset audit balance basket batch billing booking budget cache cart catalog ' +
  'channel charge checkout client cluster comment config contract coupon credit currency customer dashboard delivery ' +
  'device discount document draft email entry event export feature filter folder forecast gateway grant group header ' +
  'history image import inbox index invoice item journal label ledger license limit listing locale login message metric ' +
  'module notice offer order owner package parcel partner payment period permission plan policy portal price product ' +
  'profile project quota quote rating receipt record refund region release report request resource review role route ' +
  'schedule score search segment session setting shipment signal sku slot source stock store subscription summary supplier ' +
  'survey tag task tax team template tenant ticket timeline token topic transfer trial upload usage user vendor version ' +
  'voucher warehouse webhook widget window workflow zone'
).split(' ');

const cap = (w: string) => w[0].toUpperCase() + w.slice(1);

/** One file of about `lines` lines. */
export function syntheticFile(index: number, lines: number, seed = 1): { path: string; text: string } {
  const rnd = seeded(seed * 100_003 + index);
  const pick = () => WORDS[Math.floor(rnd() * WORDS.length)];
  const a = pick();
  const b = pick();
  const entity = `${cap(a)}${cap(b)}`;
  const out: string[] = [];
  out.push(`import { ${cap(pick())}Service } from '../${pick()}/${pick()}Service';`);
  out.push(`import type { ${cap(pick())}${cap(pick())} } from '../models/${pick()}';`, '');
  out.push(`export interface ${entity} {`, `  id: string;`, `  ${a}Id: string;`, `  ${b}Count: number;`, `  ${pick()}At: Date;`, '}', '');
  let fn = 0;
  while (out.length < lines) {
    const verb = ['load', 'save', 'compute', 'validate', 'merge', 'render', 'sync', 'archive'][Math.floor(rnd() * 8)];
    const noun = `${cap(pick())}${cap(pick())}`;
    out.push(`/** ${verb} the ${noun.toLowerCase()} of a ${a} ${b}. */`);
    out.push(`export async function ${verb}${noun}${fn}(${a}: ${entity}, options: ${cap(pick())}Options): Promise<${noun}> {`);
    const body = 3 + Math.floor(rnd() * 9);
    for (let i = 0; i < body; i++) {
      const w = pick();
      out.push(`  const ${w}${i} = await options.${pick()}Client.${verb}${cap(w)}(${a}.${a}Id, ${Math.floor(rnd() * 1000)});`);
    }
    out.push(`  return { ...${a}, ${b}Count: ${a}.${b}Count + 1 } as unknown as ${noun};`, '}', '');
    fn++;
  }
  return { path: `src/${a}/${b}${index}.ts`, text: out.slice(0, lines).join('\n') + '\n' };
}

export function syntheticWorkspace(files: number, linesPerFile = 120, seed = 1): { path: string; text: string }[] {
  return Array.from({ length: files }, (_, i) => syntheticFile(i, linesPerFile + ((i * 37) % 80), seed));
}
