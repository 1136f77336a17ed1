// /notify: which kinds of unasked messages this chat gets, and switching one on or off (persisted per
// chat). Critical alerts are not a setting: they always go out at once.
import { z } from 'zod';
import {
  getLevels,
  NOTIFICATION_KIND_NAMES,
  NOTIFICATION_KINDS,
  type NotificationLevels,
  setLevel,
} from '../notification-levels.ts';
import { tooMany } from './args.ts';
import { defineCommand, type Reply } from './registry.ts';

const KindArg = z.enum(NOTIFICATION_KIND_NAMES as [string, ...string[]], {
  error: `kind must be one of ${NOTIFICATION_KIND_NAMES.join(', ')}`,
});
const SwitchArg = z.enum(['on', 'off'], { error: 'say on or off' });

function render(levels: NotificationLevels, head: string): string {
  return [
    head,
    ...NOTIFICATION_KIND_NAMES.map(
      (k) => `${levels[k] ? '🔔' : '🔕'} <b>${k}</b> — ${NOTIFICATION_KINDS[k].doc}`,
    ),
    'Critical alerts (liquidation close, margin critical, halts, orders of unknown outcome) always come at once.',
    'Change: <code>/notify orders on</code>',
  ].join('\n');
}

export const notifyLevels = defineCommand({
  name: 'notify',
  usage: '/notify [KIND on|off]',
  description: 'which messages this chat gets unasked; turn a kind on or off',
  args: (words) => {
    tooMany(words, 2);
    if (words.length === 0) return undefined;
    return {
      kind: KindArg.parse(words[0]?.toLowerCase()) as keyof typeof NOTIFICATION_KINDS,
      on: SwitchArg.parse(words[1]?.toLowerCase()) === 'on',
    };
  },
  async run({ args, deps, chatId, at }): Promise<Reply> {
    if (!args)
      return { text: render(await getLevels(deps.store, chatId), '<b>Notifications in this chat</b>') };
    const levels = await setLevel(deps.store, chatId, args.kind, args.on, at);
    return { text: render(levels, `<b>${args.kind}</b> ${args.on ? 'on' : 'off'} in this chat.`) };
  },
});
