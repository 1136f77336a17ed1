// Binance's answers → the port's error classes (shared/ports/exchange-errors.ts). The executor decides
// retry / reconcile / reject / "order gone" on these classes, so the mapping is deliberate per code
// (Binance USD-M and spot "Error Codes" pages) and never falls back to "order gone".
import ccxt from 'ccxt';
import { redactSecrets } from '../../config/redact.ts';
import {
  AuthenticationFailed,
  DuplicateClientOrderId,
  ExchangeError,
  ExchangeUnavailable,
  InsufficientBalance,
  InsufficientMargin,
  InvalidOrder,
  NoIsolatedPosition,
  OrderNotFound,
  RateLimited,
} from '../../ports/exchange-errors.ts';

/**
 * Strip anything credential-like from an error message before it travels anywhere: this adapter's own
 * keys and patterns, then the process-wide redaction (every secret read so far, bot tokens).
 */
export function redact(message: string, secrets: readonly string[] = []): string {
  let m = message.replace(
    /(signature|apiKey|api_key|secret|X-MBX-APIKEY)([=:"\s]+)[A-Za-z0-9%._-]+/gi,
    '$1$2[redacted]',
  );
  for (const s of secrets) if (s.length >= 6) m = m.split(s).join('[redacted]');
  return redactSecrets(m).slice(0, 600);
}

type Make = (msg: string, retryAfterMs?: number) => Error;
const unavailable: Make = (m) => new ExchangeUnavailable(m);
const rejected: Make = (m) => new InvalidOrder(m);
const auth: Make = (m) =>
  new AuthenticationFailed(`${m} — check the API key, its permissions and IP whitelist`);
const gone: Make = (m) => new OrderNotFound(m);

/**
 * Binance error codes → port classes. Binance's code decides before ccxt's class: ccxt maps several codes
 * broadly (on USD-M -2011 and -2015 are OperationRejected, -2019 OperationFailed, -4015 BadRequest).
 */
const BINANCE_CODES: Record<string, Make> = {
  // The request was not (or may not have been) processed: the outcome is unknown, try again.
  '-1000': unavailable, // An unknown error occurred while processing the request.
  '-1001': unavailable, // Internal error; unable to process your request. Please try again.
  '-1007': unavailable, // Timeout waiting for response from backend server. Execution status unknown.
  '-1008': unavailable, // Server is currently overloaded with other requests.
  '-1021': unavailable, // Timestamp outside recvWindow: refused, nothing done; retry after clock sync.
  '-1003': (m, after) => new RateLimited(m, after ?? 60_000), // Too many requests (429, or 418 ban).
  '-1015': (m, after) => new RateLimited(m, after ?? 10_000), // Too many new orders.
  // The key is refused: nothing was done, and repeating will not help until a human fixes it.
  '-1002': auth, // You are not authorized to execute this request.
  '-1022': auth, // Signature for this request is not valid.
  '-1099': auth, // Not found, authenticated, or authorized.
  '-2014': auth, // API-key format invalid.
  '-2015': auth, // Invalid API-key, IP, or permissions for action.
  // The order does not exist (or is no longer open): the only answers that say "gone".
  '-2011': gone, // Unknown order sent (cancel of an order not open).
  '-2013': gone, // Order does not exist.
  // Rejections: this request will not succeed as is.
  '-2018': (m) => new InsufficientMargin(m), // Balance is insufficient.
  '-2019': (m) => new InsufficientMargin(m), // Margin is insufficient.
  '-4116': (m) => new DuplicateClientOrderId(m), // ClientOrderId is duplicated.
  '-4015': rejected, // Client order id is not valid (a malformed id: a rejection, not a duplicate).
  '-1111': rejected, // Precision is over the maximum defined for this asset.
  '-2021': rejected, // Order would immediately trigger.
  '-2022': rejected, // ReduceOnly Order is rejected.
  '-2027': rejected, // Exceeded the maximum allowable position at current leverage.
  '-4164': rejected, // Order's notional must be no smaller than the minimum.
  // Margin moves (POST /fapi/v1/positionMargin, POST /sapi/v1/asset/transfer).
  '-4049': (m) => new NoIsolatedPosition(m), // Add margin only support for isolated position.
  '-4054': (m) => new NoIsolatedPosition(m), // Cannot add position margin: position is 0.
  '-4050': (m) => new InsufficientBalance(m), // Cross balance insufficient.
  '-4051': (m) => new InsufficientBalance(m), // Isolated balance insufficient.
  '-4055': rejected, // Amount must be positive.
  '-5002': (m) => new InsufficientBalance(m), // You have insufficient balance.
  '-5013': (m) => new InsufficientBalance(m), // Asset transfer failed: insufficient balance (ccxt: undocumented).
  '-3041': (m) => new InsufficientBalance(m), // Balance is not enough.
};

interface HttpFacts {
  status: number;
  retryAfterMs?: number;
}
const httpFacts = new WeakMap<object, HttpFacts>();

/** Binance's Retry-After (seconds) on 429/418, in ms. */
function retryAfterMsOf(headers: Record<string, unknown> | undefined): number | undefined {
  const v = Number(headers?.['Retry-After'] ?? headers?.['retry-after']);
  return Number.isFinite(v) && v >= 0 ? v * 1000 : undefined;
}

/**
 * ccxt's errors carry neither the HTTP status nor the headers: wrap the instance's error hook so every
 * error thrown for an HTTP answer remembers both (Retry-After decides how long a rate limit waits).
 */
export function rememberHttpFacts(ex: InstanceType<typeof ccxt.binance>): void {
  const handle = ex.handleErrors.bind(ex);
  ex.handleErrors = (code, reason, url, method, headers, body, response, reqHeaders, reqBody) => {
    try {
      const r = handle(code, reason, url, method, headers, body, response, reqHeaders, reqBody);
      if (r === undefined && code >= 400) ex.handleHttpStatusCode(code, reason, url, method, body);
      return r;
    } catch (err) {
      if (err && typeof err === 'object')
        httpFacts.set(err, { status: code, retryAfterMs: retryAfterMsOf(headers) });
      throw err;
    }
  };
}

export function mapBinanceError(what: string, err: unknown, secrets: readonly string[]): Error {
  if (err instanceof ExchangeError) return err;
  const msg = redact(`${what}: ${err instanceof Error ? err.message : String(err)}`, secrets);
  const http = err && typeof err === 'object' ? httpFacts.get(err) : undefined;
  const code = /"code":\s*"?(-?\d+)/.exec(msg)?.[1];
  const byCode = code ? BINANCE_CODES[code] : undefined;
  if (byCode) return byCode(msg, http?.retryAfterMs);
  const status = http?.status ?? 0;
  if (status === 401) return auth(msg);
  if (status === 418 || status === 429) return new RateLimited(msg, http?.retryAfterMs ?? 2_000);
  if (status >= 500) return unavailable(msg); // Binance: 5xx = outcome unknown, never a failure.
  if (err instanceof ccxt.AuthenticationError) return auth(msg); // includes PermissionDenied
  if (err instanceof ccxt.RateLimitExceeded || err instanceof ccxt.DDoSProtection)
    return new RateLimited(msg, http?.retryAfterMs ?? 2_000);
  // NetworkError (timeouts, 5xx, maintenance) and OperationFailed: the outcome is not known.
  if (err instanceof ccxt.NetworkError || err instanceof ccxt.OperationFailed) return unavailable(msg);
  if (err instanceof ccxt.InsufficientFunds) return new InsufficientMargin(msg);
  if (err instanceof ccxt.DuplicateOrderId) return new DuplicateClientOrderId(msg);
  if (err instanceof ccxt.OrderNotFound) return new ExchangeError(msg); // no Binance code: not proof
  if (err instanceof ccxt.InvalidOrder || err instanceof ccxt.BadRequest || err instanceof ccxt.BadSymbol)
    return rejected(msg);
  // Anything else (an unknown code, ccxt's own OrderNotFound without a Binance code, a parse failure)
  // is a plain, non-retryable ExchangeError: never "order gone", never silently retried.
  return new ExchangeError(msg);
}
