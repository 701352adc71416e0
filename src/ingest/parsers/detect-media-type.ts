/**
 * @module ingest/parsers/detect-media-type
 * Decides which parser gets a file. The bytes win over the name and the name over what a server
 * claimed, because extensions and HTTP headers are often wrong while magic numbers rarely are.
 */
import { IngestError } from '../../errors.ts';
import {
  DECLARED_MEDIA_TYPES,
  EXTENSION_MEDIA_TYPES,
  MEDIA_TYPE,
  type SupportedMediaType,
  TEXT_MEDIA_TYPES,
} from './media-types.ts';
import { readZipDirectory } from './zip-directory.ts';

/** Formats we recognise only to name them in the error message; `binary` ones need a failed text sniff. */
const KNOWN_FORMATS: readonly { magic: readonly number[]; offset?: number; name: string; binary?: false }[] =
  [
    { magic: [0x89, 0x50, 0x4e, 0x47], name: 'a PNG image' },
    { magic: [0xff, 0xd8, 0xff], name: 'a JPEG image' },
    { magic: [0x47, 0x49, 0x46, 0x38], name: 'a GIF image' },
    { magic: [0x49, 0x49, 0x2a, 0x00], name: 'a TIFF image' },
    { magic: [0x4d, 0x4d, 0x00, 0x2a], name: 'a TIFF image' },
    { magic: [0x1f, 0x8b], name: 'a gzip archive' },
    { magic: [0x52, 0x61, 0x72, 0x21], name: 'a RAR archive' },
    { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], name: 'a 7-Zip archive' },
    { magic: [0x7f, 0x45, 0x4c, 0x46], name: 'an executable' },
    { magic: [0x52, 0x49, 0x46, 0x46], name: 'a media file (RIFF)' },
    { magic: [0x4f, 0x67, 0x67, 0x53], name: 'an Ogg media file' },
    { magic: [0x66, 0x74, 0x79, 0x70], offset: 4, name: 'an MP4/QuickTime media file' },
    { magic: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], name: 'an SQLite database' },
    {
      magic: [0x7b, 0x5c, 0x72, 0x74, 0x66],
      name: 'an RTF document (save it as .docx or PDF)',
      binary: false,
    },
    { magic: [0x25, 0x21, 0x50, 0x53], name: 'a PostScript file (convert it to PDF)', binary: false },
  ];

const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const SAMPLE_BYTES = 64 * 1024;

/**
 * Returns the media type of a file's bytes, using magic numbers, then the file name's extension,
 * then the declared (HTTP) content type, then a text sniff.
 * Throws `empty_file` for empty or whitespace-only input and `unsupported_type` for anything else
 * no parser can read.
 * @example
 * detectMediaType(bytes, 'report.pdf'); // 'application/pdf'
 */
export function detectMediaType(bytes: Uint8Array, fileName?: string, declaredType?: string): string {
  if (isBlank(bytes)) {
    throw new IngestError('empty_file', 'The file is empty (no content, or only whitespace)');
  }
  const extension = extensionOf(fileName);
  const text = looksLikeText(bytes);
  const byMagic = detectByMagic(bytes, text, extension, declaredType);
  if (byMagic) return byMagic;

  const claimed =
    (extension ? EXTENSION_MEDIA_TYPES[extension] : undefined) ?? declaredMediaType(declaredType);
  if (claimed === MEDIA_TYPE.pdf || claimed === MEDIA_TYPE.docx) return claimed;
  if (!text) {
    const named = claimed ? ` although it is labelled ${claimed}` : '';
    throw new IngestError(
      'unsupported_type',
      `The file looks like binary data of an unknown format${named}; supported: PDF, DOCX, HTML, Markdown, text, CSV, JSON`,
    );
  }
  if (claimed && TEXT_MEDIA_TYPES.has(claimed)) return claimed;
  if (extension === 'svg' || looksLikeSvg(bytes)) {
    // SVG is text, but its text is drawing instructions; indexing it would only add noise.
    throw new IngestError('unsupported_type', 'The file is an SVG image, which is not a supported format');
  }
  return looksLikeHtml(bytes) ? MEDIA_TYPE.html : MEDIA_TYPE.text;
}

