/**
 * @module ingest/sources/url-allow-list
 * The internal sites an administrator lets URL ingestion reach (`ingest.allowedUrlHosts`,
 * GROUNDWORK_INGEST_ALLOWED_URL_HOSTS). An entry is a host name (`wiki.corp.example`), a suffix
 * (`*.corp.example`), an address (`10.1.2.3`, `fd00::7`) or a network (`10.0.0.0/8`, `fd00::/8`). A
 * listed name may resolve to any address; a listed network admits any name that resolves into it.
 */
import { type IpAddress, inPrefix, parseIpAddress } from './ip-address.ts';

/** A parsed allow-list. */
export interface UrlAllowList {
  readonly hosts: ReadonlySet<string>;
  /** Suffixes with their leading dot, from `*.suffix` entries. */
  readonly suffixes: readonly string[];
  readonly networks: readonly { readonly network: IpAddress; readonly prefix: number }[];
}

/** The empty allow-list: only public addresses. */
export const EMPTY_ALLOW_LIST: UrlAllowList = { hosts: new Set(), suffixes: [], networks: [] };

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*$/;

/** Parses entries; returns the problems (one sentence each) instead of throwing, for config validation. */
export function parseUrlAllowList(entries: readonly string[]): {
  allowList: UrlAllowList;
  problems: readonly string[];
} {
  const hosts = new Set<string>();
  const suffixes: string[] = [];
  const networks: { network: IpAddress; prefix: number }[] = [];
  const problems: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    const [address, prefixText, extra] = entry.split('/');
    const literal = address ? parseIpAddress(address) : undefined;
    if (literal && extra === undefined) {
      const max = literal.version === 4 ? 32 : 128;
      const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : -1;
      if (prefix >= 0 && prefix <= max) {
        networks.push({ network: literal, prefix });
        continue;
      }
    } else if (entry.startsWith('*.') && HOST_NAME.test(entry.slice(2))) {
      suffixes.push(entry.slice(1));
      continue;
    } else if (HOST_NAME.test(normaliseHost(entry))) {
      hosts.add(normaliseHost(entry));
      continue;
    }
    problems.push(
      `"${raw}" is not a host name, *.suffix, IP address or network (e.g. wiki.corp.example, *.corp.example, 10.0.0.0/8)`,
    );
  }
  return { allowList: { hosts, suffixes, networks }, problems };
}

/** Whether the name itself is listed (then any address it resolves to may be fetched). */
export function isHostAllowed(allowList: UrlAllowList, hostname: string): boolean {
  const host = normaliseHost(hostname);
  return allowList.hosts.has(host) || allowList.suffixes.some((suffix) => host.endsWith(suffix));
}

/** Whether an address lies in a listed network. */
export function isAddressAllowed(allowList: UrlAllowList, address: IpAddress): boolean {
  return allowList.networks.some(({ network, prefix }) => inPrefix(address, network, prefix));
}

/** Lower case without the root label's trailing dot, as URL hosts are compared. */
export function normaliseHost(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}
