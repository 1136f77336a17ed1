// Lambda: position-monitor (EventBridge every minute; inner loop every POSITION_MONITOR_INTERVAL_SECONDS).
import { Logger } from '@aws-lambda-powertools/logger';
import { makeMonitorHandler } from '../../shared/app/monitors/monitor-handler.ts';
import { positionMonitorOnce } from '../../shared/app/monitors/position-monitor.ts';
import { monitorDeps, once } from '../production-deps.ts';

export const handler = makeMonitorHandler(
  (d) => d.config.POSITION_MONITOR_INTERVAL_SECONDS,
  positionMonitorOnce,
  once(() => monitorDeps('position-monitor')),
  { name: 'position-monitor', logger: new Logger({ serviceName: 'position-monitor' }) },
);
