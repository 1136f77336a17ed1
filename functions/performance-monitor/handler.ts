// Lambda: performance-monitor (EventBridge every 5 minutes; one run per invocation).
import { Logger } from '@aws-lambda-powertools/logger';
import { makeMonitorHandler } from '../../shared/app/monitors/monitor-handler.ts';
import { performanceMonitorOnce } from '../../shared/app/monitors/performance-monitor.ts';
import { monitorDeps, once } from '../production-deps.ts';

export const handler = makeMonitorHandler(
  (d) => d.config.PERFORMANCE_INTERVAL_SECONDS,
  performanceMonitorOnce,
  once(() => monitorDeps('performance-monitor')),
  { name: 'performance-monitor', logger: new Logger({ serviceName: 'performance-monitor' }) },
);
