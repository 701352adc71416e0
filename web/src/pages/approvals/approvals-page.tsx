/**
 * Approvals (operators and admins): support runs paused until a person approves a call, such as a
 * refund above the limit, oldest first. The list is polled while the tab is visible (the approvals
 * API has no event stream); deciding one continues the run, and the customer's chat shows the outcome.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { listApprovals, type PendingApproval } from '../../api/support.ts';
import { Alert } from '../../components/alert.tsx';
import { Button } from '../../components/button.tsx';
import { useApp } from '../../context.ts';
import '../../styles/console.css';
import { ApprovalCard, type DecisionOutcome } from './approval-card.tsx';
import { callSummary } from './format.ts';

/** Milliseconds between reloads of the list. */
export const APPROVALS_POLL_MS = 5000;

/** The page. */
export function ApprovalsPage() {
  const { client } = useApp();
  const [approvals, setApprovals] = useState<readonly PendingApproval[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ tone: 'success' | 'info'; text: string } | null>(null);
  const [now, setNow] = useState(Date.now());

  const reload = useCallback(async () => {
    try {
      setApprovals(await listApprovals(client));
      setNow(Date.now());
      setError(null);
    } catch (failure) {
      if ((failure as { isAuthFailure?: boolean }).isAuthFailure) return;
      setError((failure as Error).message);
    }
  }, [client]);

  useEffect(() => {
    void reload();
    const timer = setInterval(() => {
      if (document.visibilityState !== 'hidden') void reload();
    }, APPROVALS_POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const onDecided = (approval: PendingApproval, outcome: DecisionOutcome) => {
    const what = approval.calls.map(callSummary).join('; ');
    setNotice(
      outcome.kind === 'lost'
        ? { tone: 'info', text: `Someone else already decided “${what}”; it is no longer waiting.` }
        : {
            tone: 'success',
            text: `${outcome.approved ? 'Approved' : 'Rejected'}: ${what}. The customer was told: “${outcome.reply}”`,
          },
    );
    setApprovals((all) => all?.filter((entry) => entry.runId !== approval.runId) ?? null);
    void reload();
  };

  return (
    <section class="approvals" aria-labelledby="approvals-title">
      <header class="page-header">
        <h1 id="approvals-title">Approvals</h1>
        <span class="muted">Requests the assistant may not carry out without a person.</span>
        <Button variant="ghost" onClick={() => void reload()}>
          Refresh
        </Button>
      </header>
      {notice && <Alert tone={notice.tone}>{notice.text}</Alert>}
      {error && <Alert>{error}</Alert>}
      {approvals && approvals.length === 0 && <p class="muted">Nothing is waiting for approval.</p>}
      {approvals && approvals.length > 0 && (
        <ul class="approval-list">
          {approvals.map((approval) => (
            <ApprovalCard key={approval.runId} approval={approval} now={now} onDecided={onDecided} />
          ))}
        </ul>
      )}
    </section>
  );
}
