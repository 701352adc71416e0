/** One document and its chunks, as retrieval sees them (heading path, page, tokens). */
import { useEffect, useState } from 'preact/hooks';
import { type DocumentDetail, getDocument } from '../../api/knowledge.ts';
import { Alert } from '../../components/alert.tsx';
import { Link } from '../../components/button.tsx';
import { useApp } from '../../context.ts';

/** The page. */
export function DocumentPage({ id }: { id: number }) {
  const { client } = useApp();
  const [data, setData] = useState<DocumentDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    getDocument(client, id).then(setData, (failure: Error) => setError(failure.message));
  }, [client, id]);
  useEffect(() => {
    // A citation links to #chunk-<id>: bring that chunk into view once the chunks are there.
    if (data && location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  }, [data]);
  return (
    <div class="document-page">
      <p>
        <Link href="/admin/knowledge">← Knowledge</Link>
      </p>
      {error && <Alert>{error}</Alert>}
      {data && (
        <>
          <h1>{data.document.title ?? 'Untitled document'}</h1>
          <p class="mono">{data.document.uri}</p>
          <p>
            {data.chunks.length} chunks{data.document.pageCount ? ` · ${data.document.pageCount} pages` : ''}
          </p>
          <ol class="chunks">
            {data.chunks.map((chunk) => (
              <li key={chunk.id} id={`chunk-${chunk.id}`} class="card chunk">
                <p class="chunk-meta">
                  #{chunk.ordinal}
                  {chunk.headingPath.length > 0 && ` · ${chunk.headingPath.join(' › ')}`}
                  {chunk.page !== null && ` · page ${chunk.page}`} · {chunk.tokenCount} tokens
                </p>
                <p class="chunk-text">{chunk.text}</p>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
