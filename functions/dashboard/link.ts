// The dashboard's link secret and link signer, for the dashboard and for the webhook's /dashboard
// command: SSM Parameter Store SecureString in AWS (DASHBOARD_LINK_SECRET_PARAM), else
// DASHBOARD_LINK_SECRET. Cached 5 minutes, remembered for log redaction.

import { readSecureValue } from '../../shared/adapters/aws/secure-value.ts';
import { issueLinkToken } from '../../shared/app/dashboard/auth.ts';
import { checkSecret, DashboardSecretMissing } from '../../shared/app/dashboard/signed-token.ts';
import type { TelegramDeps } from '../../shared/app/telegram/registry.ts';
import { rememberSecret } from '../../shared/config/redact.ts';

/** One SecureString, decrypted: the same reader as every other secret (Powertools Parameters, cached 5 min). */
async function secureString(name: string): Promise<string | undefined> {
  const value = await readSecureValue(name, { maxAge: 300 });
  return typeof value === 'string' ? value : undefined;
}

/** The link secret: SSM SecureString in AWS, DASHBOARD_LINK_SECRET in a local environment. */
export async function linkSecret(env: Record<string, string | undefined>): Promise<string> {
  const name = env.DASHBOARD_LINK_SECRET_PARAM;
  let value: unknown = env.DASHBOARD_LINK_SECRET;
  if (name) {
    try {
      value = await secureString(name);
    } catch (err) {
      // Not created yet (README: one `aws ssm put-parameter`), or unreadable: 503, never a weak key.
      throw new DashboardSecretMissing(`the dashboard secret ${name} is unreadable (${(err as Error).name})`);
    }
  }
  const secret = checkSecret(typeof value === 'string' ? value : undefined);
  rememberSecret(secret);
  return secret;
}

/** The webhook's link signer when a dashboard is deployed (DASHBOARD_URL set by the stack). */
export function dashboardLinkFromEnv(
  env: Record<string, string | undefined>,
): Pick<TelegramDeps, 'dashboardLink'> {
  const base = env.DASHBOARD_URL?.replace(/\/+$/, '');
  if (!base) return {};
  return {
    dashboardLink: async (who, at) =>
      `${base}/auth?t=${issueLinkToken({ secret: await linkSecret(env) }, who, at)}`,
  };
}