function detectByMagic(
  bytes: Uint8Array,
  text: boolean,
  extension: string | undefined,
  declared?: string,
): string | undefined {
  if (indexOfAscii(bytes, '%PDF-', 1024) >= 0) return MEDIA_TYPE.pdf;
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    return detectZip(bytes, extension, declared);
  }
  if (startsWith(bytes, CFB_MAGIC)) {
    // Password-protected OOXML is an OLE2 (CFB) container holding an `EncryptedPackage` stream.
    const encrypted = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(
      Buffer.from('EncryptedPackage', 'utf16le'),
    );
    if (encrypted && extension !== 'xlsx' && extension !== 'pptx') return MEDIA_TYPE.docx;
    throw new IngestError(
      'unsupported_type',
      encrypted
        ? 'The file is a password-protected Office document of a type we do not read; remove the password and save it as .docx or PDF'
        : 'Legacy Microsoft Office files (.doc, .xls, .ppt) are not supported; save the file as .docx or PDF',
    );
  }
  for (const known of KNOWN_FORMATS) {
    if ((known.binary === false || !text) && startsWith(bytes, known.magic, known.offset)) {
      throw new IngestError('unsupported_type', `The file is ${known.name}, which is not a supported format`);
    }
  }
  return undefined;
}

function detectZip(bytes: Uint8Array, extension: string | undefined, declared?: string): string {
  let names: Set<string>;
  try {
    names = new Set(readZipDirectory(bytes).map((entry) => entry.name));
  } catch (error) {
    // A damaged DOCX should fail as corrupt in the DOCX parser, not as an unknown type.
    if (extension === 'docx' || declaredMediaType(declared) === MEDIA_TYPE.docx) return MEDIA_TYPE.docx;
    throw error;
  }
  if (names.has('word/document.xml')) return MEDIA_TYPE.docx;
  const kind = names.has('xl/workbook.xml')
    ? 'an Excel workbook (.xlsx); export the sheet as CSV'
    : names.has('ppt/presentation.xml')
      ? 'a PowerPoint presentation (.pptx); export it as PDF'
      : names.has('mimetype')
        ? 'an OpenDocument or EPUB file; save it as .docx or PDF'
        : 'a ZIP archive; extract it and ingest the files inside';
  throw new IngestError('unsupported_type', `The file is ${kind}`);
}

function declaredMediaType(declared: string | undefined): SupportedMediaType | undefined {
  if (!declared) return undefined;
  const bare = declared.split(';')[0]?.trim().toLowerCase() ?? '';
  return DECLARED_MEDIA_TYPES[bare];
}

function extensionOf(fileName: string | undefined): string | undefined {
  if (!fileName) return undefined;
  const base = fileName.split(/[?#]/)[0]?.split(/[/\\]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : undefined;
}

/** True for zero bytes or only ASCII whitespace (after an optional UTF-8 byte-order mark). */
function isBlank(bytes: Uint8Array): boolean {
  const start = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  for (let index = start; index < bytes.length; index++) {
    const byte = bytes[index]!;
    if (byte !== 0x20 && (byte < 0x09 || byte > 0x0d)) return false;
  }
  return true;
}

/**
 * Text sniff on the first 64 KB: UTF-16 with a byte-order mark, or no NUL bytes and either valid
 * UTF-8 or (for legacy 8-bit encodings) almost no control characters.
 */
export function looksLikeText(bytes: Uint8Array): boolean {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return true;
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  if (sample.includes(0)) return false;
  try {
    // `stream: true` tolerates a multi-byte character cut off at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    let control = 0;
    for (const byte of sample) if ((byte < 0x09 || (byte > 0x0d && byte < 0x20)) && byte !== 0x1b) control++;
    return control / sample.length < 0.01;
  }
}

function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 1024)).trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return true;
  return (head.startsWith('<?xml') || head.startsWith('<!--')) && head.includes('<html');
}

function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 1024)).trimStart().toLowerCase();
  return (
    head.startsWith('<svg') ||
    ((head.startsWith('<?xml') || head.startsWith('<!doctype svg')) && head.includes('<svg'))
  );
}

function startsWith(bytes: Uint8Array, magic: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + magic.length) return false;
  return magic.every((byte, index) => bytes[offset + index] === byte);
}

function indexOfAscii(bytes: Uint8Array, needle: string, within: number): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, within)).indexOf(
    needle,
    0,
    'latin1',
  );
}
