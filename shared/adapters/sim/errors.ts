// Errors only the simulated exchange raises, as subclasses of the port's named errors (the executor
// decides on the port's classes; these say more to a test or a report).
import { InvalidOrder } from '../../ports/exchange-errors.ts';

/**
 * The spot market has no price now: a spot halt or maintenance (the spot candles have a gap), or the
 * spot series has ended. Binance answers an order on a halted market "Market is closed." and creates
 * no order; so does the simulator, and the id stays free. Not retryable as is.
 */
export class SpotMarketClosed extends InvalidOrder {
  override readonly name: string = 'SpotMarketClosed';
}
