/**
 * @module ingest/sources/ip-address
 * Parses IP address literals in every spelling a resolver or URL parser accepts (inet_aton forms:
 * decimal `2130706433`, hex `0x7f000001`, octal `0177.0.0.1`, short `127.1`; IPv6 with brackets,
 * zone ids and embedded IPv4) and says which kind of network an address belongs to, so that URL
 * ingestion can refuse anything but the public internet.
 */

/** An address as 4 or 16 bytes. */
export interface IpAddress {
  readonly version: 4 | 6;
  readonly bytes: Uint8Array;
}

/** The kind of network an address belongs to; only `public` may be fetched without an allow-list. */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'unspecified'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'unique-local'
  | 'multicast'
  | 'broadcast'
  | 'reserved';

/** Parses an IPv4 or IPv6 literal (brackets and zone ids allowed); `undefined` when it is a name. */
export function parseIpAddress(text: string): IpAddress | undefined {
  const host = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (host.includes(':')) return parseIpv6(host.split('%')[0] as string);
  const bytes = parseIpv4(host);
  return bytes ? { version: 4, bytes } : undefined;
}

/** The class of a host that is an address literal; `undefined` for names, which must be resolved first. */
export function classifyHost(host: string): AddressClass | undefined {
  const address = parseIpAddress(host);
  return address ? classifyAddress(address) : undefined;
}

/** Which network `address` belongs to (IANA special-purpose registries, IPv4 embedded in IPv6 unwrapped). */
export function classifyAddress(address: IpAddress): AddressClass {
  return address.version === 4 ? classifyIpv4(address.bytes) : classifyIpv6(address.bytes);
}

/** Whether `address` lies in `network`/`prefix` (same version only). */
export function inPrefix(address: IpAddress, network: IpAddress, prefix: number): boolean {
  if (address.version !== network.version) return false;
  for (let bit = 0; bit < prefix; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((address.bytes[byte] as number) & mask) !== ((network.bytes[byte] as number) & mask)) return false;
  }
  return true;
}

// inet_aton semantics: 1 to 4 parts, each decimal, 0x-hex or 0-octal; the last part fills the rest.
function parseIpv4(host: string): Uint8Array | undefined {
  const trimmed = host.endsWith('.') ? host.slice(0, -1) : host;
  const parts = trimmed.split('.');
  if (parts.length > 4 || parts.some((part) => part === '')) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    const value = parseIpv4Part(part);
    if (value === undefined) return undefined;
    values.push(value);
  }
  const last = values.pop() as number;
  if (values.some((value) => value > 255) || last >= 2 ** (8 * (4 - values.length))) return undefined;
  const bytes = new Uint8Array(4);
  values.forEach((value, index) => {
    bytes[index] = value;
  });
  for (let index = 3, rest = last; index >= values.length; index--, rest = Math.floor(rest / 256)) {
    bytes[index] = rest % 256;
  }
  return bytes;
}

function parseIpv4Part(part: string): number | undefined {
  let digits = part;
  let radix = 10;
  if (/^0x/i.test(part)) {
    digits = part.slice(2);
    radix = 16;
    // WHATWG reads a bare `0x` as zero; refusing more is the safe side.
    if (digits === '') return 0;
  } else if (part.length > 1 && part.startsWith('0')) {
    digits = part.slice(1);
    radix = 8;
  }
  const pattern = radix === 16 ? /^[0-9a-f]+$/i : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!pattern.test(digits)) return undefined;
  const value = Number.parseInt(digits, radix);
  return Number.isSafeInteger(value) && value < 2 ** 32 ? value : undefined;
}

function parseIpv6(host: string): IpAddress | undefined {
  const halves = host.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): number[] | undefined => {
    if (!half) return [];
    const out: number[] = [];
    const pieces = half.split(':');
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(piece) ? parseIpv4(piece) : undefined;
        if (!v4) return undefined;
        out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) out.push(Number.parseInt(piece, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((group, index) => {
    bytes[index * 2] = group >> 8;
    bytes[index * 2 + 1] = group & 0xff;
  });
  return { version: 6, bytes };
}

const V4_RANGES: readonly (readonly [string, number, AddressClass])[] = [
  ['255.255.255.255', 32, 'broadcast'],
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const V6_RANGES: readonly (readonly [string, number, AddressClass])[] = [
  ['64:ff9b:1::', 48, 'private'],
  ['100::', 64, 'reserved'],
  ['2001::', 23, 'reserved'],
  ['2001:db8::', 32, 'reserved'],
  ['3fff::', 20, 'reserved'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'reserved'],
  ['ff00::', 8, 'multicast'],
];

const compile = (ranges: typeof V4_RANGES) =>
  ranges.map(([network, prefix, kind]) => [parseIpAddress(network) as IpAddress, prefix, kind] as const);
const V4 = compile(V4_RANGES);
const V6 = compile(V6_RANGES);

function classifyIpv4(bytes: Uint8Array): AddressClass {
  const address: IpAddress = { version: 4, bytes };
  return V4.find(([network, prefix]) => inPrefix(address, network, prefix))?.[2] ?? 'public';
}

function classifyIpv6(bytes: Uint8Array): AddressClass {
  const address: IpAddress = { version: 6, bytes };
  const zeros = (from: number, to: number) => bytes.subarray(from, to).every((byte) => byte === 0);
  const v4 = (offset: number) => classifyIpv4(bytes.subarray(offset, offset + 4));
  if (zeros(0, 15)) return bytes[15] === 1 ? 'loopback' : bytes[15] === 0 ? 'unspecified' : 'reserved';
  // IPv4-mapped ::ffff:0:0/96 and NAT64 64:ff9b::/96 reach the embedded IPv4 address.
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return v4(12);
  if (inPrefix(address, NAT64, 96)) return v4(12);
  // Deprecated IPv4-compatible ::a.b.c.d: never public, but named after what it embeds when that is internal.
  if (zeros(0, 12)) return v4(12) === 'public' ? 'reserved' : v4(12);
  // 6to4 2002::/16 embeds the IPv4 address of the site it tunnels to.
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return v4(2);
  const special = V6.find(([network, prefix]) => inPrefix(address, network, prefix))?.[2];
  if (special) return special;
  // Only global unicast 2000::/3 is public; the rest of the space is unassigned or special.
  return ((bytes[0] as number) & 0xe0) === 0x20 ? 'public' : 'reserved';
}

const NAT64 = parseIpAddress('64:ff9b::') as IpAddress;
