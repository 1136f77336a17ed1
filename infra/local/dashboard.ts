// The web dashboard of `npm start`: the same request handler as the dashboard Lambda, served on
// 127.0.0.1, over the run's state store, read model and queue; the chart's candles from the simulated
// exchange. It signs links with DASHBOARD_LINK_SECRET when set, else with a fresh random secret per
// run, and writes `.local/dashboard.json` (mode 0600) with the base URL and a sign-in link.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import type { MemoryEventBus } from '../../shared/adapters/memory/event-bus.ts';
import { type AuthSetup, issueLinkToken } from '../../shared/app/dashboard/auth.ts';
import type { DashboardDeps } from '../../shared/app/dashboard/deps.ts';
import {
  type DashboardSetup,
  type HttpRequest,
  handleDashboardRequest,
} from '../../shared/app/dashboard/http.ts';
import { ReadModelExchange } from '../../shared/app/read-model.ts';
import type { TickDeps } from '../../shared/app/strategy-tick.ts';
import type { Config } from '../../shared/config/env.ts';
import { systemClock } from '../../shared/ports/clock.ts';
import { LOCAL_BOT_TOKEN, LOCAL_CHAT_ID } from './telegram.ts';

export const LOCAL_DASHBOARD_FILE = '.local/dashboard.json';

/** A Node request as the dashboard's plain request (the Lambda handler maps its event the same way). */
async function toRequest(req: IncomingMessage): Promise<HttpRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 16_384) break; // no dashboard request is larger; the rest is not read
    chunks.push(c as Buffer);
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers,
    body: Buffer.concat(chunks).toString('utf8'),
  };
}

export async function startLocalDashboard(o: {
  deps: DashboardDeps;
  allowedChatIds: readonly number[];
  allowedUserIds?: readonly number[];
  /** The local bot's token: the key of Mini App initData here. */
  botToken?: string;
  secret?: string;
  port?: number;
  infoFile?: string | false;
  /** The chat the printed link is for. */
  chatId: number;
}) {
  const auth: AuthSetup = {
    secret: o.secret ?? randomBytes(32).toString('hex'),
    ...(o.botToken ? { botToken: o.botToken } : {}),
    allowedChatIds: o.allowedChatIds,
    allowedUserIds: o.allowedUserIds ?? [],
  };
  const logs: Record<string, unknown>[] = [];
  let setup: DashboardSetup | undefined;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    toRequest(req)
      .then((r) => handleDashboardRequest(r, async () => setup!))
      .then((r) => {
        res.writeHead(r.status, r.headers);
        res.end(r.body);
      })
      .catch((err: unknown) => {
        logs.push({ level: 'ERROR', message: 'dashboard request failed', error: String(err) });
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error');
      });
  });
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  // Sign-in is a person's business: wall-clock time, whatever the replay's clock does.
  setup = { deps: o.deps, auth, origin: url, authClock: systemClock, log: (e) => logs.push(e) };
  /** A fresh single-use sign-in link (valid 10 minutes of wall-clock time). */
  const link = (who: { chatId: number; userId?: number } = { chatId: o.chatId }, at = Date.now()) =>
    `${url}/auth?t=${issueLinkToken(auth, who, at)}`;
  const infoFile = o.infoFile === undefined ? LOCAL_DASHBOARD_FILE : o.infoFile;
  const first = link();
  if (infoFile) {
    mkdirSync(dirname(infoFile), { recursive: true });
    rmSync(infoFile, { force: true }); // a file left by another run: mode 0600 applies only on creation
    writeFileSync(infoFile, `${JSON.stringify({ url, link: first }, null, 2)}\n`, { mode: 0o600 });
  }
  return {
    url,
    link: first,
    newLink: link,
    logs,
    async stop(): Promise<void> {
      // The file stays (`npm start` then `cat .local/dashboard.json`); the next run replaces it.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The dashboard over a local runtime's ports: as the Lambda sees them, plus the simulator's candles. */
export function runtimeDashboard(
  deps: TickDeps & { bus: MemoryEventBus },
  config: Config,
  o: {
    maxAgeMs: { account: number; funding: number };
    deadLetterDepth: () => number;
    infoFile?: string | false;
    secret?: string;
  },
) {
  return startLocalDashboard({
    deps: {
      store: deps.store,
      exchange: new ReadModelExchange(deps.store, deps.clock, o.maxAgeMs),
      queue: deps.queue,
      bus: deps.bus,
      clock: deps.clock,
      limits: deps.limits,
      config,
      candles: (symbol, limit) => deps.exchange.fetchCandles(symbol, '1h', limit),
      deadLetterDepth: async () => o.deadLetterDepth(),
    },
    allowedChatIds: [LOCAL_CHAT_ID],
    botToken: LOCAL_BOT_TOKEN,
    chatId: LOCAL_CHAT_ID,
    ...((o.secret ?? config.DASHBOARD_LINK_SECRET)
      ? { secret: o.secret ?? config.DASHBOARD_LINK_SECRET }
      : {}),
    ...(o.infoFile !== undefined ? { infoFile: o.infoFile } : {}),
  });
}
