/** A message box: errors are announced at once (`role="alert"`), notices politely. */
import type { ComponentChildren } from 'preact';

/** An alert or notice. */
export function Alert({
  tone = 'error',
  children,
}: {
  tone?: 'error' | 'info' | 'success';
  children: ComponentChildren;
}) {
  return (
    <div class={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
