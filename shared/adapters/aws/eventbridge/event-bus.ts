// EventBus on Amazon EventBridge: domain events to the product's custom bus (EVENT_BUS_NAME), where a
// rule routes them to the notifier. Source "autocoin.futures", detail-type = the event type.
// The SDK module loads on first publish (see the SQS adapter: read-only webhook cold starts skip it).
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DomainEvent } from '../../../domain/events.ts';
import type { EventBus } from '../../../ports/event-bus.ts';

export const EVENT_SOURCE = 'autocoin.futures';

export class EventBridgeBus implements EventBus {
  private sdk?: Promise<{ client: EventBridgeClient; m: typeof import('@aws-sdk/client-eventbridge') }>;

  constructor(
    private readonly busName: string,
    private readonly givenClient?: EventBridgeClient,
  ) {}

  private load() {
    this.sdk ??= import('@aws-sdk/client-eventbridge').then((m) => ({
      m,
      client: this.givenClient ?? new m.EventBridgeClient({}),
    }));
    return this.sdk;
  }

  static fromEnv(env: Record<string, string | undefined> = process.env): EventBridgeBus {
    const name = env.EVENT_BUS_NAME;
    if (!name) throw new Error('EVENT_BUS_NAME is not set: the EventBridge bus for domain events');
    return new EventBridgeBus(name);
  }

  async publish(event: DomainEvent): Promise<void> {
    const { client, m } = await this.load();
    const r = await client.send(
      new m.PutEventsCommand({
        Entries: [
          {
            EventBusName: this.busName,
            Source: EVENT_SOURCE,
            DetailType: event.type,
            Detail: JSON.stringify(event),
            Time: new Date(event.time),
          },
        ],
      }),
    );
    if ((r.FailedEntryCount ?? 0) > 0)
      throw new Error(`EventBridge rejected ${event.type}: ${r.Entries?.[0]?.ErrorCode ?? 'unknown'}`);
  }
}
