/**
 * Prompt parts with priorities. When the parts are over budget the lowest-priority parts go first;
 * duplicates (the same code twice, or code already inside a higher-priority part) are dropped; the
 * kept parts come out in a stable order, so the same inputs always give the same prompt.
 */
import { countTokens } from '../prompt/tokens';

export interface PromptPart {
  /** Unique and stable, e.g. `definition:src/a.ts:12`. */
  id: string;
  /** Higher is more important. Ties keep the order of `order`, then of `id`. */
  priority: number;
  /** Where the part goes in the prompt (ascending). */
  order: number;
  text: string;
  /** Tokens of `text`; counted when absent. */
  tokens?: number;
}

export interface FittedParts<P extends PromptPart> {
  kept: P[];
  dropped: { part: P; reason: 'duplicate' | 'budget' }[];
  tokens: number;
}

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function byImportance(a: PromptPart, b: PromptPart): number {
  return b.priority - a.priority || a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Keeps parts within `budgetTokens`: duplicates out first, then the lowest priorities until the rest
 * fits. Returns the kept parts sorted by `order` (ties by priority, then id).
 */
export function fitParts<P extends PromptPart>(parts: readonly P[], budgetTokens: number): FittedParts<P> {
  const dropped: FittedParts<P>['dropped'] = [];
  const ranked = [...parts].sort(byImportance);
  const unique: { part: P; norm: string; tokens: number }[] = [];
  for (const part of ranked) {
    const norm = normalise(part.text);
    if (norm === '' || unique.some((u) => u.norm.includes(norm))) {
      dropped.push({ part, reason: 'duplicate' });
      continue;
    }
    unique.push({ part, norm, tokens: part.tokens ?? countTokens(part.text) });
  }
  let total = unique.reduce((s, u) => s + u.tokens, 0);
  while (unique.length > 0 && total > budgetTokens) {
    const lowest = unique.pop()!;
    total -= lowest.tokens;
    dropped.push({ part: lowest.part, reason: 'budget' });
  }
  const kept = unique.map((u) => u.part).sort((a, b) => a.order - b.order || byImportance(a, b));
  return { kept, dropped, tokens: total };
}
