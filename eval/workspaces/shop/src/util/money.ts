/** Formats integer cents for display, e.g. formatCents(1999, 'EUR') → "€19.99". */
export function formatCents(cents: number, currency: 'EUR' | 'USD' | 'GBP'): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(cents / 100);
}

export function parseMoney(text: string): number {
  return Math.round(Number(text.replace(/[^0-9.]/g, '')) * 100);
}
