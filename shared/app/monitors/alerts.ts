// Monitors raise each alert once per cooldown window per (kind, key) — a higher level goes out at
// once — so the event stream carries crossings, not a heartbeat of repeats. The notifier adds its own
// cooldown on top for messages.
import type { DomainEvent } from '../../domain/events.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventBus } from '../../ports/event-bus.ts';
import { ConcurrentModification, type StateStore } from '../../ports/state-store.ts';
import { publishSafely } from '../publish.ts';

export const MONITOR_ALERT_WINDOW_MS = 15 * 60_000;

export async function alertOncePerWindow(
  deps: { store: StateStore; bus: EventBus; clock: Clock },
  key: string,
  event: Extract<DomainEvent, { type: 'RiskAlert' }>,
  windowMs = MONITOR_ALERT_WINDOW_MS,
): Promise<number> {
  const now = deps.clock.now();
  const level = event.level === 'critical' ? 2 : 1;
  const storeKey = `monitor:${key}`;
  const rec = await deps.store.getAlertCooldown(storeKey);
  if (rec && now - rec.lastSentAt < windowMs && level <= rec.level) return 0;
  try {
    await deps.store.putAlertCooldown(
      storeKey,
      { lastSentAt: now, suppressed: 0, level, version: (rec?.version ?? 0) + 1 },
      now + windowMs,
    );
  } catch (err) {
    if (err instanceof ConcurrentModification) return 0; // another loop raised it just now
    throw err;
  }
  await publishSafely(deps.bus, event);
  return 1;
}
