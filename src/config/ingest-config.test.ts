import { describe, expect, it } from 'vitest';
import { parseIpAddress } from '../ingest/sources/ip-address.ts';
import { isAddressAllowed, isHostAllowed, parseUrlAllowList } from '../ingest/sources/url-allow-list.ts';
import { loadConfig } from './config.ts';

describe('ingest URL allow-list config', () => {
  it('allows no internal site by default', () => {
    expect(loadConfig({ dataDir: 'memory://' }, {}).ingest.allowedUrlHosts).toEqual([]);
  });

  it('reads GROUNDWORK_INGEST_ALLOWED_URL_HOSTS, comma- or space-separated', () => {
    const config = loadConfig(
      { dataDir: 'memory://' },
      { GROUNDWORK_INGEST_ALLOWED_URL_HOSTS: 'wiki.corp.example, *.intranet.example 10.0.0.0/8,fd00::/8' },
    );
    expect(config.ingest.allowedUrlHosts).toEqual([
      'wiki.corp.example',
      '*.intranet.example',
      '10.0.0.0/8',
      'fd00::/8',
    ]);
  });

  it('names each entry it cannot use', () => {
    for (const bad of [
      'http://wiki.corp',
      '10.0.0.0/33',
      'wiki corp',
      '*',
      '*.',
      '::1/129',
      '10.0.0.0/8/1',
    ]) {
      expect(() => loadConfig({ dataDir: 'memory://', ingest: { allowedUrlHosts: [bad] } }, {})).toThrow(
        `ingest.allowedUrlHosts: "${bad}" is not a host name`,
      );
    }
  });

  it('matches names exactly or by suffix, and addresses by network', () => {
    const { allowList } = parseUrlAllowList([
      'Wiki.Corp.Example',
      '*.intranet.example',
      '10.1.0.0/16',
      '::1',
    ]);
    expect(isHostAllowed(allowList, 'wiki.corp.example.')).toBe(true);
    expect(isHostAllowed(allowList, 'evil-wiki.corp.example')).toBe(false);
    expect(isHostAllowed(allowList, 'a.b.intranet.example')).toBe(true);
    expect(isHostAllowed(allowList, 'intranet.example.evil.test')).toBe(false);
    expect(isAddressAllowed(allowList, parseIpAddress('10.1.255.1')!)).toBe(true);
    expect(isAddressAllowed(allowList, parseIpAddress('10.2.0.1')!)).toBe(false);
    expect(isAddressAllowed(allowList, parseIpAddress('[::1]')!)).toBe(true);
    expect(isAddressAllowed(allowList, parseIpAddress('::ffff:10.1.0.1')!)).toBe(false);
  });
});
