// Domain events out: EventBridge in AWS, in-process locally and in tests.
import type { DomainEvent } from '../domain/events.ts';

export interface EventBus {
  publish(event: DomainEvent): Promise<void>;
}
