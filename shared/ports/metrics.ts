// Metrics out: CloudWatch through Embedded Metric Format in AWS (Powertools Metrics), in memory in tests.
export type MetricUnit = 'Count' | 'None' | 'Percent' | 'Milliseconds';

export interface MetricsSink {
  add(name: string, value: number, unit: MetricUnit, dimensions?: Record<string, string>): void;
  /** Write what was added (one EMF document per dimension set). */
  flush(): void;
}
