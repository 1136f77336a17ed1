// The executor's failure classes: the queue adapter and handler decide on the class, never on text.
import { type ExchangeError, RateLimited } from '../../ports/exchange-errors.ts';

/** A transient failure: leave the message on the queue; its redelivery reconciles. */
export class RetryLater extends Error {
  override readonly name = 'RetryLater';
  constructor(
    message: string,
    /** How long to wait before the redelivery can succeed (a rate limit's retry-after, a lookup's lag). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The outcome is unknown after every allowed attempt: the message must dead-letter and alarm. */
export class OrderOutcomeUnknown extends Error {
  override readonly name = 'OrderOutcomeUnknown';
}

/** A RetryLater for an exchange error, carrying a rate limit's retry-after. */
export function retryLaterFor(what: string, err: ExchangeError): RetryLater {
  return new RetryLater(
    `${what}: ${err.name}: ${err.message}`,
    err instanceof RateLimited ? err.retryAfterMs : undefined,
  );
}

/** "Class: message" for records and alerts (the class is what a reader acts on). */
export function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 500) : String(err).slice(0, 500);
}
