/** A button that opens a small panel or menu; Escape and clicks outside close it, arrow keys move through a menu. */
import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type ReactNode } from 'react';
import { isMenuKey, nextMenuItem } from './menu-keys.ts';

function moveInMenu(e: ReactKeyboardEvent<HTMLDivElement>): void {
  // Keys typed into a field inside a menu stay the field's.
  if (!isMenuKey(e.key) || (e.target as HTMLElement).matches('input, textarea, select')) return;
  const items = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')];
  const next = nextMenuItem(
    items.map((item) => !item.disabled),
    items.indexOf(document.activeElement as HTMLButtonElement),
    e.key,
  );
  e.preventDefault();
  if (next !== null) items[next]!.focus();
}

export function Popover({
  label,
  button,
  children,
  align = 'left',
  role = 'dialog',
  className = 'btn',
}: {
  label: string;
  button: ReactNode;
  children: (close: () => void) => ReactNode;
  align?: 'left' | 'right';
  role?: 'dialog' | 'menu';
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  useEffect(() => {
    if (open) root.current?.querySelector<HTMLElement>('.popover input, .popover select, .popover [role="menuitem"], .popover button')?.focus();
  }, [open]);
  return (
    <div className="popover-anchor" ref={root}>
      <button type="button" className={className} aria-label={label} aria-haspopup={role} aria-expanded={open} title={label} onClick={() => setOpen(!open)}>
        {button}
      </button>
      {open && (
        <div className={`popover ${role === 'menu' ? 'menu' : ''} ${align}`} role={role} aria-label={label} onKeyDown={role === 'menu' ? moveInMenu : undefined}>
          {children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}
