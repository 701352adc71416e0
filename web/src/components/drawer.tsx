/**
 * A side panel over the page (a modal dialog on small screens): takes focus when it opens, closes
 * on Escape or the close button, and gives focus back to what opened it.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

/** The panel. */
export function Drawer({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const panel = useRef<HTMLElement>(null);
  const titleId = useId();
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    panel.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      opener?.focus?.();
    };
  }, [onClose]);
  return (
    <aside
      class="drawer"
      role="dialog"
      aria-modal="false"
      aria-labelledby={titleId}
      tabIndex={-1}
      ref={panel}
    >
      <header class="drawer-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="btn btn-ghost" onClick={onClose} aria-label="Close">
          ×
        </button>
      </header>
      <div class="drawer-body">{children}</div>
    </aside>
  );
}
