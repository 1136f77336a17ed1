// EventBridge rules from the ONE schedule table (infra/schedules.ts): one rule per entry, and for the
// strategy tick one per (strategy, symbol) of the assignment (shared/config/strategy-symbols.ts), whose
// input carries them and the scheduled time.
import { Duration } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { StrategyName } from '../../../shared/domain/primitives.ts';
import { SCHEDULES, type ScheduleEntry } from '../../schedules.ts';

export class Schedules extends Construct {
  readonly rules: { entry: ScheduleEntry; rule: Rule; strategy?: string; symbol?: string }[] = [];
  constructor(
    scope: Construct,
    id: string,
    props: {
      functions: Record<ScheduleEntry['fn'], IFunction>;
      /** The strategy ticks: each strategy on the symbols assigned to it, never the cross product. */
      ticks: readonly { strategy: StrategyName; symbol: string }[];
    },
  ) {
    super(scope, id);
    for (const entry of SCHEDULES) {
      const schedule = Schedule.rate(Duration.minutes(entry.rateMinutes));
      const fn = props.functions[entry.fn];
      // Lambda's own asynchronous retries (two by default, up to 6 h later) would re-run a failed
      // monitor on top of the next minute's run and a strategy tick long after its hour: none. An
      // event older than its bound is dropped rather than run late.
      fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: maxEventAgeOf(entry) });
      if (entry.perStrategySymbol) {
        for (const { strategy, symbol } of props.ticks) {
          const rule = new Rule(this, `${entry.fn}-${strategy}-${symbol}`, {
            schedule,
            description: `${entry.fn} ${strategy} ${symbol} every ${entry.rateMinutes} min`,
          });
          rule.addTarget(
            new LambdaFunction(fn, {
              event: RuleTargetInput.fromObject({ strategy, symbol, time: EventField.time }),
              // EventBridge retries a failed delivery (a throttle), within the same bound.
              retryAttempts: 2,
              maxEventAge: maxEventAgeOf(entry),
            }),
          );
          this.rules.push({ entry, rule, strategy, symbol });
        }
      } else {
        const rule = new Rule(this, entry.fn, {
          schedule,
          description: `${entry.fn} every ${entry.rateMinutes} min${entry.innerLoopVariables ? ` (inner loop while exposed: ${entry.innerLoopVariables.join(', ')})` : ''}`,
        });
        // A monitor invocation that failed is not retried: the next minute's runs anyway, and a retry
        // could overlap it.
        rule.addTarget(
          new LambdaFunction(fn, {
            event: RuleTargetInput.fromObject({ time: EventField.time }),
            retryAttempts: 0,
            maxEventAge: maxEventAgeOf(entry),
          }),
        );
        this.rules.push({ entry, rule });
      }
    }
  }
}

/**
 * How late a scheduled event may still run: a one-minute monitor only within its minute (60 s is
 * Lambda's minimum), anything slower within a tenth of its period, at least a minute.
 */
export function maxEventAgeOf(entry: ScheduleEntry): Duration {
  return Duration.seconds(Math.max(60, Math.round((entry.rateMinutes * 60) / 10)));
}
