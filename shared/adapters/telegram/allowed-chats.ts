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
