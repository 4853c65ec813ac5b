/** Light or dark: what the settings force, else what the OS prefers, followed live. */
import { useEffect, useSyncExternalStore } from 'react';
import type { Settings } from '../../../engine/common/api.ts';

const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

function subscribe(listener: () => void): () => void {
  query?.addEventListener('change', listener);
  return () => query?.removeEventListener('change', listener);
}

export function useResolvedTheme(setting: Settings['theme']): 'light' | 'dark' {
  const osDark = useSyncExternalStore(subscribe, () => query?.matches ?? false);
  const theme = setting === 'system' ? (osDark ? 'dark' : 'light') : setting;
  useEffect(() => {
    if (setting === 'system') document.documentElement.removeAttribute('data-theme');
    else document.documentElement.setAttribute('data-theme', setting);
  }, [setting]);
  return theme;
}
