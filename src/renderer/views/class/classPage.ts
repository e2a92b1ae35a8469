/** The read-only TV page: `#/class` or `?view=class` shows only the class grid, no controls. */
import { useEffect, useState } from 'react';

/** Whether this page is the read-only class display. */
function isClassPage(): boolean {
  return location.hash === '#/class' || new URLSearchParams(location.search).get('view') === 'class';
}

/** React hook: {@link isClassPage}, following hash changes. */
export function useIsClassPage(): boolean {
  const [is, setIs] = useState(isClassPage);
  useEffect(() => {
    const on = (): void => setIs(isClassPage());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return is;
}
