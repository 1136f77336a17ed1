// Lambda: risk-monitor (EventBridge every minute; inner loop every RISK_MONITOR_INTERVAL_SECONDS).
import { Logger } from '@aws-lambda-powertools/logger';
import { makeMonitorHandler } from '../../shared/app/monitors/monitor-handler.ts';
import { riskMonitorOnce } from '../../shared/app/monitors/risk-monitor.ts';
import { monitorDeps, once } from '../production-deps.ts';

export const handler = makeMonitorHandler(
  (d) => d.config.RISK_MONITOR_INTERVAL_SECONDS,
  riskMonitorOnce,
  once(() => monitorDeps('risk-monitor')),
  { name: 'risk-monitor', logger: new Logger({ serviceName: 'risk-monitor' }) },
);
