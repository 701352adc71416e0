/** The cited passage: document title, page, heading path, the snippet and a way to the source. */
import type { Citation } from '../../api/answers.ts';
import { roleAllows } from '../../api/me.ts';
import { Link } from '../../components/button.tsx';
import { Drawer } from '../../components/drawer.tsx';
import { useApp } from '../../context.ts';

/** The drawer for one citation. */
export function CitationDrawer({ citation, onClose }: { citation: Citation; onClose: () => void }) {
  const { me } = useApp();
  const web = /^https?:\/\//i.test(citation.source);
  return (
    <Drawer title={`[${citation.n}] ${citation.title ?? 'Untitled document'}`} onClose={onClose}>
      <dl class="citation-facts">
        {citation.page !== null && (
          <>
            <dt>Page</dt>
            <dd>{citation.page}</dd>
          </>
        )}
        {citation.headingPath.length > 0 && (
          <>
            <dt>Section</dt>
            <dd>{citation.headingPath.join(' › ')}</dd>
          </>
        )}
        <dt>Source</dt>
        <dd class="citation-source">
          {web ? (
            <a href={citation.source} target="_blank" rel="noopener noreferrer">
              {citation.source}
            </a>
          ) : (
            <code>{citation.source}</code>
          )}
        </dd>
      </dl>
      <blockquote class="citation-snippet">{citation.snippet}</blockquote>
      {roleAllows(me.role, 'admin') && (
        <p>
          <Link href={`/admin/knowledge/documents/${citation.documentId}#chunk-${citation.chunkId}`}>
            Open the document in the knowledge base
          </Link>
        </p>
      )}
    </Drawer>
  );
}
