import { describe, expect, it } from 'vitest';
import { OwnReplies } from '../../web/src/pages/chat/own-replies.ts';

const message = (ordinal: number, content = `m${ordinal}`) => ({ ordinal, content });

describe('OwnReplies', () => {
  it('holds polled messages during a turn and releases them without the turn’s own reply', () => {
    const own = new OwnReplies<ReturnType<typeof message>>();
    own.begin();
    // The poll saw the turn's reply (3) before the turn's response arrived, and an operator's line (4).
    expect(own.accept([message(3), message(4)])).toEqual([]);
    expect(own.end(3)).toEqual([message(4)]);
    // A later poll that returns the reply again (an older cursor) still skips it.
    expect(own.accept([message(3), message(5)])).toEqual([message(5)]);
  });

  it('passes messages through when no turn is in flight, and a held turn without a reply releases all', () => {
    const own = new OwnReplies<ReturnType<typeof message>>();
    expect(own.accept([message(1)])).toEqual([message(1)]);
    own.begin();
    expect(own.accept([message(2)])).toEqual([]);
    // A person holds the conversation: the turn stored no reply, so everything held is shown.
    expect(own.end()).toEqual([message(2)]);
    own.begin();
    own.accept([message(9)]);
    own.reset();
    expect(own.end()).toEqual([]);
  });
});
