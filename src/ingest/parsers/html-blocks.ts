/**
 * @module ingest/parsers/html-blocks
 * Walks an HTML DOM (htmlparser2/domhandler) and emits structural blocks: headings with their level,
 * paragraphs, list items, code, quotes and tables. Shared by the HTML and DOCX parsers.
 */
import type { AnyNode, Element } from 'domhandler';
import { isCDATA, isTag, isText } from 'domhandler';
import type { Block, BlockKind } from '../../spec/document.ts';
import { isChrome, SILENT_TAGS } from './html-chrome.ts';

/** Tags that end a run of inline text; everything not listed here (and not special) is inline. */
const BLOCK_TAGS: ReadonlySet<string> = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'address',
  'figure',
  'figcaption',
  'details',
  'summary',
  'fieldset',
  'legend',
  'center',
  'body',
  'html',
  'hr',
  'caption',
  'tr',
  'td',
  'th',
  'thead',
  'tbody',
  'tfoot',
  'dd',
  'ul',
  'ol',
  'dl',
  'hgroup',
  'search',
]);

const HEADING = /^h([1-6])$/;

/** Options for {@link domToBlocks}. */
export interface DomToBlocksOptions {
  /** Skip navigation, headers, footers, sidebars and tables of contents. Default true. */
  readonly pruneChrome?: boolean;
}

/**
 * Turns a DOM subtree into blocks in reading order.
 * @example
 * const blocks = domToBlocks(findContentRoot(parseDocument(html)));
 */
export function domToBlocks(root: AnyNode, options: DomToBlocksOptions = {}): Block[] {
  const collector = new BlockCollector(options.pruneChrome ?? true);
  collector.walk(root);
  collector.finish();
  return collector.blocks;
}

interface Container {
  readonly kind: BlockKind;
  parts: string[];
}

/** Accumulates inline text into runs and runs into blocks; list items and quotes gather their runs. */
class BlockCollector {
  readonly blocks: Block[] = [];
  private readonly inline: string[] = [];
  private readonly containers: Container[] = [];

  constructor(private readonly pruneChrome: boolean) {}

  walk(node: AnyNode): void {
    if (isText(node)) {
      this.inline.push(node.data.replace(/\s+/g, ' '));
      return;
    }
    if (!isTag(node)) {
      if (isCDATA(node) || node.type === 'root') this.walkChildren(node.children);
      return;
    }
    if (this.skips(node)) return;
    const tag = node.name;
    const heading = HEADING.exec(tag);
    if (heading) {
      this.standalone('heading', inlineText(node, this.pruneChrome), Number(heading[1]));
    } else if (tag === 'pre') {
      this.standalone('code', preText(node));
    } else if (tag === 'table' && !isLayoutTable(node)) {
      this.table(node);
    } else if (tag === 'li' || tag === 'dt') {
      this.inContainer('list-item', node);
    } else if (tag === 'blockquote') {
      this.inContainer('quote', node);
    } else if (tag === 'br') {
      this.inline.push('\n');
    } else if (BLOCK_TAGS.has(tag) || tag === 'table') {
      this.endRun();
      this.walkChildren(node.children);
      this.endRun();
    } else {
      this.walkChildren(node.children);
    }
  }

  finish(): void {
    this.endRun();
    while (this.containers.length > 0) this.closeContainer();
  }

  private skips(element: Element): boolean {
    return SILENT_TAGS.has(element.name) || (this.pruneChrome && isChrome(element));
  }

  private walkChildren(children: readonly AnyNode[]): void {
    for (const child of children) this.walk(child);
  }

  private table(table: Element): void {
    const caption = table.children.find(
      (child): child is Element => isTag(child) && child.name === 'caption',
    );
    if (caption) this.standalone('paragraph', inlineText(caption, this.pruneChrome));
    const lines = tableRows(table)
      .map((row) => row.map((cell) => inlineText(cell, this.pruneChrome)))
      .filter((cells) => cells.some((cell) => cell.length > 0))
      .map((cells) => cells.join(' | '));
    this.standalone('table', lines.join('\n'));
  }

