/**
 * @module ingest/parsers/zip-directory
 * Reads a ZIP file's central directory (names and declared sizes) without inflating anything, so
 * DOCX files can be vetted before a library unpacks them, and reads single small entries.
 */
import { inflateRawSync } from 'node:zlib';
import { IngestError } from '../../errors.ts';

/** One file in a ZIP archive, as its central directory declares it. */
export interface ZipEntry {
  readonly name: string;
  /** 0 = stored, 8 = deflate; others are rare in office files. */
  readonly method: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly encrypted: boolean;
  readonly localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const MAX_32 = 0xffffffff;

function damaged(detail: string): IngestError {
  return new IngestError('corrupt', `ZIP container is damaged (${detail}); the file may be truncated`);
}

/** Lists the entries of a ZIP archive from its central directory. Throws `corrupt` when it is unreadable. */
export function readZipDirectory(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndOfCentralDirectory(view);
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  const locator = eocd - 20;
  if ((offset === MAX_32 || count === 0xffff) && locator >= 0) {
    if (view.getUint32(locator, true) !== ZIP64_LOCATOR_SIGNATURE) throw damaged('missing ZIP64 locator');
    const zip64 = Number(view.getBigUint64(locator + 8, true));
    if (zip64 + 56 > view.byteLength || view.getUint32(zip64, true) !== ZIP64_EOCD_SIGNATURE) {
      throw damaged('bad ZIP64 directory');
    }
    count = Number(view.getBigUint64(zip64 + 32, true));
    offset = Number(view.getBigUint64(zip64 + 48, true));
  }
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder();
  for (let index = 0; index < count; index++) {
    if (offset + 46 > view.byteLength || view.getUint32(offset, true) !== CENTRAL_HEADER_SIGNATURE) {
      throw damaged(`central directory entry ${index + 1} is unreadable`);
    }
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const nameStart = offset + 46;
    if (nameStart + nameLength + extraLength > view.byteLength) throw damaged('entry name runs past the end');
    const sizes = {
      compressed: view.getUint32(offset + 20, true),
      uncompressed: view.getUint32(offset + 24, true),
      local: view.getUint32(offset + 42, true),
    };
    readZip64Extra(view, nameStart + nameLength, extraLength, sizes);
    entries.push({
      name: decoder.decode(bytes.subarray(nameStart, nameStart + nameLength)),
      method: view.getUint16(offset + 10, true),
      compressedSize: sizes.compressed,
      uncompressedSize: sizes.uncompressed,
      encrypted: (view.getUint16(offset + 8, true) & 1) === 1,
      localHeaderOffset: sizes.local,
    });
    offset = nameStart + nameLength + extraLength + commentLength;
  }
  return entries;
}

function findEndOfCentralDirectory(view: DataView): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, so search only that tail.
  const lowest = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let position = view.byteLength - 22; position >= lowest; position--) {
    if (view.getUint32(position, true) === EOCD_SIGNATURE) return position;
  }
  throw damaged('no central directory');
}

/** ZIP64 extra field: 64-bit values present only for the fields whose 32-bit slot is saturated. */
function readZip64Extra(
  view: DataView,
  start: number,
  length: number,
  sizes: { compressed: number; uncompressed: number; local: number },
): void {
  let position = start;
  while (position + 4 <= start + length) {
    const id = view.getUint16(position, true);
    const size = view.getUint16(position + 2, true);
    if (id === 0x0001) {
      let field = position + 4;
      const read = (): number => {
        if (field + 8 > position + 4 + size) throw damaged('short ZIP64 field');
        const value = Number(view.getBigUint64(field, true));
        field += 8;
        return value;
      };
      if (sizes.uncompressed === MAX_32) sizes.uncompressed = read();
      if (sizes.compressed === MAX_32) sizes.compressed = read();
      if (sizes.local === MAX_32) sizes.local = read();
      return;
    }
    position += 4 + size;
  }
}

/**
 * Inflates one entry, refusing to produce more than `maxBytes` (the declared size can lie, the cap
 * cannot).
 */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, maxBytes: number): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offset = entry.localHeaderOffset;
  if (offset + 30 > view.byteLength || view.getUint32(offset, true) !== LOCAL_HEADER_SIGNATURE) {
    throw damaged(`local header of ${entry.name} is unreadable`);
  }
  const dataStart = offset + 30 + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true);
  const data = bytes.subarray(dataStart, dataStart + entry.compressedSize);
  if (entry.method === 0) return data.subarray(0, maxBytes);
  if (entry.method !== 8) throw damaged(`${entry.name} uses compression method ${entry.method}`);
  try {
    return inflateRawSync(data, { maxOutputLength: maxBytes });
  } catch (error) {
    throw damaged(`${entry.name} does not inflate: ${(error as Error).message}`);
  }
}
