/**
 * Keeps the support chat free of duplicates. A support turn answers in its response, and its reply is
 * also stored in the conversation, which the page polls for a person's replies and for what follows
 * an approval. While a turn is in flight the poll's messages are held back; when the turn ends, its
 * reply's ordinal (`replyOrdinal`) is known and the held messages are released without it. Replies of
 * earlier turns are skipped by the same ordinals.
 */

/** A polled message with its place in the conversation. */
export interface OrdinalMessage {
  readonly ordinal: number;
}

/** The page's own replies and the messages held back during a turn. */
export class OwnReplies<Message extends OrdinalMessage> {
  private turns = 0;
  private readonly own = new Set<number>();
  private held: Message[] = [];

  /** A turn was sent. */
  begin(): void {
    this.turns += 1;
  }

  /** A turn ended (`replyOrdinal` absent when nothing was stored); returns the messages to show now. */
  end(replyOrdinal?: number): Message[] {
    if (replyOrdinal !== undefined) this.own.add(replyOrdinal);
    this.turns = Math.max(0, this.turns - 1);
    if (this.turns > 0) return [];
    const released = this.held.filter((message) => !this.own.has(message.ordinal));
    this.held = [];
    return released;
  }

  /** Polled messages: the ones to show now (none while a turn is in flight). */
  accept(messages: readonly Message[]): Message[] {
    if (this.turns > 0) {
      this.held.push(...messages);
      return [];
    }
    return messages.filter((message) => !this.own.has(message.ordinal));
  }

  /** Forgets everything (a new conversation). */
  reset(): void {
    this.turns = 0;
    this.own.clear();
    this.held = [];
  }
}
