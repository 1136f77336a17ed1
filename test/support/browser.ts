// Headless Chromium for browser tests, from the npm package @sparticuz/chromium (the browser ships
// inside the package and unpacks to the temp folder on first launch), so `npm ci && npm test` needs
// no system browser. CHROMIUM_PATH overrides it with another binary (e.g. a local Chrome).
import chromiumPkg from '@sparticuz/chromium';
import { type Browser, chromium } from 'playwright-core';

// Without these, Chromium keeps trying to reach Google's hosts, which a closed network refuses.
const QUIET_ARGS = [
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  const override = process.env.CHROMIUM_PATH;
  const executablePath = override ?? (await chromiumPkg.executablePath());
  const args = override
    ? ['--no-sandbox', '--disable-gpu', ...QUIET_ARGS]
    : [...chromiumPkg.args, ...QUIET_ARGS];
  return chromium.launch({ executablePath, args, headless: true });
}
