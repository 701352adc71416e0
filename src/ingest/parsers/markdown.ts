/**
 * @module ingest/parsers/markdown
 * Markdown parser built on marked's lexer: the token tree maps directly onto blocks, so no HTML is
 * rendered and re-parsed (except for raw HTML blocks the author wrote).
 */
import { parseDocument } from 'htmlparser2';
import { Lexer, type Token, type Tokens } from 'marked';
import { IngestError } from '../../errors.ts';
import type { Block, ParseResult } from '../../spec/document.ts';
import type { DocumentParser, ParserInput } from '../../spec/parser.ts';
import { decodeText } from './decode-text.ts';
import { readFrontMatter } from './front-matter.ts';
import { domToBlocks } from './html-blocks.ts';
import { MEDIA_TYPE } from './media-types.ts';

/** Converts Markdown source (without front matter) to blocks. */
export function markdownToBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  appendTokens(Lexer.lex(source, { gfm: true }), blocks);
  return blocks;
}

function appendTokens(tokens: readonly Token[], blocks: Block[]): void {
  for (const token of tokens) appendToken(token, blocks);
}

function appendToken(token: Token, blocks: Block[]): void {
  const push = (kind: Block['kind'], text: string, level?: number): void => {
    const trimmed = text.trim();
    if (trimmed) blocks.push(level === undefined ? { kind, text: trimmed } : { kind, text: trimmed, level });
  };
  switch (token.type) {
    case 'heading':
      push('heading', inlineText(token.tokens), (token as Tokens.Heading).depth);
      break;
    case 'paragraph':
    case 'text':
      push('paragraph', inlineText(token.tokens, token.text));
      break;
    case 'code':
      if (token.text.trim()) blocks.push({ kind: 'code', text: token.text });
      break;
    case 'list':
      for (const item of (token as Tokens.List).items) appendListItem(item, blocks);
      break;
    case 'table':
      push('table', tableText(token as Tokens.Table));
      break;
    case 'blockquote':
      appendQuote(token as Tokens.Blockquote, blocks);
      break;
    case 'html':
      blocks.push(...domToBlocks(parseDocument(token.text), { pruneChrome: false }));
      break;
    default:
      // `space`, `hr` and link definitions carry no text.
      break;
  }
}

/** An item's own text is one list-item block; nested lists and code follow it as their own blocks. */
function appendListItem(item: Tokens.ListItem, blocks: Block[]): void {
  const lines: string[] = [];
  const flush = (): void => {
    const prefix = item.task ? (item.checked ? '[x] ' : '[ ] ') : '';
    const text = lines.join('\n').trim();
    if (text) blocks.push({ kind: 'list-item', text: prefix + text });
    lines.length = 0;
  };
  for (const child of item.tokens) {
    if (child.type === 'text' || child.type === 'paragraph') lines.push(inlineText(child.tokens, child.text));
    else if (child.type !== 'space') {
      flush();
      appendToken(child, blocks);
    }
  }
  flush();
}

/** Consecutive paragraphs of one blockquote become one quote block; lists or code inside it stay as they are. */
function appendQuote(quote: Tokens.Blockquote, blocks: Block[]): void {
  const inner: Block[] = [];
  appendTokens(quote.tokens, inner);
  let open: number | undefined;
  for (const block of inner) {
    if (block.kind !== 'paragraph') {
      blocks.push(block);
      open = undefined;
    } else if (open === undefined) {
      open = blocks.push({ kind: 'quote', text: block.text }) - 1;
    } else {
      blocks[open] = { kind: 'quote', text: `${blocks[open]!.text}\n${block.text}` };
    }
  }
}

function tableText(table: Tokens.Table): string {
  const rows = [table.header, ...table.rows].map((cells) =>
    cells.map((cell) => inlineText(cell.tokens)).join(' | '),
  );
  return rows.join('\n');
}

/** Plain text of inline tokens: emphasis and links reduced to their text, images to their alt text. */
function inlineText(tokens: readonly Token[] | undefined, fallback = ''): string {
  if (!tokens) return decodeEntities(fallback);
  let text = '';
  for (const token of tokens) {
    switch (token.type) {
      case 'codespan':
        text += token.text;
        break;
      case 'br':
        text += '\n';
        break;
      case 'html':
        text += token.text.replace(/<[^>]*>/g, '');
        break;
      case 'escape':
        text += token.text;
        break;
      default:
        if ('tokens' in token && token.tokens) text += inlineText(token.tokens);
        else if ('text' in token) text += decodeEntities(String(token.text));
    }
  }
  return text;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  copy: '©',
  reg: '®',
  mdash: '—',
  ndash: '–',
  hellip: '…',
};

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] !== '#') return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
    const code =
      body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}

/** Parses Markdown files; front matter fields become metadata and `title` the document title. */
export class MarkdownParser implements DocumentParser {
  readonly specificationVersion = 'v1';
  readonly name = 'markdown';
  readonly mediaTypes = [MEDIA_TYPE.markdown];

  async parse(input: ParserInput): Promise<ParseResult> {
    const decoded = decodeText(input.bytes);
    const { fields, body } = readFrontMatter(decoded.text);
    const blocks = markdownToBlocks(body);
    if (blocks.length === 0)
      throw new IngestError('no_text', 'The Markdown file has no text besides front matter');
    const declaredTitle = typeof fields.title === 'string' ? fields.title : undefined;
    const title =
      declaredTitle ?? blocks.find((block) => block.kind === 'heading' && block.level === 1)?.text;
    return {
      documents: [{ title, blocks, metadata: fields }],
      warnings: decoded.warning ? [decoded.warning] : [],
    };
  }
}

/** Creates the Markdown parser. */
export function createMarkdownParser(): DocumentParser {
  return new MarkdownParser();
}
