import type { Region } from '../models/customer';

export const TAX_RATES_BY_REGION: Record<Region, number> = { EU: 0.2, US: 0.07, UK: 0.2 };

/** Sales tax in cents for an amount in cents. */
export function computeSalesTax(amountCents: number, region: Region): number {
  return Math.round(amountCents * TAX_RATES_BY_REGION[region]);
}
