/**
 * @module ingest/parsers/docx
 * Word (.docx) parser: vets the ZIP container, converts with mammoth to HTML, and reuses the HTML
 * block extraction. mammoth holds the whole document in memory, so the registry runs this parser
 * inside the sandbox.
 */
import type { Element } from 'domhandler';
import { findAll, removeElement } from 'domutils';
import { parseDocument } from 'htmlparser2';
import mammoth from 'mammoth';
import { IngestError } from '../../errors.ts';
import type { ParseResult } from '../../spec/document.ts';
import type { DocumentParser, ParserInput } from '../../spec/parser.ts';
import { domToBlocks } from './html.ts';
import { MEDIA_TYPE } from './media-types.ts';
import { readZipDirectory, readZipEntry, type ZipEntry } from './zip-directory.ts';
import { assertSafeZip, type ZipLimits } from './zip-guard.ts';

/** Settings of the DOCX parser. */
export type DocxParserOptions = Partial<ZipLimits>;

const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxUnzippedBytes: 512 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxEntries: 10_000,
};

const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const MAX_WARNINGS = 20;

/** Parses Word documents; one document per file. */
export class DocxParser implements DocumentParser {
  readonly specificationVersion = 'v1';
  readonly name = 'docx';
  readonly mediaTypes = [MEDIA_TYPE.docx];
  private readonly limits: ZipLimits;

  constructor(options: DocxParserOptions = {}) {
    this.limits = { ...DEFAULT_ZIP_LIMITS, ...options };
  }

  async parse(input: ParserInput): Promise<ParseResult> {
    const bytes = input.bytes;
    if (CFB_MAGIC.every((byte, index) => bytes[index] === byte)) throw oleError(bytes);
    const entries = readZipDirectory(bytes);
    assertSafeZip(entries, this.limits);
    if (entries.some((entry) => entry.encrypted)) {
      throw new IngestError(
        'encrypted',
        'The document is password-protected; remove the password and save it again',
      );
    }
    if (!entries.some((entry) => entry.name === 'word/document.xml')) {
      throw new IngestError(
        'corrupt',
        'The file is a ZIP archive but not a Word document (no word/document.xml)',
      );
    }
    const result = await convert(bytes);
    const dom = parseDocument(result.value);
    // Footnote back-links ("↑") are navigation inside the document, not text.
    for (const link of findAll(
      (node) => /^#(?:foot|end)note-ref-/.test(node.attribs.href ?? ''),
      dom.children,
    )) {
      removeElement(link);
    }
    const blocks = domToBlocks(dom, { pruneChrome: false });
    if (blocks.length === 0) throw new IngestError('no_text', 'The Word document contains no text');
    const properties = coreProperties(bytes, entries);
    const title =
      (typeof properties.title === 'string' ? properties.title : undefined) ??
      blocks.find((block) => block.kind === 'heading')?.text;
    const messages = [...new Set(result.messages.map((message) => message.message))];
    const warnings = messages.slice(0, MAX_WARNINGS);
    if (messages.length > MAX_WARNINGS)
      warnings.push(`… and ${messages.length - MAX_WARNINGS} more conversion warnings`);
    return { documents: [{ title, blocks, metadata: properties }], warnings };
  }
}

async function convert(bytes: Uint8Array): Promise<{ value: string; messages: { message: string }[] }> {
  try {
    return await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        // Never read files the document points at; and skip image data, which we do not index.
        externalFileAccess: false,
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      },
    );
  } catch (error) {
    throw new IngestError('corrupt', `The Word document cannot be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** OLE2 (CFB) files: password-protected OOXML, or a legacy binary Office file. */
function oleError(bytes: Uint8Array): IngestError {
  const marker = Buffer.from('EncryptedPackage', 'utf16le');
  if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(marker)) {
    return new IngestError(
      'encrypted',
      'The Word document is password-protected; remove the password (File > Info > Protect Document) or supply an unprotected copy',
    );
  }
  return new IngestError(
    'unsupported_type',
    'Legacy Word (.doc) files are not supported; save the file as .docx or PDF',
  );
}

const CORE_FIELDS: Readonly<Record<string, string>> = {
  'dc:title': 'title',
  'dc:creator': 'author',
  'dc:subject': 'subject',
  'cp:keywords': 'keywords',
  'dc:description': 'description',
  'dc:language': 'language',
  'dcterms:created': 'created',
  'dcterms:modified': 'modified',
};

/** Title, author and dates from `docProps/core.xml`, when present and readable. */
function coreProperties(bytes: Uint8Array, entries: readonly ZipEntry[]): Record<string, unknown> {
  const entry = entries.find((candidate) => candidate.name === 'docProps/core.xml');
  if (!entry) return {};
  let xml: string;
  try {
    xml = new TextDecoder().decode(readZipEntry(bytes, entry, 256 * 1024));
  } catch {
    return {};
  }
  const properties: Record<string, unknown> = {};
  const dom = parseDocument(xml, { xmlMode: true });
  for (const element of findAll((node) => node.name in CORE_FIELDS, dom.children) as Element[]) {
    const text = element.children
      .map((child) => ('data' in child ? String(child.data) : ''))
      .join('')
      .trim();
    if (text) properties[CORE_FIELDS[element.name]!] = text;
  }
  return properties;
}

/** Creates the DOCX parser; the sandbox worker calls this by name. */
export function createDocxParser(options: DocxParserOptions = {}): DocumentParser {
  return new DocxParser(options);
}
