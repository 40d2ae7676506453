import { createReview, joinRegion, type Eol, type Review } from '../../../src/core/edit/review';

/** Fewer random runs per mutant under mutation testing (StrykerJS workers); the full counts in `npm test`. */
export const runs = (n: number): number => (process.env.STRYKER_MUTATOR_WORKER ? Math.ceil(n / 5) : n);

/** A document under review: lines above the region, the region before and after the proposal, lines below. */
export interface ReviewDoc {
  prefix: string[];
  original: string[];
  proposal: string[];
  suffix: string[];
  eol: Eol;
}

/** The document's text with `region` in place: prefix lines, the region, suffix lines (no final newline when the region ends it). */
export function docText(d: ReviewDoc, region: string[]): string {
  const finalEol = d.suffix.length > 0;
  return d.prefix.map((l) => l + d.eol).join('') + joinRegion(region, d.eol, finalEol) + d.suffix.join(d.eol);
}

/** The review of the whole proposal, as a finished stream gives it. */
export function proposalReview(d: ReviewDoc): Review {
  const finalEol = d.suffix.length > 0;
  return createReview({
    startLine: d.prefix.length,
    originalText: joinRegion(d.original, d.eol, finalEol),
    proposalText: joinRegion(d.proposal, d.eol, finalEol),
    eol: d.eol,
    finalEol,
  });
}
