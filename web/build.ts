/**
 * @module web/build (script)
 * `npm run build:web`: builds the web UI into web/dist now (not only when stale).
 */
import { ensureWebBuild } from '../src/server/web-build.ts';

const outcome = await ensureWebBuild({ force: true, log: (line) => process.stdout.write(`${line}\n`) });
if (outcome.status !== 'built') process.exit(1);
