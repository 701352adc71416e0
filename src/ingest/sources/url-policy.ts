/**
 * @module ingest/sources/url-policy
 * Which URLs ingestion may fetch: http and https only, no credentials, and a host that is or resolves
 * to public addresses only (every address of the answer), unless an administrator allow-listed the
 * name or its network. `checkUrlShape` needs no DNS and runs when a job is queued and on every
 * redirect; `resolveTarget` resolves and checks the host right before each connection.
 */
import { lookup } from 'node:dns/promises';
import { IngestError } from '../../errors.ts';
import type { ResolvedAddress } from './http-transport.ts';
import { type AddressClass, classifyAddress, type IpAddress, parseIpAddress } from './ip-address.ts';
import { isAddressAllowed, isHostAllowed, normaliseHost, type UrlAllowList } from './url-allow-list.ts';

/** Resolves a host name to all its addresses. */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The system resolver (getaddrinfo, as the rest of the process would see the name). */
export const systemResolver: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

/** The one reason a caller sees for a refused address, whatever the address was. */
export const URL_NOT_ALLOWED_MESSAGE =
  'The URL is not allowed: it points (or redirects) to a loopback, private, link-local or otherwise non-public address. An administrator can allow internal sites with ingest.allowedUrlHosts.';

/** A refused URL; `detail` (the address and why) is for traces and logs, never for the caller. */
export class UrlNotAllowedError extends IngestError {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super('url_not_allowed', message);
  }
}

/** Parses `text` and refuses what no resolution can make acceptable; returns the URL. */
export function checkUrlShape(text: string, allowList: UrlAllowList): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UrlNotAllowedError('The URL could not be parsed.', 'unparseable URL');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
    throw new UrlNotAllowedError(
      'Only http and https URLs without a user name or password can be ingested.',
      `scheme ${url.protocol} or credentials`,
    );
  }
  const host = normaliseHost(url.hostname);
  if (isHostAllowed(allowList, host)) return url;
  const literal = parseIpAddress(host);
  if (literal) refuseUnlessPermitted(literal, allowList, host);
  else if (host === 'localhost' || host.endsWith('.localhost')) {
    throw new UrlNotAllowedError(URL_NOT_ALLOWED_MESSAGE, `${host} is a loopback name`);
  }
  return url;
}

/** Resolves `url`'s host and checks every address; returns the addresses the connection may use. */
export async function resolveTarget(
  url: URL,
  allowList: UrlAllowList,
  resolveHost: HostResolver,
): Promise<readonly ResolvedAddress[]> {
  const host = normaliseHost(url.hostname);
  const literal = parseIpAddress(host);
  if (literal) {
    if (!isHostAllowed(allowList, host)) refuseUnlessPermitted(literal, allowList, host);
    const address = host.replace(/^\[|\]$/g, '');
    return [{ address, family: literal.version }];
  }
  const answers = await resolveHost(host);
  if (isHostAllowed(allowList, host)) return answers;
  // One bad address refuses the name: the connection may pick any of them.
  for (const answer of answers) {
    const address = parseIpAddress(answer.address);
    if (!address)
      throw new UrlNotAllowedError(URL_NOT_ALLOWED_MESSAGE, `${host} resolved to ${answer.address}`);
    refuseUnlessPermitted(address, allowList, `${host} (${answer.address})`);
  }
  return answers;
}

function refuseUnlessPermitted(address: IpAddress, allowList: UrlAllowList, described: string): void {
  const kind: AddressClass = classifyAddress(address);
  if (kind === 'public' || isAddressAllowed(allowList, address)) return;
  throw new UrlNotAllowedError(URL_NOT_ALLOWED_MESSAGE, `${described} is ${kind}`);
}
