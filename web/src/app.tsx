/**
 * The app shell: finds out who the caller is (`GET /v1/me`, with the stored key or none), shows
 * sign-in when the API wants a key, and otherwise the pages the caller's role may see. A key the
 * API refuses later (expired, revoked) brings sign-in back with the API's reason; the page and the
 * message box draft stay as they were.
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { type Capabilities, loadCapabilities, NO_CAPABILITIES } from './api/capabilities.ts';
import { ApiClient, type ApiError } from './api/http.ts';
import { getMe, type Me, roleAllows } from './api/me.ts';
import { Alert } from './components/alert.tsx';
import { Button, Link } from './components/button.tsx';
import { AppContext } from './context.ts';
import { forgetConversation } from './pages/chat/chat-page.tsx';
import { WaitingCount } from './pages/inbox/waiting-count.tsx';
import { findPage, PAGES, pageShown } from './pages/registry.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { usePath } from './router.ts';
import { storedKey, storeKey } from './session.ts';

type Session =
  | { readonly phase: 'loading' }
  | { readonly phase: 'unreachable'; readonly message: string }
  | { readonly phase: 'signed-out'; readonly notice: string | null }
  | { readonly phase: 'signed-in'; readonly me: Me };

/** The root component. */
export function App() {
  const [session, setSession] = useState<Session>({ phase: 'loading' });
  const [capabilities, setCapabilities] = useState<Capabilities>(NO_CAPABILITIES);
  const client = useMemo(
    () =>
      new ApiClient({
        key: storedKey,
        onAuthFailure: (error: ApiError) => {
          const hadKey = storedKey() !== null;
          storeKey(null);
          setSession({ phase: 'signed-out', notice: hadKey ? error.message : null });
        },
      }),
    [],
  );

  const identify = useCallback(async () => {
    try {
      setSession({ phase: 'signed-in', me: await getMe(client) });
    } catch (error) {
      if ((error as ApiError).isAuthFailure) return; // onAuthFailure moved us to sign-in.
      setSession({ phase: 'unreachable', message: (error as Error).message });
    }
  }, [client]);

  useEffect(() => {
    void identify();
    void loadCapabilities().then(setCapabilities);
  }, [identify]);

  const signIn = (key: string, me: Me) => {
    storeKey(key);
    setSession({ phase: 'signed-in', me });
  };
  const signOut = () => {
    storeKey(null);
    forgetConversation();
    setSession({ phase: 'signed-out', notice: null });
  };

  if (session.phase === 'loading') return <p class="boot">Loading…</p>;
  if (session.phase === 'unreachable') {
    return (
      <main class="boot">
        <Alert>The server could not be reached: {session.message}</Alert>
        <Button onClick={() => void identify()}>Try again</Button>
      </main>
    );
  }
  if (session.phase === 'signed-out') {
    return <SignInPage client={client} notice={session.notice} onSignedIn={signIn} />;
  }
  return (
    <AppContext.Provider value={{ client, me: session.me, capabilities }}>
      <Shell me={session.me} capabilities={capabilities} onSignOut={signOut} />
    </AppContext.Provider>
  );
}

function Shell({
  me,
  capabilities,
  onSignOut,
}: {
  me: Me;
  capabilities: Capabilities;
  onSignOut: () => void;
}) {
  const path = usePath();
  const found = findPage(path);
  const allowed = found && roleAllows(me.role, found.page.minRole);
  useEffect(() => {
    document.title = found ? `${found.page.title} · groundwork` : 'groundwork';
  }, [found]);
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <span class="brand">groundwork</span>
        <nav aria-label="Main">
          <ul>
            {PAGES.filter((page) => page.nav && pageShown(page, me, capabilities)).map((page) => (
              <li key={page.path}>
                <Link
                  href={page.path}
                  aria-current={found?.page.section === page.section ? 'page' : undefined}
                  class="nav-link"
                >
                  {page.title}
                  {page.section === 'inbox' && <WaitingCount />}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="whoami">
          <span class="role-badge" title={`Tenant ${me.tenantId}`}>
            {me.role}
            {me.keyPrefix ? ` · ${me.keyPrefix}` : ' · no key needed'}
          </span>
          {me.authenticated && (
            <Button variant="ghost" onClick={onSignOut}>
              Sign out
            </Button>
          )}
        </div>
      </header>
      <main id="main" class="main" tabIndex={-1}>
        {!found && <Alert tone="info">There is no page at {path}.</Alert>}
        {found && !allowed && (
          <Alert>
            This page needs the {found.page.minRole} role; your key is {me.role}.
          </Alert>
        )}
        {found && allowed && found.page.render(found.params)}
      </main>
    </div>
  );
}
