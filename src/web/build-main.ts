/**
 * @module web/build-main
 * `npm run build:web`: builds the web UI into web/dist now (not only when stale).
 */
import { ensureWebBuild } from './build.ts';

const outcome = await ensureWebBuild({ force: true, log: (line) => process.stdout.write(`${line}\n`) });
if (outcome.status !== 'built') process.exit(1);
