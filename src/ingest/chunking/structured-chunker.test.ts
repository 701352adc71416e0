import { describe, expect, it } from 'vitest';
import type { Block } from '../../spec/document.ts';
import { createTokenCounter } from '../../text/tokens.ts';
import { createStructuredChunker } from './structured-chunker.ts';

const counter = createTokenCounter();
const chunker = createStructuredChunker(counter);

const sentence = (index: number) => `Sentence number ${index} explains one more detail about routers.`;
const paragraph = (from: number, count: number) =>
  Array.from({ length: count }, (_, offset) => sentence(from + offset)).join(' ');

describe('structured chunker', () => {
  it('keeps small documents in one chunk with their heading path', () => {
    const blocks: Block[] = [
      { kind: 'heading', level: 1, text: 'Manual' },
      { kind: 'heading', level: 2, text: 'Setup' },
      { kind: 'paragraph', text: 'Plug the router in.' },
    ];
    const chunks = chunker.chunk({ blocks }, { maxTokens: 200, overlapTokens: 20 });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.headingPath).toEqual(['Manual', 'Setup']);
    expect(chunks[0]!.text).toBe('Manual\n\nSetup\n\nPlug the router in.');
  });

  it('starts a new chunk at a heading once the current section is substantial', () => {
    const blocks: Block[] = [
      { kind: 'heading', level: 1, text: 'Install' },
      { kind: 'paragraph', text: paragraph(0, 8) },
      { kind: 'heading', level: 1, text: 'Reset' },
      { kind: 'paragraph', text: 'Hold the reset button for ten seconds.' },
    ];
    const chunks = chunker.chunk({ blocks }, { maxTokens: 200, overlapTokens: 20 });
    expect(chunks.map((chunk) => chunk.headingPath)).toEqual([['Install'], ['Reset']]);
    expect(chunks[1]!.text).toBe('Reset\n\nHold the reset button for ten seconds.');
  });

  it('replaces the heading path when a sibling or parent heading arrives', () => {
    const blocks: Block[] = [
      { kind: 'heading', level: 1, text: 'A' },
      { kind: 'heading', level: 2, text: 'A.1' },
      { kind: 'paragraph', text: paragraph(0, 12) },
      { kind: 'heading', level: 2, text: 'A.2' },
      { kind: 'paragraph', text: paragraph(20, 12) },
      { kind: 'heading', level: 1, text: 'B' },
      { kind: 'paragraph', text: paragraph(40, 12) },
    ];
    const chunks = chunker.chunk({ blocks }, { maxTokens: 200, overlapTokens: 0 });
    expect(chunks.map((chunk) => chunk.headingPath)).toEqual([['A', 'A.1'], ['A', 'A.2'], ['B']]);
  });

  it('splits long sections by whole sentences within the token budget, with sentence overlap', () => {
    const blocks: Block[] = [{ kind: 'paragraph', text: paragraph(0, 60) }];
    const chunks = chunker.chunk({ blocks }, { maxTokens: 120, overlapTokens: 30 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(120 + 8);
      expect(chunk.text).toMatch(/^Sentence number \d+/);
      expect(chunk.text).toMatch(/routers\.$/);
    }
    // Every sentence survives, and consecutive chunks share whole sentences.
    const all = chunks.map((chunk) => chunk.text).join(' ');
    for (let index = 0; index < 60; index++) expect(all).toContain(sentence(index));
    const lastOfFirst = chunks[0]!.text.split('. ').at(-1)!;
    expect(chunks[1]!.text).toContain(lastOfFirst);
  });

  it('keeps a table whole when it fits, moving it to a fresh chunk rather than splitting it', () => {
    const table = Array.from({ length: 8 }, (_, row) => `model ${row} | 2.4 GHz | ${row * 100} Mbit/s`).join(
      '\n',
    );
    const blocks: Block[] = [
      { kind: 'paragraph', text: paragraph(0, 7) },
      { kind: 'table', text: table },
    ];
    const chunks = chunker.chunk({ blocks }, { maxTokens: 150, overlapTokens: 0 });
    const holder = chunks.filter((chunk) => chunk.text.includes('model 0 |'));
    expect(holder).toHaveLength(1);
    expect(holder[0]!.text).toContain('model 7 |');
  });

  it('splits an oversize table by rows and code by lines', () => {
    const table = Array.from({ length: 80 }, (_, row) => `row ${row} | value ${row}`).join('\n');
    const chunks = chunker.chunk(
      { blocks: [{ kind: 'table', text: table }] },
      { maxTokens: 100, overlapTokens: 0 },
    );
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks)
      for (const line of chunk.text.split('\n')) expect(line).toMatch(/^row \d+ \| value \d+$/);
  });

  it('cuts a single giant token-less word instead of emitting an oversize chunk', () => {
    const blob = 'x'.repeat(20_000);
    const chunks = chunker.chunk(
      { blocks: [{ kind: 'paragraph', text: blob }] },
      { maxTokens: 100, overlapTokens: 10 },
    );
    expect(chunks.map((chunk) => chunk.text).join('')).toBe(blob);
    for (const chunk of chunks) expect(chunk.tokenCount).toBeLessThanOrEqual(110);
  });

  it('records the page of each chunk and numbers chunks in order', () => {
    const blocks: Block[] = [
      { kind: 'paragraph', text: paragraph(0, 10), page: 1 },
      { kind: 'paragraph', text: paragraph(10, 10), page: 2 },
      { kind: 'paragraph', text: paragraph(20, 10), page: 3 },
    ];
    const chunks = chunker.chunk({ blocks }, { maxTokens: 140, overlapTokens: 0 });
    expect(chunks.map((chunk) => chunk.ordinal)).toEqual(chunks.map((_, index) => index));
    expect(chunks.map((chunk) => chunk.page)).toEqual([1, 2, 3]);
  });

  it('emits nothing for a document without text', () => {
    expect(
      chunker.chunk({ blocks: [{ kind: 'paragraph', text: '   ' }] }, { maxTokens: 100, overlapTokens: 10 }),
    ).toEqual([]);
  });
});