  private inContainer(kind: BlockKind, element: Element): void {
    this.endRun();
    this.flushContainers();
    this.containers.push({ kind, parts: [] });
    this.walkChildren(element.children);
    this.endRun();
    this.closeContainer();
  }

  private closeContainer(): void {
    const container = this.containers.pop();
    if (container && container.parts.length > 0) this.emit(container.kind, container.parts.join('\n'));
  }

  /** A block that cannot sit inside a list item's or quote's text: what those gathered so far goes first. */
  private standalone(kind: BlockKind, text: string, level?: number): void {
    this.endRun();
    this.flushContainers();
    this.emit(kind, text, level);
  }

  private flushContainers(): void {
    for (const container of this.containers) {
      if (container.parts.length === 0) continue;
      this.emit(container.kind, container.parts.join('\n'));
      container.parts = [];
    }
  }

  /** Ends the current run of inline text: it joins the innermost list item or quote, or becomes a paragraph. */
  private endRun(): void {
    if (this.inline.length === 0) return;
    const text = normalizeRun(this.inline.join(''));
    this.inline.length = 0;
    if (!text) return;
    const container = this.containers.at(-1);
    if (container) container.parts.push(text);
    else this.emit('paragraph', text);
  }

  private emit(kind: BlockKind, text: string, level?: number): void {
    if (!text) return;
    this.blocks.push(level === undefined ? { kind, text } : { kind, text, level });
  }
}

/** Collapses spaces inside each line; keeps the line breaks that came from `<br>`. */
function normalizeRun(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Flattened text of an element on one line (headings, table cells, captions). */
function inlineText(element: Element, pruneChrome: boolean): string {
  const parts: string[] = [];
  collectText(element, parts, pruneChrome);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

function collectText(node: AnyNode, parts: string[], pruneChrome: boolean): void {
  if (isText(node)) {
    parts.push(node.data);
    return;
  }
  if (isTag(node)) {
    if (SILENT_TAGS.has(node.name) || (pruneChrome && isChrome(node))) return;
    if (node.name === 'br') {
      parts.push(' ');
      return;
    }
    const block = BLOCK_TAGS.has(node.name) || node.name === 'li';
    if (block) parts.push(' ');
    for (const child of node.children) collectText(child, parts, pruneChrome);
    if (block) parts.push(' ');
  } else if (isCDATA(node)) {
    for (const child of node.children) collectText(child, parts, pruneChrome);
  }
}

/** Text of a `<pre>` element with its whitespace kept, minus blank lines at either end. */
function preText(element: Element): string {
  const parts: string[] = [];
  const visit = (node: AnyNode): void => {
    if (isText(node)) parts.push(node.data);
    else if (isTag(node) && node.name === 'br') parts.push('\n');
    else if (isTag(node) || isCDATA(node)) for (const child of node.children) visit(child);
  };
  visit(element);
  return parts
    .join('')
    .replace(/^\s*\n/, '')
    .replace(/\s+$/, '');
}

/** Rows of this table (not of tables nested in its cells), each as its cells. */
function tableRows(table: Element): Element[][] {
  const rows: Element[][] = [];
  const visit = (parent: Element): void => {
    for (const child of parent.children) {
      if (!isTag(child)) continue;
      if (child.name === 'tr') {
        rows.push(child.children.filter((cell): cell is Element => isTag(cell) && /^t[dh]$/.test(cell.name)));
      } else if (child.name === 'thead' || child.name === 'tbody' || child.name === 'tfoot') {
        visit(child);
      }
    }
  };
  visit(table);
  return rows;
}

/** Tables used for layout (one column, or marked presentational) are read as ordinary content. */
function isLayoutTable(table: Element): boolean {
  const role = table.attribs.role;
  if (role === 'presentation' || role === 'none') return true;
  return tableRows(table).every((row) => row.length <= 1);
}
