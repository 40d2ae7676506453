import type { LoyaltyTier } from '../models/customer';

export const LOYALTY_DISCOUNT_RATES: Record<LoyaltyTier, number> = {
  bronze: 0,
  silver: 0.05,
  gold: 0.1,
};

/** Applies the customer's loyalty discount to a total in cents, rounding down. */
export function applyLoyaltyDiscount(totalCents: number, tier: LoyaltyTier): number {
  return Math.floor(totalCents * (1 - LOYALTY_DISCOUNT_RATES[tier]));
}
