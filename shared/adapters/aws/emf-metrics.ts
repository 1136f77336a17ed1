// MetricsSink on Powertools Metrics: Embedded Metric Format JSON in the function's logs, which CloudWatch
// turns into metrics — no API call on the hot path. Only the catalog's metrics for this function are
// metrics (./metric-catalog.ts); every other value is a plain property of the same document (or of one
// JSON log line when there is no metric), queryable in Logs Insights at no metric cost. One document per
// flush, and the handlers flush once per invocation; nothing at all when nothing was added (no
// "No application metrics to publish" warning).
import { Metrics, MetricUnit as PowertoolsUnit } from '@aws-lambda-powertools/metrics';
import type { MetricsSink, MetricUnit } from '../../ports/metrics.ts';
import { METRICS_NAMESPACE, metricsOf } from './metric-catalog.ts';

export { METRICS_NAMESPACE } from './metric-catalog.ts';

const UNITS = {
  Count: PowertoolsUnit.Count,
  None: PowertoolsUnit.NoUnit,
  Percent: PowertoolsUnit.Percent,
  Milliseconds: PowertoolsUnit.Milliseconds,
} as const satisfies Record<MetricUnit, string>;

export class EmfMetrics implements MetricsSink {
  private readonly metrics: Metrics;
  private readonly published: ReadonlySet<string>;
  private sent = 0;
  /** Logged values: `Name` or `Name.dimension-values` → the values added this invocation. */
  private logged = new Map<string, number[]>();
  constructor(
    private readonly serviceName: string,
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {
    this.metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
    this.published = metricsOf(serviceName);
  }
  add(name: string, value: number, unit: MetricUnit, dimensions?: Record<string, string>): void {
    if (!Number.isFinite(value)) return; // EMF rejects non-finite values; ∞ distance means "no risk"
    const dims = Object.values(dimensions ?? {});
    if (this.published.has(name)) {
      // The catalog's metrics carry the service dimension only; a per-symbol value is logged beside it.
      this.metrics.addMetric(name, UNITS[unit], value);
      this.sent++;
      if (dims.length === 0) return;
    }
    const key = [name, ...dims].join('.');
    this.logged.set(key, [...(this.logged.get(key) ?? []), value]);
  }
  flush(): void {
    const values = Object.fromEntries(
      [...this.logged].map(([k, v]) => [k, v.length === 1 ? v[0]! : v] as const),
    );
    this.logged = new Map();
    if (this.sent > 0) {
      const doc = this.metrics.serializeMetrics() as unknown as Record<string, unknown>;
      this.metrics.clearMetrics();
      this.sent = 0;
      // Logged values never overwrite a metric or the EMF metadata.
      this.write(JSON.stringify({ ...values, ...doc }));
      return;
    }
    if (Object.keys(values).length > 0)
      this.write(
        JSON.stringify({
          level: 'INFO',
          message: 'values',
          service: this.serviceName,
          timestamp: new Date().toISOString(),
          ...values,
        }),
      );
  }
}
