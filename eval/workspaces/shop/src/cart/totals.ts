import type { ShoppingCart } from './cart';

export function cartSubtotalCents(cart: ShoppingCart): number {
  return cart.lines.reduce((sum, line) => sum + line.product.priceCents * line.quantity, 0);
}

export function cartWeightGrams(cart: ShoppingCart): number {
  return cart.lines.reduce((sum, line) => sum + line.product.weightGrams * line.quantity, 0);
}
