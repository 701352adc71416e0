/**
 * @module testing/sse-reader
 * Reads a server-sent event stream one event at a time, so a test can act in the middle of a stream
 * (revoke a key, say) and then read what came after. Comment lines (`: keep-alive`) are skipped.
 */

/** One event: its name (absent for plain `data:` events) and its data lines joined. */
export interface SseEvent {
  readonly event?: string;
  readonly data: string;
}

/** The reader. */
export class SseReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = '';

  constructor(response: Response) {
    if (!response.body) throw new Error('The response has no body.');
    this.reader = response.body.getReader();
  }

  /** The next event, or undefined once the stream has closed. */
  async next(): Promise<SseEvent | undefined> {
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const event = parseBlock(block);
        if (event) return event;
        continue;
      }
      const { done, value } = await this.reader.read();
      if (done) return undefined;
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  /** Reads events until one named `name` (or, for `data:`-only streams, matching `test`) arrives. */
  async until(test: (event: SseEvent) => boolean): Promise<SseEvent> {
    for (;;) {
      const event = await this.next();
      if (!event) throw new Error('The stream closed before the expected event.');
      if (test(event)) return event;
    }
  }

  /** Every event left, until the stream closes. */
  async rest(): Promise<SseEvent[]> {
    const events: SseEvent[] = [];
    for (let event = await this.next(); event; event = await this.next()) events.push(event);
    return events;
  }
}

function parseBlock(block: string): SseEvent | undefined {
  let name: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    if (line.startsWith('event: ')) name = line.slice('event: '.length);
    else if (line.startsWith('data: ')) data.push(line.slice('data: '.length));
  }
  if (name === undefined && data.length === 0) return undefined;
  return name === undefined ? { data: data.join('\n') } : { event: name, data: data.join('\n') };
}
