/**
 * @module testing/s3-test-server
 * A real S3-compatible server for tests: moto's server (PyPI `moto[server]`, installed by .ci/run into
 * a cached virtualenv), started with signature checking on, so a wrongly signed request fails as it
 * would against AWS. The first three calls are let through unauthenticated; the helper spends them
 * creating an IAM user with an access key and an allow-all S3 policy, then makes a bucket as that user.
 * Absent moto, suites skip, except on CI where that is an error.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { S3Credentials } from '../blobs/s3-signer.ts';
import { EMPTY_SHA256, signRequest } from '../blobs/s3-signer.ts';
import { freePort } from '../os/free-port.ts';

/** A running S3-compatible server with a bucket and credentials that may use it. */
export interface S3TestServer {
  readonly endpoint: string;
  readonly region: string;
  readonly bucket: string;
  readonly credentials: S3Credentials;
  /** Keys of a second user with no S3 permission at all (with `withDeniedUser`): every call is AccessDenied. */
  readonly deniedCredentials?: S3Credentials;
  close(): Promise<void>;
}

/** Where .ci/run installs moto (root uses /var/cache, others their home cache). */
export function motoServerBinary(): string | undefined {
  const cache =
    process.env.GROUNDWORK_CACHE ??
    (process.getuid?.() === 0 ? '/var/cache/groundwork' : path.join(homedir(), '.cache/groundwork'));
  const candidates = [process.env.GROUNDWORK_MOTO_SERVER, path.join(cache, 'moto-venv/bin/moto_server')];
  const found = candidates.find((candidate) => candidate && existsSync(candidate));
  if (!found && process.env.CI === 'true') {
    throw new Error('CI must test the S3 blob store against moto: .ci/run installs it (moto[server]).');
  }
  return found;
}

/** Starts moto on a free loopback port and prepares a bucket. */
export async function startS3TestServer(
  binary: string,
  options: { withDeniedUser?: boolean } = {},
): Promise<S3TestServer> {
  const port = await freePort();
  const child = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, INITIAL_NO_AUTH_ACTION_COUNT: options.withDeniedUser ? '5' : '3' },
    stdio: 'ignore',
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(endpoint, child);
    const user = 'groundwork-test';
    await iam(endpoint, { Action: 'CreateUser', UserName: user });
    const created = await iam(endpoint, { Action: 'CreateAccessKey', UserName: user });
    const credentials = {
      accessKeyId: /<AccessKeyId>([^<]+)</.exec(created)?.[1] ?? '',
      secretAccessKey: /<SecretAccessKey>([^<]+)</.exec(created)?.[1] ?? '',
    };
    await iam(endpoint, {
      Action: 'PutUserPolicy',
      UserName: user,
      PolicyName: 'all-s3',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
      }),
    });
    let deniedCredentials: S3Credentials | undefined;
    if (options.withDeniedUser) {
      await iam(endpoint, { Action: 'CreateUser', UserName: 'groundwork-denied' });
      const denied = await iam(endpoint, { Action: 'CreateAccessKey', UserName: 'groundwork-denied' });
      deniedCredentials = {
        accessKeyId: /<AccessKeyId>([^<]+)</.exec(denied)?.[1] ?? '',
        secretAccessKey: /<SecretAccessKey>([^<]+)</.exec(denied)?.[1] ?? '',
      };
    }
    const region = 'us-east-1';
    const bucket = 'groundwork-test';
    const url = new URL(`${endpoint}/${bucket}`);
    const headers = signRequest({ method: 'PUT', url, payloadSha256: EMPTY_SHA256, region }, credentials);
    delete headers.host;
    const made = await fetch(url, { method: 'PUT', headers });
    if (!made.ok) throw new Error(`moto refused the bucket: ${made.status} ${await made.text()}`);
    return { endpoint, region, bucket, credentials, deniedCredentials, close: () => stop(child) };
  } catch (error) {
    await stop(child);
    throw error;
  }
}

async function iam(endpoint: string, params: Record<string, string>): Promise<string> {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      // moto routes by the credential scope's service; the signature is not checked for these calls.
      authorization:
        'AWS4-HMAC-SHA256 Credential=bootstrap/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: new URLSearchParams({ ...params, Version: '2010-05-08' }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`moto IAM ${params.Action} failed: ${response.status} ${text}`);
  return text;
}

async function waitUntilUp(endpoint: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto exited with ${child.exitCode}`);
    try {
      await fetch(`${endpoint}/moto-api/`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error('moto did not start within 30 s');
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
