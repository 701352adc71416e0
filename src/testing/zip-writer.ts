/**
 * @module testing/zip-writer
 * Builds small zip archives in memory (Maven jars, Python wheels and DOCX files are zips) so tests can
 * use real archives without a dependency. Stored or deflated entries, CRC-32, local headers and a central
 * directory; no zip64, so keep archives under 4 GiB (tests use kilobytes).
 */
import { crc32, deflateRawSync } from 'node:zlib';

/** One file in the archive. */
export interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array | string;
  /** Default `deflate`. */
  readonly method?: 'store' | 'deflate';
  /** Uncompressed size to declare instead of the real one (imitates zip bombs without shipping one). */
  readonly declaredSize?: number;
}

/** The bytes of a zip holding `entries`, in order. */
export function createZip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : Buffer.from(entry.data);
    const deflate = (entry.method ?? 'deflate') === 'deflate';
    const body = deflate ? deflateRawSync(data) : data;
    const name = Buffer.from(entry.name, 'utf8');
    const crc = crc32(data);
    // Shared fields of the local header (from "version needed") and the central record.
    const common = Buffer.alloc(26);
    common.writeUInt16LE(20, 0); // version needed to extract
    common.writeUInt16LE(0x0800, 2); // flags: UTF-8 names
    common.writeUInt16LE(deflate ? 8 : 0, 4);
    common.writeUInt16LE(0, 6); // time
    common.writeUInt16LE(0x21, 8); // date: 1980-01-01
    common.writeUInt32LE(crc, 10);
    common.writeUInt32LE(body.length, 14);
    common.writeUInt32LE(Math.min(entry.declaredSize ?? data.length, 0xffffffff), 18);
    common.writeUInt16LE(name.length, 22);
    common.writeUInt16LE(0, 24); // extra field length
    const local = Buffer.concat([u32(0x04034b50), common, name, body]);
    // Comment length, disk number, internal and external attributes (all zero), local header offset.
    const centralTail = Buffer.alloc(14);
    centralTail.writeUInt32LE(offset, 10);
    centrals.push(Buffer.concat([u32(0x02014b50), u16(20), common, centralTail, name]));
    locals.push(local);
    offset += local.length;
  }
  const central = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, central, end]);
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
}

function u16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16LE(value);
  return buffer;
}
