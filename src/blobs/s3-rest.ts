/**
 * @module blobs/s3-rest
 * The parts of S3's REST protocol the blob store and bucket sources share: where an object lives
 * (path-style for custom endpoints such as MinIO or moto, virtual-hosted on AWS) and reading the XML
 * of listings and errors.
 */
import { uriEncode } from './s3-signer.ts';

/** Where a bucket is. */
export interface S3Location {
  readonly bucket: string;
  readonly region: string;
  /** A custom endpoint (MinIO, R2, moto); path-style addressing by default when set. */
  readonly endpoint?: string;
  readonly pathStyle?: boolean;
}

/** The URL of `key` in the bucket (`key` empty: the bucket itself). */
export function s3ObjectUrl(location: S3Location, key: string): URL {
  const { bucket, region, endpoint } = location;
  const pathStyle = location.pathStyle ?? endpoint !== undefined;
  const base = new URL(endpoint ?? `https://s3.${region}.amazonaws.com`);
  const encodedKey = uriEncode(key, true);
  if (pathStyle) return new URL(`${base.origin}${base.pathname.replace(/\/$/, '')}/${bucket}/${encodedKey}`);
  return new URL(`${base.protocol}//${bucket}.${base.host}/${encodedKey}`);
}

/** The raw content of the first `<name>` element, or undefined. */
export function xmlTag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml)?.[1];
}

/** Text with XML's predefined entities (and `&#34;`, which S3 writes in ETags) decoded. */
export function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#34;/g, '"')
    .replace(/&amp;/g, '&');
}
