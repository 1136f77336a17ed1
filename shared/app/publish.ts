// Publishing domain events from use cases: an event feeds alerts and dashboards, so failing to publish
// one must never undo, block or repeat the trading action already recorded. The bus adapter logs and
// counts its own failures.
import type { DomainEvent } from '../domain/events.ts';
import type { EventBus } from '../ports/event-bus.ts';

export async function publishSafely(bus: EventBus, event: DomainEvent): Promise<void> {
  try {
    await bus.publish(event);
  } catch {
    // Deliberately swallowed: see the module comment.
  }
}
