import { describe, expect, it } from 'vitest';
import { type AddressClass, classifyHost } from './ip-address.ts';

// Every spelling a resolver or a URL parser might turn into an address, with the class it must get.
const TABLE: readonly (readonly [string, AddressClass])[] = [
  // Loopback in every IPv4 spelling inet_aton accepts.
  ['127.0.0.1', 'loopback'],
  ['127.1', 'loopback'],
  ['127.0.1', 'loopback'],
  ['2130706433', 'loopback'],
  ['0x7f000001', 'loopback'],
  ['0X7F000001', 'loopback'],
  ['0x7f.0.0.1', 'loopback'],
  ['0x7f.1', 'loopback'],
  ['0177.0.0.1', 'loopback'],
  ['0177.1', 'loopback'],
  ['017700000001', 'loopback'],
  ['00000177.0.0.01', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['127.0.0.1.', 'loopback'],
  ['0x7f.0x0.0x0.0x1', 'loopback'],
  // Unspecified ("this network"): connecting to it reaches the local host on Linux.
  ['0.0.0.0', 'unspecified'],
  ['0', 'unspecified'],
  ['0x0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  // Private, shared (CGNAT) and link-local, including the cloud metadata address.
  ['10.0.0.1', 'private'],
  ['012.0.0.1', 'private'],
  ['167772161', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['0xc0a80101', 'private'],
  ['3232235777', 'private'],
  ['100.64.0.1', 'shared'],
  ['100.127.255.255', 'shared'],
  ['169.254.169.254', 'link-local'],
  ['0xa9fea9fe', 'link-local'],
  ['2852039166', 'link-local'],
  ['0251.0376.0251.0376', 'link-local'],
  // Multicast, broadcast, documentation and other reserved blocks.
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['4294967295', 'broadcast'],
  ['240.0.0.1', 'reserved'],
  ['192.0.0.170', 'reserved'],
  ['192.0.2.1', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['198.51.100.7', 'reserved'],
  ['203.0.113.9', 'reserved'],
  // Public IPv4 neighbours of the blocked ranges.
  ['8.8.8.8', 'public'],
  ['134744072', 'public'],
  ['93.184.216.34', 'public'],
  ['172.32.0.1', 'public'],
  ['172.15.255.255', 'public'],
  ['100.128.0.1', 'public'],
  ['100.63.255.255', 'public'],
  ['192.169.0.1', 'public'],
  ['11.0.0.1', 'public'],
  ['126.255.255.255', 'public'],
  ['128.0.0.1', 'public'],
  // IPv6, bracketed or not, with zone ids, and IPv4 embedded in every way.
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['0000:0000:0000:0000:0000:0000:0000:0001', 'loopback'],
  ['::', 'unspecified'],
  ['[::]', 'unspecified'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['[::ffff:7f00:1]', 'loopback'],
  ['::FFFF:7F00:0001', 'loopback'],
  ['0:0:0:0:0:ffff:127.0.0.1', 'loopback'],
  ['::ffff:169.254.169.254', 'link-local'],
  ['::ffff:a9fe:a9fe', 'link-local'],
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:8.8.8.8', 'public'],
  ['::127.0.0.1', 'loopback'],
  ['::7f00:1', 'loopback'],
  ['::8.8.8.8', 'reserved'],
  ['64:ff9b::127.0.0.1', 'loopback'],
  ['64:ff9b::7f00:1', 'loopback'],
  ['64:ff9b::a9fe:a9fe', 'link-local'],
  ['64:ff9b::192.168.0.1', 'private'],
  ['64:ff9b::8.8.8.8', 'public'],
  ['64:ff9b:1::1', 'private'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['[fe80::1%25eth0]', 'link-local'],
  ['febf:ffff::1', 'link-local'],
  ['fc00::1', 'unique-local'],
  ['fd12:3456:789a::1', 'unique-local'],
  ['ff02::1', 'multicast'],
  ['ff0e::1', 'multicast'],
  ['fec0::1', 'reserved'],
  ['2001:db8::1', 'reserved'],
  ['2001::1', 'reserved'],
  ['100::1', 'reserved'],
  ['3fff::1', 'reserved'],
  ['::ffff:0:127.0.0.1', 'reserved'],
  ['4000::1', 'reserved'],
  ['2002:7f00:1::1', 'loopback'],
  ['2002:a9fe:a9fe::', 'link-local'],
  ['2002:808:808::1', 'public'],
  ['2606:4700:4700::1111', 'public'],
  ['2001:4860:4860::8888', 'public'],
  ['2a00:1450:4001:81c::200e', 'public'],
];

describe('classifyHost', () => {
  it.each(TABLE)('%s is %s', (host, expected) => {
    expect(classifyHost(host)).toBe(expected);
  });

  it('agrees with the WHATWG URL parser on every IPv4 spelling it normalises', () => {
    for (const [host, expected] of TABLE) {
      if (host.includes(':')) continue;
      const normalised = new URL(`http://${host}/`).hostname;
      expect([host, classifyHost(normalised)]).toEqual([host, expected]);
    }
  });

  it('returns undefined for names, which must be resolved before they can be judged', () => {
    for (const name of [
      'localhost',
      'example.com',
      '127.0.0.1.nip.io',
      '1.2.3.4.5',
      '256.1.1.1',
      '1.2.3.256',
      '08.0.0.1',
      '0x1g',
      '',
      '.',
      '1..1',
      ':::1',
      '1::2::3',
      '::ffff:127.0.0.256',
      '12345::1',
      '1:2:3:4:5:6:7:8:9',
    ]) {
      expect([name, classifyHost(name)]).toEqual([name, undefined]);
    }
  });
});
