// The ONE list of CloudWatch custom metrics: what the EMF adapter sends as a metric (everything else a
// function adds goes to its structured log line — free to query with Logs Insights), what the alarms and
// the dashboard may read (infra/aws/constructs/observability.ts) and what the cost model bills
// (infra/cost.ts). A custom metric costs $0.30 a month, prorated by the hours it receives data (AWS
// CloudWatch pricing, "Metrics"), so each entry says when it is sent. Each is sent by one function only
// (Powertools' `service` dimension): one series per metric, never a second `Equity` from another service.
import type { MetricUnit } from '../../ports/metrics.ts';

export interface CatalogMetric {
  name: string;
  /** The one function that sends it (the `service` dimension); other functions' values are logged only. */
  service: string;
  unit: MetricUnit;
  /** When it is sent: every invocation, only while in a position, or only when an order is rejected. */
  sent: 'always' | 'exposed' | 'rejections';
  /** Who reads it: an alarm, the dashboard, or both. */
  readBy: readonly ('alarm' | 'dashboard')[];
}

export const CLOUDWATCH_METRICS: readonly CatalogMetric[] = [
  // Equity and the day's PnL while in a position (flat, they are logged: EquityFlat, DailyPnlPctFlat).
  { name: 'Equity', service: 'guardian', unit: 'None', sent: 'exposed', readBy: ['dashboard'] },
  {
    name: 'DailyPnlPct',
    service: 'guardian',
    unit: 'Percent',
    sent: 'exposed',
    readBy: ['alarm', 'dashboard'],
  },
  { name: 'Heartbeat', service: 'guardian', unit: 'Count', sent: 'always', readBy: ['alarm'] },
  {
    name: 'MarginRatioPct',
    service: 'guardian',
    unit: 'Percent',
    sent: 'exposed',
    readBy: ['alarm', 'dashboard'],
  },
  {
    // The closest position's distance (no symbol dimension: one series and one alarm whatever the
    // symbols; the guardian's Telegram alert names the symbol).
    name: 'LiquidationDistancePct',
    service: 'guardian',
    unit: 'Percent',
    sent: 'exposed',
    readBy: ['alarm', 'dashboard'],
  },
  // Sent only when the executor rejects an order: billed for the hours with a rejection.
  {
    name: 'OrdersRejected',
    service: 'order-executor',
    unit: 'Count',
    sent: 'rejections',
    readBy: ['dashboard'],
  },
];

export const METRICS_NAMESPACE = 'AutoCoinFutures';

/** The catalog's metrics a function sends. */
export function metricsOf(service: string): ReadonlySet<string> {
  return new Set(CLOUDWATCH_METRICS.filter((m) => m.service === service).map((m) => m.name));
}
