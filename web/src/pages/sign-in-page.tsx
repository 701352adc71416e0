/** Sign-in with an API key: the key is checked against `GET /v1/me` before it is kept. */
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/http.ts';
import { getMe, type Me } from '../api/me.ts';
import { Alert } from '../components/alert.tsx';
import { Button } from '../components/button.tsx';
import { TextField } from '../components/field.tsx';

/** The sign-in page; `notice` says why the last key stopped working. */
export function SignInPage({
  client,
  notice,
  onSignedIn,
}: {
  client: ApiClient;
  notice: string | null;
  onSignedIn: (key: string, me: Me) => void;
}) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) return setError('Paste an API key (gw_…).');
    setBusy(true);
    setError(null);
    try {
      onSignedIn(trimmed, await getMe(client, trimmed));
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <form class="card sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to groundwork</h1>
        {notice && <Alert tone="info">{notice} Sign in again; your unsent message is kept.</Alert>}
        <TextField
          label="API key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellcheck={false}
          placeholder="gw_…"
          value={key}
          onInput={(event) => setKey(event.currentTarget.value)}
          hint="Ask an admin for a key (groundwork keys create). It is kept for this browser tab only."
          autoFocus
        />
        {error && <Alert>{error}</Alert>}
        <Button variant="primary" type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </Button>
      </form>
    </main>
  );
}
