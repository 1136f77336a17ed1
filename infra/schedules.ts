// The ONE table of scheduled work: which function runs, at what EventBridge rate, with what inner loop.
// Read by the local runtime's scheduler, by the CDK stack (one EventBridge rule per entry) and by the cost
// model (npm run cost). Sub-minute intervals run inside a one-minute invocation; the intervals are
// configuration (the named variables), the rate is EventBridge's minimum of one minute.
import type { EnvVariableName } from '../shared/config/env.ts';

export interface ScheduleEntry {
  /** functions/<fn>/handler.ts */
  fn: 'strategy-tick' | 'guardian' | 'funding-monitor' | 'performance-monitor';
  /** EventBridge rate, minutes (EventBridge's minimum is 1). */
  rateMinutes: number;
  /**
   * The variables holding the inner-loop intervals in seconds (the first is the loop's slot); absent =
   * one run per invocation. The loop runs only while the account is exposed (`loopsWhileExposed`).
   */
  innerLoopVariables?: readonly EnvVariableName[];
  /** Flat, one check per invocation; exposed, the inner loop for the rest of the minute. */
  loopsWhileExposed?: boolean;
  /** One target per (strategy, symbol) of the assignment (the rule's input names them). */
  perStrategySymbol: boolean;
}

export const SCHEDULES: readonly ScheduleEntry[] = [
  { fn: 'strategy-tick', rateMinutes: 60, perStrategySymbol: true },
  {
    // The position and risk monitors in one function (shared/app/monitors/guardian.ts).
    fn: 'guardian',
    rateMinutes: 1,
    innerLoopVariables: ['POSITION_MONITOR_INTERVAL_SECONDS', 'RISK_MONITOR_INTERVAL_SECONDS'],
    loopsWhileExposed: true,
    perStrategySymbol: false,
  },
  { fn: 'funding-monitor', rateMinutes: 60, perStrategySymbol: false },
  { fn: 'performance-monitor', rateMinutes: 5, perStrategySymbol: false },
];
