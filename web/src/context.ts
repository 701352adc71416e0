/** What every page may use: the API client, the caller, and the server's optional features. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Capabilities } from './api/capabilities.ts';
import type { ApiClient } from './api/http.ts';
import type { Me } from './api/me.ts';

/** The app's shared state for a signed-in caller. */
export interface AppContextValue {
  readonly client: ApiClient;
  readonly me: Me;
  readonly capabilities: Capabilities;
}

export const AppContext = createContext<AppContextValue | null>(null);

/** The app context; pages render only inside a signed-in shell, so it is always set there. */
export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside the signed-in shell');
  return value;
}
