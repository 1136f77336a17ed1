// /dashboard: a sign-in link to the web dashboard, signed with the stack's secret, single use, valid
// 10 minutes (shared/app/dashboard/auth.ts). In a private chat the link carries the user (the owner
// rule of TELEGRAM_ALLOWED_USER_IDS then applies to them); in a group it carries only the chat, since
// any member could open it first — there it may act only when TELEGRAM_ALLOWED_USER_IDS is unset.
import { DashboardSecretMissing } from '../dashboard/signed-token.ts';
import { tooMany } from './args.ts';
import { escapeHtml } from './format.ts';
import { defineCommand, type Reply } from './registry.ts';

export const dashboard = defineCommand({
  name: 'dashboard',
  usage: '/dashboard',
  description: 'a sign-in link to the web dashboard (single use, valid 10 minutes)',
  args: (words) => {
    tooMany(words, 0);
    return {};
  },
  async run({ deps, chatId, userId, at }): Promise<Reply> {
    if (!deps.dashboardLink) return { text: 'No web dashboard is deployed with this bot.' };
    const privateChat = userId !== undefined && userId === chatId;
    let link: string;
    try {
      link = await deps.dashboardLink({ chatId, ...(privateChat ? { userId } : {}) }, at);
    } catch (err) {
      if (!(err instanceof DashboardSecretMissing)) throw err;
      return {
        text: 'The dashboard is not set up yet: its link secret is missing (README, "Web dashboard": one <code>aws ssm put-parameter</code>).',
      };
    }
    return {
      // The address also as text: a terminal (npm run tg) shows no link targets.
      text: `<a href="${escapeHtml(link)}">Open the dashboard</a> — the link works once, within 10 minutes, and signs this browser in for 12 hours. Send /dashboard again for a new one.\n<code>${escapeHtml(link)}</code>`,
    };
  },
});
