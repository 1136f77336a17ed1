// The dashboard's HTTP face, framework-free: one function from a plain request to a plain response,
// called by the Lambda Function URL handler (functions/dashboard) and the local server (infra/local).
// Sign-in: GET /auth?t=<link> (single use) sets the session cookie; the Mini App sends its initData in
// `Authorization: tma …`. Data: GET /api/dashboard, /api/chart. Actions: POST /api/action, /api/confirm
// — JSON only, and only from the dashboard's own origin (CSRF: SameSite=Strict plus this check).
import { z } from 'zod';
import type { Clock } from '../../ports/clock.ts';
import {
  ActionRefused,
  ActionRequestSchema,
  ConfirmRequestSchema,
  pressConfirmation,
  runAction,
} from './actions.ts';
import { type AuthSetup, authenticate, redeemLink, sessionCookie, type Viewer } from './auth.ts';
import { loadChart, loadDashboard } from './data.ts';
import type { DashboardDeps } from './deps.ts';
import { dashboardAsset } from './page.ts';
import { DashboardSecretMissing, TokenRefused } from './signed-token.ts';

export interface HttpRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface DashboardSetup {
  deps: DashboardDeps;
  auth: AuthSetup;
  /** The dashboard's own origin (scheme://host[:port]): POSTs from anywhere else are refused. */
  origin: string;
  /**
   * The clock sign-in and request times are checked against: a person's time. Default deps.clock; the
   * local replay passes the wall clock while its runtime clock races through simulated hours.
   */
  authClock?: Clock;
  log?: (entry: Record<string, unknown>) => void;
}

const SECURITY_HEADERS: Record<string, string> = {
  // Everything is served from here: no CDN, no third-party request. Telegram shows a Mini App in an
  // iframe on web.telegram.org; nothing else may frame it.
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self' https://web.telegram.org",
  'x-content-type-options': 'nosniff',
  // The sign-in link's token never leaves in a Referer.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function respond(
  status: number,
  body: string,
  type: string,
  extra: Record<string, string> = {},
): HttpResponse {
  return { status, body, headers: { ...SECURITY_HEADERS, 'content-type': type, ...extra } };
}
const json = (status: number, value: unknown) => respond(status, JSON.stringify(value), 'application/json');
/** 401 and nothing else: no data, no reason (the reason is logged). */
const UNAUTHORIZED = () => json(401, { error: 'unauthorized' });

const SIGN_IN_FAILED = `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Sign-in refused</title><p>This sign-in link is invalid, expired or already used. Send /dashboard to the bot for a new one.</p>`;

export async function handleDashboardRequest(
  req: HttpRequest,
  getSetup: () => Promise<DashboardSetup>,
): Promise<HttpResponse> {
  const asset = req.method === 'GET' ? dashboardAsset(req.path) : undefined;
  // The page's code holds no data: cached an hour (fewer invocations); the HTML is always checked.
  if (asset)
    return respond(200, asset.body, asset.type, {
      'cache-control': asset.type.startsWith('text/html') ? 'no-cache' : 'private, max-age=3600',
    });
  let setup: DashboardSetup;
  try {
    setup = await getSetup();
  } catch (err) {
    if (err instanceof DashboardSecretMissing) return json(503, { error: 'dashboard not configured' });
    throw err;
  }
  const log = setup.log ?? ((e) => console.log(JSON.stringify(e)));
  const now = (setup.authClock ?? setup.deps.clock).now();
  const refused = (err: unknown) => {
    if (!(err instanceof TokenRefused)) throw err;
    log({ level: 'WARN', message: 'dashboard request refused', path: req.path, why: err.message });
  };
  if (req.method === 'GET' && req.path === '/auth') {
    try {
      const r = await redeemLink(setup.auth, setup.deps.store, req.query.get('t') ?? '', now);
      log({ level: 'INFO', message: 'dashboard sign-in', chatId: r.viewer.chatId });
      return respond(303, '', 'text/plain', {
        location: '/',
        'set-cookie': sessionCookie(r.session, r.maxAgeS),
      });
    } catch (err) {
      refused(err);
      return respond(401, SIGN_IN_FAILED, 'text/html; charset=utf-8');
    }
  }
  if (!req.path.startsWith('/api/')) return json(404, { error: 'not found' });
  let viewer: Viewer;
  try {
    viewer = authenticate(setup.auth, req.headers, now);
  } catch (err) {
    refused(err);
    return UNAUTHORIZED();
  }
  if (req.method === 'GET' && req.path === '/api/dashboard')
    return json(200, await loadDashboard(setup.deps, viewer));
  if (req.method === 'GET' && req.path === '/api/chart') {
    const chart = await loadChart(setup.deps, req.query.get('symbol') ?? '');
    return chart ? json(200, chart) : json(404, { error: 'unknown symbol' });
  }
  if (req.method === 'POST' && (req.path === '/api/action' || req.path === '/api/confirm')) {
    if (req.headers.origin !== setup.origin || !req.headers['content-type']?.startsWith('application/json')) {
      log({
        level: 'WARN',
        message: 'dashboard POST from another origin refused',
        origin: req.headers.origin,
      });
      return json(403, { error: 'forbidden' });
    }
    try {
      const body = JSON.parse(req.body) as unknown;
      const reply =
        req.path === '/api/action'
          ? await runAction(setup.deps, viewer, ActionRequestSchema.parse(body), now)
          : await pressConfirmation(setup.deps, viewer, ConfirmRequestSchema.parse(body));
      log({ level: 'INFO', message: 'dashboard action', chatId: viewer.chatId, path: req.path });
      return json(200, reply);
    } catch (err) {
      if (err instanceof ActionRefused) return json(403, { error: err.message });
      if (err instanceof z.ZodError || err instanceof SyntaxError) return json(400, { error: 'bad request' });
      throw err;
    }
  }
  return json(404, { error: 'not found' });
}
