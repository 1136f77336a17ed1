// MetricsSink on Powertools Metrics: Embedded Metric Format JSON lines in the function's logs, which
// CloudWatch turns into metrics — no API call on the hot path. Namespace AutoCoinFutures.
import { Metrics, MetricUnit as PowertoolsUnit } from '@aws-lambda-powertools/metrics';
import type { MetricsSink, MetricUnit } from '../../ports/metrics.ts';

export const METRICS_NAMESPACE = 'AutoCoinFutures';

const UNITS = {
  Count: PowertoolsUnit.Count,
  None: PowertoolsUnit.NoUnit,
  Percent: PowertoolsUnit.Percent,
  Milliseconds: PowertoolsUnit.Milliseconds,
} as const satisfies Record<MetricUnit, string>;

export class EmfMetrics implements MetricsSink {
  private readonly metrics: Metrics;
  constructor(serviceName: string) {
    this.metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  }
  add(name: string, value: number, unit: MetricUnit, dimensions?: Record<string, string>): void {
    if (!Number.isFinite(value)) return; // EMF rejects non-finite values; ∞ distance means "no risk"
    if (dimensions && Object.keys(dimensions).length > 0) {
      const single = this.metrics.singleMetric();
      for (const [k, v] of Object.entries(dimensions)) single.addDimension(k, v);
      single.addMetric(name, UNITS[unit], value);
      return;
    }
    this.metrics.addMetric(name, UNITS[unit], value);
  }
  flush(): void {
    this.metrics.publishStoredMetrics();
  }
}
