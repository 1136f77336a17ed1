// Lambda: guardian — the position and risk monitors in one (EventBridge every minute, and the executor's
// wake-up after an entry; one check when flat, the 5 s / 30 s loop while exposed).
import { Logger } from '@aws-lambda-powertools/logger';
import { GUARDIAN, makeGuardianHandler } from '../../shared/app/monitors/guardian-handler.ts';
import { monitorDeps, once } from '../production-deps.ts';

export const handler = makeGuardianHandler(
  once(() => monitorDeps(GUARDIAN)),
  { logger: new Logger({ serviceName: GUARDIAN }) },
);
