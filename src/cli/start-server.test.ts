import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../../test/faults/cli-run.ts';
import { createGroundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { describeAuth } from './start-server.ts';

const OIDC = { GROUNDWORK_OIDC_ISSUER: 'https://id.example.test', GROUNDWORK_OIDC_AUDIENCE: 'groundwork' };

describe('describeAuth', () => {
  it('says auth is required, because of OIDC, when an issuer is configured and no API key exists', async () => {
    const app = await createGroundwork(
      loadConfig({
        dataDir: 'memory://',
        embedder: 'none',
        llm: { model: 'none' },
        oidc: { issuer: 'https://id.example.test', audience: 'groundwork' },
      }),
    );
    try {
      const auth = await describeAuth(app);
      expect(auth.required).toBe(true);
      expect(auth.line).toMatch(
        /^required \(auto: OIDC is configured; send a bearer JWT from https:\/\/id\.example\.test/,
      );
      const open = await describeAuth({ ...app, config: { ...app.config, oidc: undefined } });
      expect(open).toMatchObject({
        required: false,
        line: expect.stringMatching(/^off until the first API key/),
      });
    } finally {
      await app.close();
    }
  });
});

// Both commands start through one path, so with OIDC configured and no API key both banners say what
// the middleware does: auth is required. `support` used to compute its own line and said "API keys
// exist" (there were none) without naming the issuer.
describe('server banners with OIDC configured and no API key', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'gw-banner-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it.each([['serve'], ['support']])(
    '`%s` says auth is required because of OIDC, and the middleware requires it',
    async (command) => {
      const port = String(20_000 + Math.floor(Math.random() * 20_000));
      const server = startCli([command, '--port', port], {
        ...OIDC,
        GROUNDWORK_DATA_DIR: path.join(scratch, command),
        GROUNDWORK_EMBEDDER: 'none',
        GROUNDWORK_LLM: 'none',
        GROUNDWORK_AUTH: 'auto',
      });
      try {
        await server.waitFor(/auth: .*\n/, 240_000);
        const line = /auth: (.*)\n/.exec(server.output())?.[1];
        expect(line).toMatch(
          /^required \(auto: OIDC is configured; send a bearer JWT from https:\/\/id\.example\.test/,
        );
        const path = command === 'support' ? '/v1/support/approvals' : '/v1/models';
        const response = await fetch(`http://127.0.0.1:${port}${path}`);
        expect(response.status).toBe(401);
      } finally {
        server.child.kill('SIGINT');
        await server.exit;
      }
    },
    300_000,
  );
});
