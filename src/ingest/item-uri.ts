/**
 * @module ingest/item-uri
 * A job item is stored as one URI string; this maps sources to item URIs and back. Each kind has its
 * own unmistakable form: `upload://<id>/<name>`, an `http(s)://` URL, or an absolute path (canonical,
 * as submit resolved it). Anything else is not guessed at: it is an invalid item, never a path.
 */
import path from 'node:path';
import { IngestError } from '../errors.ts';
import type { IngestSource } from './request.ts';

/** A source as seen by the worker after parsing its item URI. */
export type ItemTarget =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'upload'; readonly uploadId: string; readonly fileName: string }
  | { readonly kind: 'object'; readonly sourceId: string; readonly key: string }
  /** A form no source produces (a hand-edited row, a job from an older version): never read. */
  | { readonly kind: 'invalid'; readonly uri: string };

const UPLOAD_PREFIX = 'upload://';
const SOURCE_PREFIX = 'source://';
const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The item URI of an upload. */
export function uploadUri(source: Extract<IngestSource, { kind: 'upload' }>): string {
  return `${UPLOAD_PREFIX}${source.uploadId}/${encodeURIComponent(source.fileName)}`;
}

/** The item URI (and document origin) of an object of a server-side source. */
export function sourceObjectUri(sourceId: string, key: string): string {
  return `${SOURCE_PREFIX}${sourceId}/${encodeURIComponent(key)}`;
}

/** Parses an item URI; a form no source produces is `invalid`, never guessed to be a path. */
export function parseItemUri(uri: string): ItemTarget {
  if (uri.startsWith(UPLOAD_PREFIX)) {
    const rest = uri.slice(UPLOAD_PREFIX.length);
    const slash = rest.indexOf('/');
    const uploadId = rest.slice(0, slash);
    if (slash > 0 && UPLOAD_ID.test(uploadId)) {
      return { kind: 'upload', uploadId, fileName: decodeURIComponent(rest.slice(slash + 1)) };
    }
  } else if (uri.startsWith(SOURCE_PREFIX)) {
    const rest = uri.slice(SOURCE_PREFIX.length);
    const slash = rest.indexOf('/');
    const sourceId = rest.slice(0, slash);
    if (slash > 0 && UPLOAD_ID.test(sourceId)) {
      try {
        return { kind: 'object', sourceId, key: decodeURIComponent(rest.slice(slash + 1)) };
      } catch {
        return { kind: 'invalid', uri };
      }
    }
  } else if (/^https?:\/\//i.test(uri)) return { kind: 'url', url: uri };
  else if (path.isAbsolute(uri) && !uri.includes('\0')) return { kind: 'path', path: uri };
  return { kind: 'invalid', uri };
}

/** The failure of an item whose URI is `invalid`. */
export function invalidItem(): IngestError {
  return new IngestError(
    'invalid_item',
    'The item is neither an absolute path, an http(s) URL nor an upload, so it was not read.',
  );
}
