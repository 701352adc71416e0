/**
 * Every page, with the least role that may see it. Navigation and access checks read this list,
 * so a new page (operator inbox, traces, usage, prompts) is one entry here plus its folder.
 */
import type { JSX } from 'preact';
import type { Role } from '../api/me.ts';
import { matchPath } from '../router.ts';
import { DocumentPage } from './admin/document-page.tsx';
import { KnowledgePage } from './admin/knowledge-page.tsx';
import { ChatPage } from './chat/chat-page.tsx';

/** One page. */
export interface PageDefinition {
  readonly path: string;
  readonly title: string;
  /** Pages of one section light up the same navigation entry. */
  readonly section: string;
  readonly minRole: Role;
  /** Listed in the navigation (detail pages are not). */
  readonly nav: boolean;
  render(params: Record<string, string>): JSX.Element;
}

export const PAGES: readonly PageDefinition[] = [
  { path: '/', title: 'Chat', section: 'chat', minRole: 'customer', nav: true, render: () => <ChatPage /> },
  {
    path: '/admin/knowledge',
    title: 'Knowledge',
    section: 'knowledge',
    minRole: 'admin',
    nav: true,
    render: () => <KnowledgePage />,
  },
  {
    path: '/admin/knowledge/documents/:id',
    title: 'Document',
    section: 'knowledge',
    minRole: 'admin',
    nav: false,
    render: (params) => <DocumentPage id={Number(params.id)} />,
  },
];

/** The page at `path`, with its parameters. */
export function findPage(path: string): { page: PageDefinition; params: Record<string, string> } | null {
  for (const page of PAGES) {
    const params = matchPath(page.path, path);
    if (params) return { page, params };
  }
  return null;
}
