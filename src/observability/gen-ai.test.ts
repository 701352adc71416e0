import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messagesText } from './gen-ai.ts';

describe('messagesText', () => {
  it('is exactly the start of the whole encoding, whatever the text and the cut', () => {
    const message = fc.record({
      role: fc.constantFrom('system', 'user', 'assistant'),
      // Quotes, backslashes, control characters and astral symbols all change length when encoded.
      content: fc.string({
        unit: fc.constantFrom('a', '"', '\\', '\n', '\u0001', 'é', '😀', '<', ' '),
        maxLength: 300,
      }),
    });
    fc.assert(
      fc.property(fc.array(message, { maxLength: 5 }), fc.nat(2000), (messages, maxChars) => {
        const whole = JSON.stringify(messages);
        expect(messagesText(messages, maxChars)).toBe(whole.slice(0, maxChars));
        expect(messagesText(messages)).toBe(whole);
      }),
      { numRuns: 500 },
    );
  });

  it('does not encode what lies past the cut', () => {
    // Content that cannot be encoded (a getter that throws) shows whether the cut part was read.
    const late = {
      role: 'user',
      get content(): string {
        throw new Error('read past the cut');
      },
    };
    const early = { role: 'system', content: 'x'.repeat(5000) };
    expect(messagesText([early, late], 100)).toBe(JSON.stringify([early]).slice(0, 100));
  });
});
