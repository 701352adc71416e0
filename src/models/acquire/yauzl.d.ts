/**
 * The part of yauzl's API that model acquisition uses. yauzl ships no types, and a structural subset
 * keeps `@types/yauzl` out of the dependencies.
 */
declare module 'yauzl' {
  import type { Readable } from 'node:stream';

  export interface Entry {
    readonly fileName: string;
    readonly uncompressedSize: number;
    readonly compressedSize: number;
  }

  export interface ZipFile {
    eachEntry(): AsyncIterable<Entry>;
    openReadStreamPromise(entry: Entry): Promise<Readable>;
    close(): void;
  }

  export function openPromise(path: string, options?: { readonly autoClose?: boolean }): Promise<ZipFile>;
}
