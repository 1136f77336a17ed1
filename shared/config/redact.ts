// One redaction for every log and error path: secrets the process has loaded (Binance keys, the bot
// token, the webhook secret) are remembered here when read, and any text leaving the process through a
// log line or an error is passed through `redactSecrets`. Patterns catch what was never registered: a
// bot token inside a Bot API URL, credential-looking query parameters and headers.

const remembered = new Set<string>();

/** Remember a secret value so that it is masked wherever it later appears. Short values are ignored. */
export function rememberSecret(value: string | undefined): void {
  if (value && value.length >= 8) remembered.add(value);
}

const BOT_TOKEN = /(?<![0-9])\d{5,}:[A-Za-z0-9_-]{30,}/g;
const CREDENTIAL_FIELD =
  /(signature|apiKey|api_key|secret|secret_token|X-MBX-APIKEY)([=:"\s]+)[A-Za-z0-9%._-]+/gi;

export function redactSecrets(text: string): string {
  let out = text;
  for (const s of remembered) out = out.split(s).join('[redacted]');
  return out.replace(BOT_TOKEN, '[redacted-bot-token]').replace(CREDENTIAL_FIELD, '$1$2[redacted]');
}

/** A log entry with every string in it redacted (nested objects and arrays included). */
export function redactFields<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map(redactFields) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactFields(v)])) as T;
  return value;
}

/** The same error, its message and stack redacted (in place: class and fields stay for the caller). */
export function redactError<T>(err: T): T {
  if (err instanceof Error) {
    err.message = redactSecrets(err.message);
    if (err.stack) err.stack = redactSecrets(err.stack);
    // telegraf and ccxt attach request details (URLs, payloads) as fields.
    for (const key of Object.keys(err)) {
      const v = (err as unknown as Record<string, unknown>)[key];
      if (typeof v === 'string') (err as unknown as Record<string, unknown>)[key] = redactSecrets(v);
    }
  }
  return err;
}

/** middy middleware: whatever a handler throws leaves the function redacted (Lambda logs it). */
export function redactingErrors() {
  return {
    onError: async (request: { error: unknown }) => {
      redactError(request.error);
    },
  };
}
