import type { Product } from '../models/product';

export interface CartLine {
  product: Product;
  quantity: number;
}

export class ShoppingCart {
  readonly lines: CartLine[] = [];

  addLine(product: Product, quantity: number): void {
    const existing = this.lines.find((l) => l.product.sku === product.sku);
    if (existing) existing.quantity += quantity;
    else this.lines.push({ product, quantity });
  }

  removeLine(sku: string): void {
    const i = this.lines.findIndex((l) => l.product.sku === sku);
    if (i >= 0) this.lines.splice(i, 1);
  }

  get isEmpty(): boolean {
    return this.lines.length === 0;
  }
}
