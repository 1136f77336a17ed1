// How old the account read model may be before the bot calls it stale.
/** The position monitor writes every few seconds, the funding monitor hourly: older is stale. */
export const VIEW_MAX_AGE_MS = { account: 2 * 60_000, funding: 3 * 3_600_000 };
