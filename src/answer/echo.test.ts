import { describe, expect, it } from 'vitest';
import { echoesPrompt } from './echo.ts';
import { GROUNDED_SYSTEM_PROMPT } from './prompt.ts';

describe('echoesPrompt', () => {
  it('flags an answer that repeats the grounded instructions, example citations and all', () => {
    const leaked = `${GROUNDED_SYSTEM_PROMPT.split('\n').slice(0, 2).join('\n')}\n\nPassages:`;
    expect(echoesPrompt(leaked, GROUNDED_SYSTEM_PROMPT)).toBe(true);
  });

  it('flags passage markup copied into the answer', () => {
    expect(echoesPrompt('<passage n="1" title="Ports">The default is 5432.', GROUNDED_SYSTEM_PROMPT)).toBe(
      true,
    );
  });

  it('accepts real answers, including ones that share a few words with the instructions', () => {
    expect(echoesPrompt('The server listens on TCP port 5432 by default [1].', GROUNDED_SYSTEM_PROMPT)).toBe(
      false,
    );
    expect(
      echoesPrompt(
        'The passages do not say which port is used; the knowledge base does not say [1].',
        GROUNDED_SYSTEM_PROMPT,
      ),
    ).toBe(false);
  });
});
