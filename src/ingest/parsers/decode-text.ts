/**
 * @module ingest/parsers/decode-text
 * Turns the bytes of a text format into a string: byte-order marks first, then a charset the caller
 * found (HTML meta, HTTP header), then strict UTF-8, then Windows-1252 as the last resort.
 */

/** The decoded text and the encoding that produced it. */
export interface DecodedText {
  readonly text: string;
  readonly encoding: string;
  /** Set when the bytes were not valid in the expected encoding. */
  readonly warning?: string;
}

/** Decodes text bytes; `charset` is a label such as `iso-8859-1`, ignored when unknown. */
export function decodeText(bytes: Uint8Array, charset?: string): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  }
  const declared = charset ? decoderFor(charset) : undefined;
  if (declared && declared.encoding !== 'utf-8') {
    return { text: declared.decode(bytes), encoding: declared.encoding };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: legacy Western files are by far the most common case, and 1252 decodes every byte.
    return {
      text: new TextDecoder('windows-1252').decode(bytes),
      encoding: 'windows-1252',
      warning: 'The file is not valid UTF-8; it was read as Windows-1252, so some characters may be wrong',
    };
  }
}

function decoderFor(label: string): InstanceType<typeof TextDecoder> | undefined {
  try {
    return new TextDecoder(label.trim().toLowerCase());
  } catch {
    return undefined;
  }
}
