/**
 * Verification lockouts of the case's conversation and customer, each with a button that clears it
 * (the API forgets its failures and audits the clear). Shown only where the support app is mounted
 * and something is locked.
 */
import { useEffect, useState } from 'preact/hooks';
import { clearLockout, type Lockout, listLockouts } from '../../api/support.ts';
import { Alert } from '../../components/alert.tsx';
import { Button } from '../../components/button.tsx';
import { formatTime } from '../../components/format.ts';
import { useApp } from '../../context.ts';

const WHAT: Record<Lockout['dimension'], string> = {
  conversation: 'This conversation',
  session: 'The customer’s session',
  key: 'The customer’s key',
  customer: 'This customer',
};

/** The panel for one case; `revision` reloads it. */
export function LockoutPanel({
  conversationId,
  customerId,
  revision,
}: {
  conversationId: string;
  customerId: string | null;
  revision: number;
}) {
  const { client } = useApp();
  const [lockouts, setLockouts] = useState<readonly Lockout[]>([]);
  const [notice, setNotice] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [local, setLocal] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    listLockouts(client, controller.signal).then(
      (rows) =>
        setLockouts(
          rows.filter(
            (row) =>
              (row.dimension === 'conversation' && row.subject === conversationId) ||
              (row.dimension === 'customer' && customerId !== null && row.subject === customerId),
          ),
        ),
      () => setLockouts([]),
    );
    return () => controller.abort();
  }, [client, conversationId, customerId, revision, local]);

  if (lockouts.length === 0 && !notice) return null;
  const clear = async (lockout: Lockout) => {
    try {
      await clearLockout(client, lockout.id);
      setNotice({ tone: 'success', text: 'Lockout cleared; the customer can verify again.' });
    } catch (failure) {
      setNotice({ tone: 'error', text: (failure as Error).message });
    } finally {
      setLocal((value) => value + 1);
    }
  };
  return (
    <section class="lockouts" aria-labelledby="lockouts-title">
      <h3 id="lockouts-title">Verification lockouts</h3>
      {notice && <Alert tone={notice.tone}>{notice.text}</Alert>}
      <ul class="notes">
        {lockouts.map((lockout) => (
          <li key={lockout.id} class="lockout">
            <span>
              {WHAT[lockout.dimension]}: {lockout.failures} failed attempt{lockout.failures === 1 ? '' : 's'},{' '}
              {lockout.state === 'locked'
                ? `locked${lockout.lockedUntil ? ` until ${formatTime(lockout.lockedUntil)}` : ''}`
                : `waiting${lockout.retryAt ? ` until ${formatTime(lockout.retryAt)}` : ''}`}
              .
            </span>{' '}
            <Button variant="ghost" onClick={() => void clear(lockout)}>
              Clear lockout
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
