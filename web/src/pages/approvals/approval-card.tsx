/**
 * One run waiting for approval: the customer, each paused call (the refund and order, the reason,
 * the arguments), how long it has waited, and Approve / Reject with an optional reason. A run someone
 * else decided first is told as such (409 `run_not_paused`, or 404 once it is gone).
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/http.ts';
import { decideApproval, type PendingApproval } from '../../api/support.ts';
import { Alert } from '../../components/alert.tsx';
import { Button } from '../../components/button.tsx';
import { TextField } from '../../components/field.tsx';
import { useApp } from '../../context.ts';
import { formatWaiting } from '../inbox/format.ts';
import { callSummary, customerText, reasonOf, waitedSeconds } from './format.ts';

/** What became of a decision. */
export type DecisionOutcome =
  | { readonly kind: 'decided'; readonly approved: boolean; readonly reply: string }
  | { readonly kind: 'lost' };

/** The card; `onDecided` hears the outcome (the page shows it and reloads the list). */
export function ApprovalCard({
  approval,
  now,
  onDecided,
}: {
  approval: PendingApproval;
  now: number;
  onDecided: (approval: PendingApproval, outcome: DecisionOutcome) => void;
}) {
  const { client } = useApp();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const title = approval.calls.map(callSummary).join('; ') || 'A paused request';

  const decide = async (approved: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const turn = await decideApproval(client, approval.runId, approved, reason.trim() || undefined);
      onDecided(approval, { kind: 'decided', approved, reply: turn.reply });
    } catch (failure) {
      const code = failure instanceof ApiError ? failure.code : '';
      if (code === 'run_not_paused' || code === 'run_not_found') onDecided(approval, { kind: 'lost' });
      else setError((failure as Error).message);
      setBusy(false);
    }
  };

  return (
    <li class="approval" aria-labelledby={`approval-${approval.runId}`}>
      <header class="approval-header">
        <h2 id={`approval-${approval.runId}`}>{title}</h2>
        <span class="approval-waiting">waiting {formatWaiting(waitedSeconds(approval, now))}</span>
      </header>
      <dl class="context">
        <dt>Customer</dt>
        <dd class="approval-customer">{customerText(approval)}</dd>
        <dt>Conversation</dt>
        <dd>
          <code>{approval.conversationId}</code>
        </dd>
      </dl>
      <ul class="approval-calls">
        {approval.calls.map((call) => (
          <li key={call.toolCallId}>
            <p>
              <span class="tag">{call.toolName}</span> asked by the {call.agent} agent
            </p>
            {reasonOf(call) && <p class="approval-reason">Customer’s reason: “{reasonOf(call)}”</p>}
            <details>
              <summary>Arguments</summary>
              <pre>{JSON.stringify(call.input, null, 2)}</pre>
            </details>
          </li>
        ))}
      </ul>
      {error && <Alert>{error}</Alert>}
      <div class="approval-actions">
        <TextField
          label="Reason (optional)"
          hint="On a rejection the assistant is given this reason to explain to the customer."
          value={reason}
          maxLength={1000}
          onInput={(event) => setReason(event.currentTarget.value)}
        />
        <div class="approval-buttons">
          <Button variant="primary" disabled={busy} onClick={() => void decide(true)}>
            Approve
          </Button>
          <Button variant="danger" disabled={busy} onClick={() => void decide(false)}>
            Reject
          </Button>
        </div>
      </div>
    </li>
  );
}
