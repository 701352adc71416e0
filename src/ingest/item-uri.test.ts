import { describe, expect, it } from 'vitest';
import { parseItemUri, uploadUri } from './item-uri.ts';
import { ingestRequestSchema } from './request.ts';

describe('parseItemUri', () => {
  it('knows each kind by its own form', () => {
    expect(parseItemUri('/srv/docs/a.md')).toEqual({ kind: 'path', path: '/srv/docs/a.md' });
    expect(parseItemUri('HTTPS://example.com/a')).toEqual({ kind: 'url', url: 'HTTPS://example.com/a' });
    const upload = uploadUri({
      kind: 'upload',
      uploadId: '5f0c3f0e-8a4e-4a59-9d0b-3f8e8c1f2a11',
      fileName: 'a b.md',
    });
    expect(parseItemUri(upload)).toEqual({
      kind: 'upload',
      uploadId: '5f0c3f0e-8a4e-4a59-9d0b-3f8e8c1f2a11',
      fileName: 'a b.md',
    });
  });

  it('never guesses that an unknown form is a path', () => {
    for (const uri of [
      'x:/../../etc/passwd',
      'file:///etc/passwd',
      'ftp://example.com/a',
      'etc/passwd',
      '../../etc/passwd',
      '~/.ssh/id_rsa',
      'upload://not-a-uuid/a.md',
      'upload://../../etc/passwd',
      '/etc/passwd\0.md',
      '',
    ]) {
      expect([uri, parseItemUri(uri).kind]).toEqual([uri, 'invalid']);
    }
  });
});

describe('URL sources', () => {
  // zod's url() trims; this guards the item URI form should that ever change.
  it('are stored trimmed, so their item URI is known as a URL and not refused as invalid', () => {
    const request = ingestRequestSchema.parse({
      sources: [{ kind: 'url', url: '\t https://example.com/a  ' }],
    });
    const source = request.sources[0] as { url: string };
    expect(source.url).toBe('https://example.com/a');
    expect(parseItemUri(source.url).kind).toBe('url');
  });
});
