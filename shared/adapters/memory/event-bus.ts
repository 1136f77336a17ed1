// In-process event bus: keeps every event and calls subscribers (the local notifier, tests).
import type { DomainEvent } from '../../domain/events.ts';
import type { EventBus } from '../../ports/event-bus.ts';

export class MemoryEventBus implements EventBus {
  readonly events: DomainEvent[] = [];
  private readonly subscribers: ((e: DomainEvent) => void | Promise<void>)[] = [];

  subscribe(fn: (e: DomainEvent) => void | Promise<void>): void {
    this.subscribers.push(fn);
  }

  async publish(event: DomainEvent): Promise<void> {
    this.events.push(event);
    for (const s of this.subscribers) await s(event);
  }
}
