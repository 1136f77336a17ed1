// Named errors of the Exchange port. Every adapter (simulator, Binance through ccxt) throws these, and
// the executor decides retry / reconcile / reject on the class, never on message text.

/** Base class: `retryable` says whether the same request may succeed later unchanged. */
export class ExchangeError extends Error {
  readonly retryable: boolean = false;
}

/** Not enough margin or balance for the order. Not retryable as is. */
export class InsufficientMargin extends ExchangeError {
  override readonly name: string = 'InsufficientMargin';
}

/** Not enough free USDT in the wallet a margin move takes it from. Not retryable as is. */
export class InsufficientBalance extends InsufficientMargin {
  override readonly name: string = 'InsufficientBalance';
}

/** The exchange refuses the order as malformed or not allowed (precision, min notional, reduce-only…). */
export class InvalidOrder extends ExchangeError {
  override readonly name: string = 'InvalidOrder';
}

/** A second order with a clientOrderId already used. The first one stands: reconcile, never re-create. */
export class DuplicateClientOrderId extends InvalidOrder {
  override readonly name: string = 'DuplicateClientOrderId';
}

/** Margin can be added only to an isolated position, and there is none on the symbol (Binance -4049, -4054). */
export class NoIsolatedPosition extends InvalidOrder {
  override readonly name: string = 'NoIsolatedPosition';
}

/**
 * The exchange refused our credentials or their permissions (Binance -2014/-2015, HTTP 401): nothing
 * was done, and retrying will not help until a human fixes the key. Never read as "order gone".
 */
export class AuthenticationFailed extends ExchangeError {
  override readonly name: string = 'AuthenticationFailed';
}

/** No order with that id. */
export class OrderNotFound extends ExchangeError {
  override readonly name: string = 'OrderNotFound';
}

/**
 * The exchange did not answer or answered 5xx. The outcome of a create is UNKNOWN: the caller must
 * reconcile by clientOrderId before trying again.
 */
export class ExchangeUnavailable extends ExchangeError {
  override readonly name: string = 'ExchangeUnavailable';
  override readonly retryable = true;
}

/** Rate limited (HTTP 429/418). Retry after `retryAfterMs`. */
export class RateLimited extends ExchangeError {
  override readonly name: string = 'RateLimited';
  override readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterMs = 1_000,
  ) {
    super(message);
  }
}
