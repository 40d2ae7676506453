/** A product as the catalogue stores it. Prices are integer cents. */
export interface Product {
  sku: string;
  title: string;
  priceCents: number;
  weightGrams: number;
  stock: number;
}

export function isInStock(product: Product, quantity = 1): boolean {
  return product.stock >= quantity;
}
