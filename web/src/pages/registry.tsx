/**
 * Every page, with the least role that may see it and the API it needs. Navigation and access
 * checks read this list, so a new page is one entry here plus its folder. Operator and admin pages
 * load on first visit (their own chunks), so the customer's chat stays the whole first load.
 */
import type { JSX } from 'preact';
import type { Capabilities } from '../api/capabilities.ts';
import { type Me, type Role, roleAllows } from '../api/me.ts';
import { lazyComponent } from '../components/lazy.tsx';
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
  /** The server feature the page needs; without it the page is not listed. */
  readonly requires?: keyof Capabilities;
  render(params: Record<string, string>): JSX.Element;
}

const InboxPage = lazyComponent(() => import('./inbox/inbox-page.tsx').then((module) => module.InboxPage));
const TracesPage = lazyComponent(() =>
  import('./traces/traces-page.tsx').then((module) => module.TracesPage),
);
const TracePage = lazyComponent(() => import('./traces/trace-page.tsx').then((module) => module.TracePage));
const UsagePage = lazyComponent(() => import('./usage/usage-page.tsx').then((module) => module.UsagePage));
const PromptsPage = lazyComponent(() =>
  import('./prompts/prompts-page.tsx').then((module) => module.PromptsPage),
);
const PromptPage = lazyComponent(() =>
  import('./prompts/prompt-page.tsx').then((module) => module.PromptPage),
);
const ApprovalsPage = lazyComponent(() =>
  import('./approvals/approvals-page.tsx').then((module) => module.ApprovalsPage),
);
const FeedbackPage = lazyComponent(() =>
  import('./feedback/feedback-page.tsx').then((module) => module.FeedbackPage),
);

export const PAGES: readonly PageDefinition[] = [
  { path: '/', title: 'Chat', section: 'chat', minRole: 'customer', nav: true, render: () => <ChatPage /> },
  {
    path: '/inbox',
    title: 'Inbox',
    section: 'inbox',
    minRole: 'operator',
    nav: true,
    requires: 'inbox',
    render: () => <InboxPage />,
  },
  {
    path: '/inbox/:id',
    title: 'Inbox',
    section: 'inbox',
    minRole: 'operator',
    nav: false,
    requires: 'inbox',
    render: (params) => <InboxPage id={params.id} />,
  },
  {
    path: '/approvals',
    title: 'Approvals',
    section: 'approvals',
    minRole: 'operator',
    nav: true,
    requires: 'supportApprovals',
    render: () => <ApprovalsPage />,
  },
  {
    path: '/traces',
    title: 'Traces',
    section: 'traces',
    minRole: 'operator',
    nav: true,
    requires: 'traces',
    render: () => <TracesPage />,
  },
  {
    path: '/traces/:id',
    title: 'Trace',
    section: 'traces',
    minRole: 'operator',
    nav: false,
    requires: 'traces',
    render: (params) => <TracePage id={params.id ?? ''} />,
  },
  {
    path: '/feedback',
    title: 'Feedback',
    section: 'feedback',
    minRole: 'operator',
    nav: true,
    requires: 'feedbackReview',
    render: () => <FeedbackPage />,
  },
  {
    path: '/usage',
    title: 'Usage',
    section: 'usage',
    minRole: 'admin',
    nav: true,
    requires: 'usage',
    render: () => <UsagePage />,
  },
  {
    path: '/prompts',
    title: 'Prompts',
    section: 'prompts',
    minRole: 'admin',
    nav: true,
    requires: 'prompts',
    render: () => <PromptsPage />,
  },
  {
    path: '/prompts/:name',
    title: 'Prompt',
    section: 'prompts',
    minRole: 'admin',
    nav: false,
    requires: 'prompts',
    render: (params) => <PromptPage name={params.name ?? ''} />,
  },
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

/** Whether `page` is listed for `me` on a server with `capabilities`. */
export function pageShown(page: PageDefinition, me: Me, capabilities: Capabilities): boolean {
  return roleAllows(me.role, page.minRole) && (!page.requires || capabilities[page.requires]);
}

/** The page at `path`, with its parameters. */
export function findPage(path: string): { page: PageDefinition; params: Record<string, string> } | null {
  for (const page of PAGES) {
    const params = matchPath(page.path, path);
    if (params) return { page, params };
  }
  return null;
}
