// A slice of a sliced (TWAP) entry, as the slice's intent carries it (shared/domain/order.ts), so the
// risk check can count the parent's full size from the first slice (./slicing.ts: riskQuantity).
import { z } from 'zod';
import { positive } from './primitives.ts';

export const SliceSchema = z.object({
  /** The parent entry's id (the slices' ids derive from it). */
  parentId: z.string().min(1).max(36),
  index: z.number().int().min(0),
  count: z.number().int().min(1).max(100),
  /** This slice and every later one: what the parent still adds when this slice is placed. */
  remainingQuantity: positive(),
});
export type Slice = z.infer<typeof SliceSchema>;

/**
 * A strategy's request to slice its entry (the intent's `sliced`): TWAP (N market slices over T
 * minutes) or iceberg (market slices of the visible quantity, each after the previous one filled).
 */
export const SlicingRequestSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('twap'),
    slices: z.number().int().min(2).max(100),
    minutes: z.number().int().min(1).max(1_440),
  }),
  z.object({ kind: z.literal('iceberg'), visibleQuantity: positive() }),
]);
export type SlicingRequest = z.infer<typeof SlicingRequestSchema>;
