// The executor's wake-up of the guardian on EventBridge: one "GuardianWake" event (source
// "autocoin.guardian", so the notifier's rule never sees it) on the product's bus, where a rule invokes
// the guardian with `wake: true` (infra/aws/stack.ts). Cheaper than a loop that runs while flat: one
// custom event ($1 per million) per entry. A wake-up that fails is logged, never thrown: the order it
// follows is already placed and protected by its exchange stop, and the next minute's run starts the loop.
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';

export const GUARDIAN_WAKE_SOURCE = 'autocoin.guardian';
export const GUARDIAN_WAKE_DETAIL_TYPE = 'GuardianWake';

export function eventBridgeGuardianWake(
  busName: string,
  givenClient?: EventBridgeClient,
  warn: (message: string) => void = (m) => console.warn(m),
): (at: number) => Promise<void> {
  let sdk:
    | Promise<{ client: EventBridgeClient; m: typeof import('@aws-sdk/client-eventbridge') }>
    | undefined;
  return async (at) => {
    try {
      sdk ??= import('@aws-sdk/client-eventbridge').then((m) => ({
        m,
        client: givenClient ?? new m.EventBridgeClient({}),
      }));
      const { client, m } = await sdk;
      const r = await client.send(
        new m.PutEventsCommand({
          Entries: [
            {
              EventBusName: busName,
              Source: GUARDIAN_WAKE_SOURCE,
              DetailType: GUARDIAN_WAKE_DETAIL_TYPE,
              Detail: JSON.stringify({ at }),
              Time: new Date(at),
            },
          ],
        }),
      );
      if ((r.FailedEntryCount ?? 0) > 0)
        warn(`guardian wake-up refused: ${r.Entries?.[0]?.ErrorCode ?? 'unknown'}`);
    } catch (err) {
      warn(`guardian wake-up failed: ${err instanceof Error ? err.name : String(err)}`);
    }
  };
}
