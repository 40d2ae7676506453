export type LoyaltyTier = 'bronze' | 'silver' | 'gold';

export interface Customer {
  id: string;
  email: string;
  loyaltyTier: LoyaltyTier;
  region: Region;
}

export type Region = 'EU' | 'US' | 'UK';
