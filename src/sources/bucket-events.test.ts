import { describe, expect, it } from 'vitest';
import { GroundworkError } from '../errors.ts';
import { parseBucketEvents, signEvent, verifyEvent } from './bucket-events.ts';

const record = (eventName: string, key: string, bucket = 'kb') => ({
  eventName,
  s3: { bucket: { name: bucket }, object: { key } },
});
const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return GroundworkError.isInstance(error) ? error.code : 'crash';
  }
};

describe('bucket event notifications', () => {
  it('decodes keys as S3 sends them, and the last record about a key decides', () => {
    const body = JSON.stringify({
      Records: [
        record('ObjectCreated:Put', 'docs/setup+guide%C3%A9.md'),
        record('ObjectCreated:Put', 'docs/a.md'),
        record('ObjectRemoved:Delete', 'docs/a.md'),
        record('ObjectRemoved:Delete', 'docs/b.md'),
        record('ObjectCreated:CompleteMultipartUpload', 'docs/b.md'),
        record('s3:TestEvent', 'docs/ignored.md'),
      ],
    });
    expect(parseBucketEvents(body, 'kb')).toEqual({
      changed: ['docs/setup guideé.md', 'docs/b.md'],
      removed: ['docs/a.md'],
    });
  });

  it('refuses what is not an S3 event of this bucket with invalid_event, never a crash', () => {
    for (const body of [
      'not json',
      'null',
      '[]',
      '{"Records": {}}',
      JSON.stringify({ Records: [null] }),
      JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put' }] }),
      JSON.stringify({ Records: [record('ObjectCreated:Put', '%E0%A4%A')] }),
      JSON.stringify({ Records: [record('ObjectCreated:Put', 'a%00b')] }),
      JSON.stringify({ Records: [record('ObjectCreated:Put', 'a.md', 'another-bucket')] }),
    ])
      expect(
        codeOf(() => parseBucketEvents(body, 'kb')),
        body,
      ).toBe('invalid_event');
  });

  it('accepts only a fresh signature of the exact body with the secret', () => {
    const now = Date.now();
    const at = Math.floor(now / 1000);
    const body = '{"Records":[]}';
    const good = { timestamp: String(at), signature: signEvent('s3cret', at, body) };
    expect(codeOf(() => verifyEvent('s3cret', good, body, now))).toBe('accepted');
    expect(codeOf(() => verifyEvent('s3cret', good, `${body} `, now))).toBe('invalid_signature');
    expect(codeOf(() => verifyEvent('other', good, body, now))).toBe('invalid_signature');
    expect(codeOf(() => verifyEvent('s3cret', good, body, now + 301_000))).toBe('invalid_signature');
    expect(codeOf(() => verifyEvent('s3cret', { timestamp: String(at) }, body, now))).toBe(
      'invalid_signature',
    );
    expect(codeOf(() => verifyEvent('s3cret', { ...good, timestamp: 'soon' }, body, now))).toBe(
      'invalid_signature',
    );
    expect(codeOf(() => verifyEvent('s3cret', { ...good, signature: 'sha256=00' }, body, now))).toBe(
      'invalid_signature',
    );
  });
});
