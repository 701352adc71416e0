/** Feedback review (operators): the answers customers rated down, newest first, each with its trace. */
import { useEffect, useState } from 'preact/hooks';
import { listFeedback, type StoredFeedback } from '../../api/feedback.ts';
import { Alert } from '../../components/alert.tsx';
import { Link } from '../../components/button.tsx';
import { formatTime } from '../../components/format.ts';
import { useApp } from '../../context.ts';
import '../../styles/console.css';

/** The page. */
export function FeedbackPage() {
  const { client, capabilities } = useApp();
  const [rating, setRating] = useState<'down' | 'up'>('down');
  const [rows, setRows] = useState<readonly StoredFeedback[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    setRows(null);
    listFeedback(client, rating).then(
      (loaded) => {
        if (current) setRows(loaded);
      },
      (failure: Error) => {
        if (current) setError(failure.message);
      },
    );
    return () => {
      current = false;
    };
  }, [client, rating]);

  return (
    <div class="feedback-review">
      <header class="page-header">
        <h1>Feedback</h1>
        <label>
          Showing{' '}
          <select value={rating} onInput={(event) => setRating(event.currentTarget.value as 'down' | 'up')}>
            <option value="down">not helpful</option>
            <option value="up">helpful</option>
          </select>
        </label>
      </header>
      {error && <Alert>{error}</Alert>}
      {rows && rows.length === 0 && <p class="muted">No feedback of this kind yet.</p>}
      {rows && rows.length > 0 && (
        <ul class="feedback-list">
          {rows.map((row) => (
            <li key={row.traceId} class="card">
              <p class="muted">
                {formatTime(row.createdAt)} · {row.category ?? 'no category'} · {row.userId}
              </p>
              {row.comment && <blockquote class="feedback-quote">{row.comment}</blockquote>}
              <dl class="context">
                <dt>Question</dt>
                <dd>{row.answer.question ?? '—'}</dd>
                <dt>Answer</dt>
                <dd>{row.answer.answer ?? '—'}</dd>
              </dl>
              {capabilities.traces && (
                <p>
                  <Link href={`/traces/${row.traceId}`}>Open the trace</Link>
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
