/**
 * @module testing/web-harness
 * A real groundwork server for browser tests and the browser benchmark: embedded PGlite holding the
 * demo knowledge base, a scripted language model (push replies onto `replies`; with none queued it
 * answers "Within 30 days [1]."), the HTTP API and the built web UI on a free local port, and
 * Debian's Chromium driven by playwright-core. With `support: true` the server also mounts the support
 * app as `groundwork support` does (orders seeded, agents on the same scripted model).
 */

import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { type Browser, chromium } from 'playwright-core';
import { createSupportApp, type SupportApp } from '../../apps/support/create-support-app.ts';
import { seedSupportStore } from '../../apps/support/store/seed.ts';
import { createGroundwork, type Groundwork } from '../app.ts';
import { type ConfigInput, loadConfig } from '../config/config.ts';
import { createHttpApp } from '../server/app.ts';
import { ensureWebBuild } from '../server/web-build.ts';
import { openDatabase } from '../store/open.ts';
import { createScriptedLanguageModel, type ScriptedReply } from './scripted-language-model.ts';

/** Where Chromium is (`apt-get install chromium`); `GROUNDWORK_CHROMIUM` overrides. */
export const CHROMIUM_PATH = process.env.GROUNDWORK_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for a quiet headless Chromium in containers (no sandbox, GPU, updates or sync). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

const KNOWLEDGE = path.resolve(import.meta.dirname, '../../apps/support/knowledge');

/** True when Chromium is installed. */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** A running server and browser. */
export interface WebHarness {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly app: Groundwork;
  readonly replies: ScriptedReply[];
  readonly browser: Browser;
  close(): Promise<void>;
}

/** What the harness serves besides the product. */
export interface WebHarnessOptions {
  /** Mount the support app (its routes, orders seeded today, agents on the scripted model). */
  readonly support?: boolean;
}

/** Starts everything; `config` overrides the test configuration (e.g. `{ auth: 'off' }`). */
export async function startWebHarness(
  config: ConfigInput = {},
  options: WebHarnessOptions = {},
): Promise<WebHarness> {
  const built = await ensureWebBuild();
  if (built.status === 'failed' || built.status === 'skipped') {
    throw new Error(`The web UI could not be built: ${built.reason}`);
  }
  const replies: ScriptedReply[] = [];
  const model = createScriptedLanguageModel([() => replies.shift() ?? { text: 'Within 30 days [1].' }], {
    repeat: true,
  });
  const db = await openDatabase({ dataDir: 'memory://' });
  const app = await createGroundwork(loadConfig({ dataDir: 'memory://', embedder: 'none', ...config }), {
    db,
    languageModel: { model, name: 'test:scripted' },
  });
  await app.ingestion.submit('default', { sources: [{ kind: 'path', path: KNOWLEDGE }] }, { trusted: true });
  await app.ingestion.drain();
  app.ingestion.start(50);
  let supportHttp: SupportApp['http'] | undefined;
  if (options.support) {
    // Dated today, so the demo's return windows are open (as `groundwork support` seeds them).
    await seedSupportStore(db, { tenantId: 'default', now: new Date() });
    supportHttp = (await createSupportApp(app)).http;
  }
  const http = createHttpApp(app, supportHttp ?? {});
  const server = serve({ fetch: http.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    replies,
    browser,
    close: async () => {
      await browser.close();
      const closing = new Promise((resolve) => server.close(resolve));
      // Chromium is gone, but idle keep-alive sockets would hold `close` open.
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await closing;
      await app.close();
      await db.close();
    },
  };
}
