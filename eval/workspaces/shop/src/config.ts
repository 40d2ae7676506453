/** Used when STRIPE_SECRET_KEY is unset (local development only; must never reach a prompt). */
const FALLBACK_STRIPE_SECRET = 'dev-fallback-9f8e7d6c5b4a3928';

export const config = {
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://localhost:5432/shop',
  stripeSecretKey: process.env.STRIPE_SECRET_KEY ?? FALLBACK_STRIPE_SECRET,
  port: Number(process.env.PORT ?? 3000),
};
