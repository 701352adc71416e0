/**
 * @module ingest/parsers/html-chrome
 * Tells page chrome (navigation, headers, footers, sidebars, tables of contents) from content, and
 * finds the element that holds the main content.
 */
import type { Document, Element } from 'domhandler';
import { findOne } from 'domutils';

/** Tags that never hold text worth indexing, even when chrome pruning is off. */
export const SILENT_TAGS: ReadonlySet<string> = new Set([
  'head',
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
]);

/** Elements that never hold readable content, or hold only chrome. */
const DROPPED_TAGS: ReadonlySet<string> = new Set([
  ...SILENT_TAGS,
  'canvas',
  'iframe',
  'object',
  'nav',
  'aside',
  'form',
  'button',
  'select',
  'dialog',
]);

/** ARIA landmark roles of chrome. */
const CHROME_ROLES: ReadonlySet<string> = new Set([
  'navigation',
  'banner',
  'contentinfo',
  'complementary',
  'search',
  'menu',
  'menubar',
  'toolbar',
]);

/**
 * Words that mark chrome when they appear in a class or id. A class matches only when one of its
 * words (split on `-`, `_` and spaces) is in this set: `site-nav` and `navfooter` match, while
 * `sect1`, `navigable`, `subheader` and `tableofcontents-entry` do not (whole words only, so
 * a long name that merely contains `toc` or `nav` is kept).
 */
const CHROME_WORDS: ReadonlySet<string> = new Set([
  'nav',
  'navbar',
  'navheader',
  'navfooter',
  'navigation',
  'menu',
  'sidebar',
  'breadcrumb',
  'breadcrumbs',
  'footer',
  'header',
  'toc',
  'skiplink',
  'cookie',
  'cookies',
]);

/** Words that name a header; such elements stay when they hold a heading (an article's own header). */
const HEADER_WORDS: ReadonlySet<string> = new Set(['header']);

const HEADING = /^h[1-6]$/;

/** True when the element is chrome and should be skipped with everything inside it. */
export function isChrome(element: Element): boolean {
  const tag = element.name;
  if (DROPPED_TAGS.has(tag)) return true;
  const attributes = element.attribs;
  if ('hidden' in attributes || attributes['aria-hidden'] === 'true') return true;
  const role = attributes.role?.toLowerCase();
  if (role && CHROME_ROLES.has(role)) return true;
  const words = chromeWords(attributes.class, attributes.id);
  if (tag === 'header') return !containsHeading(element);
  if (tag === 'footer') return true;
  if (words.length === 0) return false;
  // `<div class="entry-header"><h1>…` is the article's title block, not the site header.
  return !(words.every((word) => HEADER_WORDS.has(word)) && containsHeading(element));
}

function chromeWords(className: string | undefined, id: string | undefined): string[] {
  if (!className && !id) return [];
  const words = `${className ?? ''} ${id ?? ''}`.toLowerCase().split(/[^a-z0-9]+/);
  return words.filter((word) => CHROME_WORDS.has(word));
}

function containsHeading(element: Element): boolean {
  return findOne((node) => HEADING.test(node.name), element.children, true) !== null;
}

/**
 * The element holding the main content: `<main>`, `[role=main]`, or a single `<article>`; otherwise
 * `<body>` (or the whole document).
 */
export function findContentRoot(document: Document): Document | Element {
  const main = findOne(
    (node) => node.name === 'main' || node.attribs.role === 'main',
    document.children,
    true,
  );
  if (main) return main;
  const articles: Element[] = [];
  findOne(
    (node) => {
      if (node.name === 'article') articles.push(node);
      return articles.length > 1;
    },
    document.children,
    true,
  );
  if (articles.length === 1) return articles[0]!;
  return findOne((node) => node.name === 'body', document.children, true) ?? document;
}
