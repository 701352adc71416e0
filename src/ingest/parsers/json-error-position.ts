/**
 * @module ingest/parsers/json-error-position
 * Finds where invalid JSON goes wrong. V8's `JSON.parse` messages often omit the position, and a
 * user fixing a 50 MB export needs the line and column.
 */

/** Line and column (both 1-based) of a character offset. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/**
 * Offset of the first JSON syntax error in `text` (equal to `text.length` for a truncated
 * document), or -1 when the text is valid JSON.
 */
export function locateJsonError(text: string): number {
  const length = text.length;
  const stack: ('array' | 'object')[] = [];
  let index = 0;
  let state: 'value' | 'key' | 'after' = 'value';
  const skipSpace = (): void => {
    while (index < length && /[ \t\n\r]/.test(text[index]!)) index++;
  };
  const readString = (): boolean => {
    index++;
    while (index < length) {
      const code = text.charCodeAt(index);
      if (code === 0x22) {
        index++;
        return true;
      }
      if (code < 0x20) return false;
      if (code === 0x5c) {
        const escaped = text[index + 1] ?? '';
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) return false;
          index += 6;
          continue;
        }
        if (escaped === '' || !'"\\/bfnrt'.includes(escaped)) return false;
        index += 2;
        continue;
      }
      index++;
    }
    return false;
  };
  for (;;) {
    skipSpace();
    if (state === 'after' && stack.length === 0) return index < length ? index : -1;
    if (index >= length) return length;
    const char = text[index]!;
    if (state === 'value') {
      if (char === '{' || char === '[') {
        stack.push(char === '{' ? 'object' : 'array');
        index++;
        skipSpace();
        if (text[index] === (char === '{' ? '}' : ']')) {
          stack.pop();
          index++;
          state = 'after';
        } else state = char === '{' ? 'key' : 'value';
      } else if (char === '"') {
        if (!readString()) return Math.min(index, length);
        state = 'after';
      } else {
        const pattern = char === 't' || char === 'f' || char === 'n' ? LITERAL : NUMBER;
        pattern.lastIndex = index;
        if (!pattern.test(text)) return index;
        index = pattern.lastIndex;
        state = 'after';
      }
    } else if (state === 'key') {
      if (char !== '"' || !readString()) return Math.min(index, length);
      skipSpace();
      if (text[index] !== ':') return Math.min(index, length);
      index++;
      state = 'value';
    } else {
      const top = stack.at(-1);
      if (char === ',') {
        index++;
        state = top === 'object' ? 'key' : 'value';
      } else if ((top === 'array' && char === ']') || (top === 'object' && char === '}')) {
        stack.pop();
        index++;
      } else return index;
    }
  }
}

/** Converts an offset into a 1-based line and column. */
export function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < offset;
    index = text.indexOf('\n', index + 1)
  ) {
    line++;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
