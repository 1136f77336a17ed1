// MetricsSink in memory, for tests and the local runtime's summary.
import type { MetricsSink, MetricUnit } from '../../ports/metrics.ts';

export class MemoryMetrics implements MetricsSink {
  readonly points: { name: string; value: number; unit: MetricUnit; dimensions: Record<string, string> }[] =
    [];
  add(name: string, value: number, unit: MetricUnit, dimensions: Record<string, string> = {}): void {
    this.points.push({ name, value, unit, dimensions });
  }
  flush(): void {}
  last(name: string, dimensions: Record<string, string> = {}): number | undefined {
    return [...this.points]
      .reverse()
      .find((p) => p.name === name && Object.entries(dimensions).every(([k, v]) => p.dimensions[k] === v))
      ?.value;
  }
}
