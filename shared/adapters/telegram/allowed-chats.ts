// TELEGRAM_ALLOWED_CHAT_IDS parsed: the chats that may command the bot and receive its alerts.
export function allowedChats(env: Record<string, string | undefined>): number[] {
  return (env.TELEGRAM_ALLOWED_CHAT_IDS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      if (!/^-?\d+$/.test(s))
        throw new Error(`TELEGRAM_ALLOWED_CHAT_IDS must be comma-separated chat ids (got "${s}")`);
      return Number(s);
    });
}

/**
 * TELEGRAM_ALLOWED_USER_IDS parsed: the users who may run account-changing commands and press their
 * buttons. Empty: every member of an allowed chat may (fine for a private chat; set it for a group).
 */
export function allowedUsers(env: Record<string, string | undefined>): number[] {
  return (env.TELEGRAM_ALLOWED_USER_IDS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      if (!/^\d+$/.test(s))
        throw new Error(`TELEGRAM_ALLOWED_USER_IDS must be comma-separated user ids (got "${s}")`);
      return Number(s);
    });
}
