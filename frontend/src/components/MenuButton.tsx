import Button from '@atlaskit/button/new';
import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import './MenuButton.css';

/** One entry of a `MenuButton`'s menu. */
export interface MenuItem {
  key: string;
  label: ReactNode;
  onSelect: () => void;
  testId?: string;
}

interface MenuButtonProps {
  label: ReactNode;
  items: readonly MenuItem[];
  /** Shown instead of the items when there are none. */
  empty?: ReactNode;
  isLoading?: boolean;
  isDisabled?: boolean;
  testId: string;
}

/**
 * A button opening a small menu (WAI-ARIA menu button): arrow keys move between items, Escape
 * closes and returns focus to the button, a click outside closes.
 */
export function MenuButton({
  label,
  items,
  empty,
  isLoading = false,
  isDisabled = false,
  testId,
}: MenuButtonProps) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    root.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onDown = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const close = () => {
    setOpen(false);
    root.current?.querySelector<HTMLElement>('button')?.focus();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
      return;
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const entries = [...(root.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = entries.indexOf(document.activeElement as HTMLElement);
    const next = event.key === 'ArrowDown' ? at + 1 : at - 1;
    entries[(next + entries.length) % entries.length]?.focus();
  };

  return (
    <div className="ow-menu" ref={root} onKeyDown={open ? onKeyDown : undefined}>
      <Button
        onClick={() => setOpen((o) => !o)}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        isSelected={open}
        isLoading={isLoading}
        isDisabled={isDisabled}
        testId={testId}
      >
        {label}
      </Button>
      {open && (
        <div className="ow-menu-list" role="menu" id={menuId} data-testid={`${testId}-menu`}>
          {items.length === 0 && empty ? <div className="ow-menu-empty">{empty}</div> : null}
          {items.map((item) => (
            <button
              key={item.key}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="ow-menu-item"
              data-testid={item.testId}
              onClick={() => {
                close();
                item.onSelect();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
