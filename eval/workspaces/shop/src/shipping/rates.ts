import type { Region } from '../models/customer';

/** Orders at or above this subtotal ship for free. */
export const FREE_SHIPPING_THRESHOLD_CENTS = 5000;

const BASE_RATE_CENTS: Record<Region, number> = { EU: 499, US: 599, UK: 399 };

/** Shipping cost in cents for a parcel of the given weight to a destination region. */
export function estimateShippingCents(weightGrams: number, destination: Region): number {
  return BASE_RATE_CENTS[destination] + Math.ceil(weightGrams / 500) * 100;
}
