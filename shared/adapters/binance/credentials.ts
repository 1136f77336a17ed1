// Binance API credentials: in AWS from an SSM SecureString parameter (BINANCE_SECRET_ID = its name; a
// Secrets Manager ARN is read too) holding JSON {"apiKey","secret"}, cached by Powertools Parameters
// (../aws/secure-value.ts); from the environment locally. Never logged:
// the values are remembered by the one redaction (shared/config/redact.ts) as soon as they are read.
import { z } from 'zod';
import { rememberSecret } from '../../config/redact.ts';
import { readSecureValue } from '../aws/secure-value.ts';

const CredentialsSchema = z.object({ apiKey: z.string().min(8), secret: z.string().min(8) });
export type BinanceCredentials = z.infer<typeof CredentialsSchema>;

/** A bad secret value is named by its id and the expected shape, never by any of its characters. */
export class MalformedCredentialsSecret extends Error {
  override readonly name = 'MalformedCredentialsSecret';
}

/**
 * Parse the secret's raw string ourselves: a JSON parse error (Powertools' `transform: 'json'`, or
 * JSON.parse) quotes the first characters of its input — here, of the key.
 */
export function parseCredentialsSecret(raw: unknown, secretId: string): BinanceCredentials {
  const shape = `secret ${secretId} must be JSON {"apiKey": "...", "secret": "..."}`;
  if (typeof raw !== 'string') throw new MalformedCredentialsSecret(`${shape} (it is not a string secret)`);
  rememberSecret(raw);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new MalformedCredentialsSecret(`${shape} (it is not valid JSON)`);
  }
  const r = CredentialsSchema.safeParse(value);
  if (!r.success) throw new MalformedCredentialsSecret(`${shape} (a field is missing or too short)`);
  rememberSecret(r.data.apiKey);
  rememberSecret(r.data.secret);
  return r.data;
}

export async function binanceCredentials(
  env: Record<string, string | undefined> = process.env,
  opts: { forceFetch?: boolean } = {},
): Promise<BinanceCredentials> {
  if (env.BINANCE_SECRET_ID) {
    // forceFetch: after an authentication error the cached value is the suspect one (key rotation).
    const raw = await readSecureValue(env.BINANCE_SECRET_ID, {
      maxAge: 300,
      forceFetch: opts.forceFetch ?? false,
    });
    return parseCredentialsSecret(raw, env.BINANCE_SECRET_ID);
  }
  const r = CredentialsSchema.safeParse({ apiKey: env.BINANCE_API_KEY, secret: env.BINANCE_API_SECRET });
  if (!r.success) {
    throw new Error(
      'Binance credentials missing: set BINANCE_SECRET_ID (AWS) or BINANCE_API_KEY and BINANCE_API_SECRET (local)',
    );
  }
  rememberSecret(r.data.apiKey);
  rememberSecret(r.data.secret);
  return r.data;
}
