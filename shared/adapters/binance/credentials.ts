// Binance API credentials: from AWS Secrets Manager in AWS (BINANCE_SECRET_ID, a JSON secret
// {"apiKey","secret"}, cached by Powertools Parameters), from the environment locally. Never logged.
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { z } from 'zod';

const CredentialsSchema = z.object({ apiKey: z.string().min(8), secret: z.string().min(8) });
export type BinanceCredentials = z.infer<typeof CredentialsSchema>;

export async function binanceCredentials(
  env: Record<string, string | undefined> = process.env,
  opts: { forceFetch?: boolean } = {},
): Promise<BinanceCredentials> {
  if (env.BINANCE_SECRET_ID) {
    // forceFetch: after an authentication error the cached value is the suspect one (key rotation).
    const value = await getSecret(env.BINANCE_SECRET_ID, {
      transform: 'json',
      maxAge: 300,
      forceFetch: opts.forceFetch ?? false,
    });
    const r = CredentialsSchema.safeParse(value);
    // The message names the secret and the expected shape, never its content.
    if (!r.success)
      throw new Error(`secret ${env.BINANCE_SECRET_ID} must be JSON {"apiKey": "...", "secret": "..."}`);
    return r.data;
  }
  const r = CredentialsSchema.safeParse({ apiKey: env.BINANCE_API_KEY, secret: env.BINANCE_API_SECRET });
  if (!r.success) {
    throw new Error(
      'Binance credentials missing: set BINANCE_SECRET_ID (AWS) or BINANCE_API_KEY and BINANCE_API_SECRET (local)',
    );
  }
  return r.data;
}
