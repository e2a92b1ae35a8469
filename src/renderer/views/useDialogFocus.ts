/**
 * Modal dialog keyboard behaviour (WAI-ARIA dialog pattern): on open, focus moves into the dialog
 * (its first control); Tab and Shift+Tab stay inside it; Escape cancels; on close, focus returns to
 * where it was.
 */
import { useEffect, useRef } from 'react';

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

/** Attach to a dialog's root element; `onEscape` runs on Escape while it is open. */
export function useDialogFocus<T extends HTMLElement>(isOpen: boolean, onEscape: () => void): React.RefObject<T | null> {
  const ref = useRef<T>(null);
  const escape = useRef(onEscape);
  escape.current = onEscape;
  useEffect(() => {
    const root = ref.current;
    if (!isOpen || !root) return;
    const previous = document.activeElement as HTMLElement | null;
    const focusables = (): HTMLElement[] => [...root.querySelectorAll<HTMLElement>(FOCUSABLE)];
    (focusables()[0] ?? root).focus();
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        escape.current();
        return;
      }
      if (e.key !== 'Tab') return;
      const items = focusables();
      if (items.length === 0) return;
      const first = items[0]!;
      const last = items[items.length - 1]!;
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    };
    root.addEventListener('keydown', onKey);
    return () => {
      root.removeEventListener('keydown', onKey);
      if (previous && document.contains(previous)) previous.focus();
    };
  }, [isOpen]);
  return ref;
}
