// Lambda (Function URL, auth NONE: the app signs viewers in itself): the web dashboard. Wiring only —
// the Function URL event as a plain request, the shared handler, the answer as a Function URL result.
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  type DashboardSetup,
  type HttpRequest,
  handleDashboardRequest,
} from '../../shared/app/dashboard/http.ts';
import { once } from '../../shared/app/once.ts';
import { redactingErrors } from '../../shared/config/redact.ts';
import { dashboardAuth, dashboardDeps } from './deps.ts';

/** A Function URL (payload 2.0) event as the dashboard's plain request; cookies arrive in `cookies`. */
export function toRequest(event: APIGatewayProxyEventV2): HttpRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) headers[k.toLowerCase()] = v;
  if (event.cookies?.length) headers.cookie = event.cookies.join('; ');
  const body = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query: new URLSearchParams(event.rawQueryString ?? ''),
    headers,
    body: body.slice(0, 16_384),
  };
}

export function makeDashboardHandler(getSetup: (origin: string) => Promise<DashboardSetup>) {
  return middy(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const req = toRequest(event);
    // The Function URL's own host (AWS routes on it): POSTs must come from this origin.
    const origin = `https://${event.requestContext.domainName}`;
    const r = await handleDashboardRequest(req, () => getSetup(origin));
    const { 'set-cookie': cookie, ...headers } = r.headers;
    return { statusCode: r.status, headers, body: r.body, ...(cookie ? { cookies: [cookie] } : {}) };
  }).use(redactingErrors());
}

const deps = once(() => dashboardDeps());
const auth = once(() => dashboardAuth());
export const handler = makeDashboardHandler(async (origin) => ({
  deps: await deps(),
  auth: await auth(),
  origin,
}));
