// Lambda: funding-monitor (EventBridge hourly; one run per invocation).

import { Logger } from '@aws-lambda-powertools/logger';
import { fundingMonitorOnce } from '../../shared/app/monitors/funding-monitor.ts';
import { makeMonitorHandler } from '../../shared/app/monitors/monitor-handler.ts';
import { monitorDeps, once } from '../production-deps.ts';

export const handler = makeMonitorHandler(
  (d) => d.config.FUNDING_MONITOR_INTERVAL_SECONDS,
  fundingMonitorOnce,
  once(() => monitorDeps('funding-monitor')),
  { name: 'funding-monitor', logger: new Logger({ serviceName: 'funding-monitor' }) },
);
