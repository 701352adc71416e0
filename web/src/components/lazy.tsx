/**
 * A page loaded on first visit: the operator and admin pages (and uPlot, behind the usage page) are
 * separate chunks, so a customer's first load carries only the chat.
 */
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Alert } from './alert.tsx';

/** Wraps `load` (a dynamic import) as a component that renders the loaded one. */
export function lazyComponent<Props extends object>(
  load: () => Promise<FunctionComponent<Props>>,
): FunctionComponent<Props> {
  let loaded: FunctionComponent<Props> | null = null;
  return function Lazy(props: Props) {
    const [Component, setComponent] = useState(() => loaded);
    const [error, setError] = useState<string | null>(null);
    useEffect(() => {
      if (Component) return;
      load().then(
        (component) => {
          loaded = component;
          setComponent(() => component);
        },
        (failure: Error) => setError(`This page could not be loaded: ${failure.message}`),
      );
    }, [Component]);
    if (error) return <Alert>{error}</Alert>;
    if (!Component) return <p class="muted">Loading…</p>;
    return <Component {...props} />;
  };
}
