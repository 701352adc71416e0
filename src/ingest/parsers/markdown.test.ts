import { describe, expect, it } from 'vitest';
import { readFrontMatter } from './front-matter.ts';
import { MarkdownParser } from './markdown.ts';
import { MEDIA_TYPE } from './media-types.ts';

async function parseMarkdown(source: string) {
  const parser = new MarkdownParser();
  const result = await parser.parse({
    bytes: new TextEncoder().encode(source),
    uri: 'doc.md',
    mediaType: MEDIA_TYPE.markdown,
  });
  return result.documents[0]!;
}

describe('MarkdownParser', () => {
  it('maps headings, paragraphs, lists, tables, code and quotes to blocks', async () => {
    const document = await parseMarkdown(
      [
        '# Install *groundwork*',
        '',
        'Run **this** with `npm` &amp; [read the docs](https://x.test) ![logo](l.png).',
        '',
        '- first',
        '  - nested',
        '- [x] done',
        '',
        '| Flag | Meaning |',
        '|------|---------|',
        '| `-v` | verbose |',
        '',
        '```sh',
        'npm start',
        '```',
        '',
        '> quoted',
        '> still quoted',
        '',
        '> second paragraph? no, a second quote',
        '',
        '## Next',
      ].join('\n'),
    );
    expect(document.title).toBe('Install groundwork');
    expect(document.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Install groundwork' },
      { kind: 'paragraph', text: 'Run this with npm & read the docs logo.' },
      { kind: 'list-item', text: 'first' },
      { kind: 'list-item', text: 'nested' },
      { kind: 'list-item', text: '[x] done' },
      { kind: 'table', text: 'Flag | Meaning\n-v | verbose' },
      { kind: 'code', text: 'npm start' },
      { kind: 'quote', text: 'quoted\nstill quoted' },
      { kind: 'quote', text: 'second paragraph? no, a second quote' },
      { kind: 'heading', level: 2, text: 'Next' },
    ]);
  });

  it('reads front matter into metadata and takes the title from it', async () => {
    const document = await parseMarkdown(
      '---\ntitle: "Release notes"\ntags: [a, "b c"]\nauthors:\n  - Ann\n  - Bo\ndraft: false\nversion: 3\n---\n# Heading\n\nText.',
    );
    expect(document.title).toBe('Release notes');
    expect(document.metadata).toEqual({
      title: 'Release notes',
      tags: ['a', 'b c'],
      authors: ['Ann', 'Bo'],
      draft: false,
      version: 3,
    });
    expect(document.blocks[0]).toEqual({ kind: 'heading', level: 1, text: 'Heading' });
  });

  it('reads raw HTML blocks through the HTML extractor', async () => {
    const document = await parseMarkdown(
      '<details><summary>More</summary>\n\n<p>Hidden <b>text</b></p>\n</details>\n',
    );
    expect(document.blocks.map((block) => block.text)).toEqual(['More', 'Hidden text']);
  });

  it('fails with no_text when only front matter is present', async () => {
    await expect(parseMarkdown('---\ntitle: x\n---\n')).rejects.toMatchObject({ code: 'no_text' });
  });
});

describe('readFrontMatter', () => {
  it('leaves text without front matter alone and skips nested mappings', () => {
    expect(readFrontMatter('no fences')).toEqual({ fields: {}, body: 'no fences' });
    const parsed = readFrontMatter('---\nseo:\n  title: x\nname: n # comment\n---\nbody');
    expect(parsed).toEqual({ fields: { name: 'n' }, body: 'body' });
  });
});
