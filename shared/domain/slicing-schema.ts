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
