export interface ChargeResult {
  ok: boolean;
  transactionId?: string;
  declineReason?: 'insufficient_funds' | 'expired_card' | 'fraud_suspected';
}

/** The payment provider behind an interface, so tests can script it. */
export interface PaymentGateway {
  charge(amountCents: number, paymentToken: string): Promise<ChargeResult>;
  refund(transactionId: string): Promise<void>;
}
