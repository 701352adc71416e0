import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Block } from '../../spec/document.ts';
import { readShared, sharedPath } from './__fixtures__/shared-data.ts';
import { HtmlParser } from './html.ts';
import { MEDIA_TYPE } from './media-types.ts';

const parser = new HtmlParser();
const PG = 'postgresql-15-docs/html';

async function parseHtml(html: string | Uint8Array) {
  const bytes = typeof html === 'string' ? new TextEncoder().encode(html) : html;
  const result = await parser.parse({ bytes, uri: 'test.html', mediaType: MEDIA_TYPE.html });
  return { document: result.documents[0]!, warnings: result.warnings };
}

const NAVIGATION = /^(Prev|Up|Home|Next)$|\bPrev\b.*\bNext\b/;

function navigationBlocks(blocks: readonly Block[]): Block[] {
  return blocks.filter((block) => NAVIGATION.test(block.text) || block.text.split(' | ').includes('Prev'));
}

describe('HtmlParser on the PostgreSQL manual', () => {
  it('keeps a tutorial page without its navigation header and footer', async () => {
    const { document } = await parseHtml(readShared(PG, 'tutorial-select.html'));
    expect(document.title).toBe('2.5. Querying a Table');
    expect(document.blocks[0]).toEqual({ kind: 'heading', level: 2, text: '2.5. Querying a Table' });
    expect(navigationBlocks(document.blocks)).toEqual([]);
    expect(
      document.blocks.some((block) => block.kind === 'code' && block.text === 'SELECT * FROM weather;'),
    ).toBe(true);
    // The footer's "2.4. Populating a Table With Rows" / "2.6. Joins Between Tables" labels are chrome too.
    expect(document.blocks.some((block) => block.text.includes('Joins Between Tables'))).toBe(false);
  });

  it('keeps reference-page headings, definition lists and synopsis code', async () => {
    const { document } = await parseHtml(readShared(PG, 'sql-createtable.html'));
    const headings = document.blocks.filter((block) => block.kind === 'heading').map((block) => block.text);
    expect(headings.slice(0, 4)).toEqual(['CREATE TABLE', 'Synopsis', 'Description', 'Parameters']);
    expect(document.blocks).toContainEqual({ kind: 'list-item', text: 'TEMPORARY or TEMP' });
    expect(document.blocks.find((block) => block.kind === 'code')?.text).toMatch(/^CREATE \[/);
    expect(navigationBlocks(document.blocks)).toEqual([]);
  });

  it('renders tables as rows of cells joined with " | "', async () => {
    const { document } = await parseHtml(readShared(PG, 'datatype-numeric.html'));
    const table = document.blocks.find((block) => block.kind === 'table');
    expect(table?.text.split('\n').slice(0, 2)).toEqual([
      'Name | Storage Size | Description | Range',
      'smallint | 2 bytes | small-range integer | -32768 to +32767',
    ]);
    expect(document.blocks).toContainEqual({ kind: 'heading', level: 3, text: '8.1.1. Integer Types' });
  });

  it('drops the table of contents of the index page but keeps its title page', async () => {
    const { document } = await parseHtml(readShared(PG, 'index.html'));
    expect(document.title).toBe('PostgreSQL 15.20 Documentation');
    expect(document.blocks[0]).toEqual({ kind: 'heading', level: 1, text: 'PostgreSQL 15.20 Documentation' });
    expect(document.blocks.some((block) => block.text.includes('Getting Started'))).toBe(false);
    expect(navigationBlocks(document.blocks)).toEqual([]);
  });

  // Speed is measured in bench/ingest-docs.ts, not here: a shared machine makes timed tests flaky.
  it('parses all 1,169 pages and none carries navigation text', async () => {
    const files = readdirSync(sharedPath(PG)).filter((file) => file.endsWith('.html'));
    const pages = files.map((file) => readShared(PG, file));
    let offenders = 0;
    for (const bytes of pages) {
      const { document } = await parseHtml(bytes);
      if (navigationBlocks(document.blocks).length > 0) offenders++;
    }
    expect(files.length).toBe(1169);
    expect(offenders).toBe(0);
  }, 120_000);
});

describe('HtmlParser on small pages', () => {
  it('prefers <main>, and reads title and meta fields', async () => {
    const { document } = await parseHtml(`<!doctype html><html lang="de"><head><title> Guide </title>
      <meta name="description" content="How to start"><meta name="keywords" content="setup, install">
      </head><body><div class="site-header">Brand</div><main><h1>Start</h1><p>Read this.</p></main>
      <div>Unrelated teaser</div></body></html>`);
    expect(document.title).toBe('Guide');
    expect(document.metadata).toEqual({
      language: 'de',
      description: 'How to start',
      keywords: ['setup', 'install'],
    });
    expect(document.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Start' },
      { kind: 'paragraph', text: 'Read this.' },
    ]);
  });

  it('drops chrome by tag, role and whole-word class or id, and keeps look-alikes', async () => {
    const { document } = await parseHtml(`<body>
      <nav>Menu links</nav><div role="navigation">Role nav</div><div id="main-menu">Id menu</div>
      <div class="breadcrumb">Home › Docs</div><aside>Aside</aside><footer>Footer text</footer>
      <div class="sidebar-left">Sidebar</div><div class="toc">Contents</div><script>var x = 1;</script>
      <div class="sect1"><p>Section text</p></div><div class="navigable-list"><p>Navigable</p></div>
      <div class="tableofcontents-entry"><p>Entry kept on purpose</p></div><div class="subheader"><p>Sub</p></div>
      </body>`);
    expect(document.blocks.map((block) => block.text)).toEqual([
      'Section text',
      'Navigable',
      'Entry kept on purpose',
      'Sub',
    ]);
  });

  it("keeps an article's own header when it carries the heading", async () => {
    const { document } = await parseHtml(`<body><header><a href="/">Site</a></header>
      <article><header class="entry-header"><h1>Post title</h1><nav>Share</nav></header><p>Body</p></article></body>`);
    expect(document.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Post title' },
      { kind: 'paragraph', text: 'Body' },
    ]);
  });

  it('keeps list items (with nested lists), quotes, code, definitions and line breaks', async () => {
    const { document } = await parseHtml(`<body><ul><li>One <b>bold</b><ul><li>Inner</li></ul></li>
      <li><p>Two</p><p>lines</p></li></ul><blockquote><p>Quoted</p><p>twice</p></blockquote>
      <pre>  indented\n    code</pre><dl><dt>Term</dt><dd>Meaning</dd></dl><p>a<br>b</p></body>`);
    expect(document.blocks).toEqual([
      { kind: 'list-item', text: 'One bold' },
      { kind: 'list-item', text: 'Inner' },
      { kind: 'list-item', text: 'Two\nlines' },
      { kind: 'quote', text: 'Quoted\ntwice' },
      { kind: 'code', text: '  indented\n    code' },
      { kind: 'list-item', text: 'Term' },
      { kind: 'paragraph', text: 'Meaning' },
      { kind: 'paragraph', text: 'a\nb' },
    ]);
  });

  it('reads layout tables as content and data tables as rows', async () => {
    const { document } = await parseHtml(`<body><table><tr><td><p>Layout cell</p></td></tr></table>
      <table><caption>Prices</caption><thead><tr><th>Item</th><th>Cost</th></tr></thead>
      <tbody><tr><td>Tea</td><td>2 €</td></tr><tr><td></td><td></td></tr></tbody></table></body>`);
    expect(document.blocks).toEqual([
      { kind: 'paragraph', text: 'Layout cell' },
      { kind: 'paragraph', text: 'Prices' },
      { kind: 'table', text: 'Item | Cost\nTea | 2 €' },
    ]);
  });

  it('falls back to the whole page when it is only navigation, and fails when there is no text', async () => {
    const { document, warnings } = await parseHtml('<body><nav><a href="/a">Alpha</a></nav></body>');
    expect(document.blocks).toEqual([{ kind: 'paragraph', text: 'Alpha' }]);
    expect(warnings[0]).toMatch(/only navigation/);
    await expect(
      parseHtml('<html><head><script>x()</script></head><body> </body></html>'),
    ).rejects.toMatchObject({
      code: 'no_text',
    });
  });

  it('decodes the charset the page declares', async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('<meta charset="iso-8859-1"><p>Caf'),
      0xe9,
      ...new TextEncoder().encode('</p>'),
    ]);
    const { document } = await parseHtml(bytes);
    expect(document.blocks).toEqual([{ kind: 'paragraph', text: 'Café' }]);
  });
});
