import type { ShoppingCart } from '../cart/cart';
import type { Customer } from '../models/customer';
import type { PaymentGateway } from '../payments/gateway';

export interface Order {
  id: string;
  customerId: string;
  totalCents: number;
  transactionId: string;
  placedAt: Date;
}

export class OrderService {
  constructor(private readonly gateway: PaymentGateway) {}

  async placeOrder(cart: ShoppingCart, customer: Customer, paymentToken: string): Promise<Order> {
    throw new Error('not implemented');
  }
}
