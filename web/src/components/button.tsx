/** Buttons and links styled as one family; a button is `type="button"` unless it submits. */
import type { ComponentChildren, JSX } from 'preact';
import { navigate } from '../router.ts';

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger';

/** A button. */
export function Button({
  variant = 'secondary',
  type = 'button',
  class: className,
  ...props
}: Omit<JSX.ButtonHTMLAttributes<HTMLButtonElement>, 'type'> & {
  variant?: Variant;
  type?: 'button' | 'submit';
}) {
  return <button {...props} type={type} class={`btn btn-${variant} ${className ?? ''}`} />;
}

/** An in-app link: a real `<a href>` (open in new tab works) that navigates without a reload. */
export function Link({
  href,
  children,
  ...props
}: JSX.HTMLAttributes<HTMLAnchorElement> & { href: string; children: ComponentChildren }) {
  const onClick = (event: JSX.TargetedMouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a {...props} href={href} onClick={onClick}>
      {children}
    </a>
  );
}
