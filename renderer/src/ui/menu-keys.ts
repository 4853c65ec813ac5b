/**
 * Which item of a menu a key moves focus to (the WAI-ARIA menu pattern): the arrows step and wrap
 * around, Home and End jump to the ends, and disabled items are passed over (a busy Workspace menu
 * still lets Import be reached when Export is off, and vice versa).
 */
export type MenuKey = 'ArrowDown' | 'ArrowUp' | 'Home' | 'End';

export function isMenuKey(key: string): key is MenuKey {
  return key === 'ArrowDown' || key === 'ArrowUp' || key === 'Home' || key === 'End';
}

/** The index to focus, or null when no item can take focus; `current` is -1 when none has it. */
export function nextMenuItem(enabled: readonly boolean[], current: number, key: MenuKey): number | null {
  const n = enabled.length;
  if (!enabled.some(Boolean)) return null;
  const step = key === 'ArrowUp' || key === 'End' ? -1 : 1;
  let i = key === 'Home' ? -1 : key === 'End' ? n : current === -1 && step < 0 ? n : current;
  for (let tries = 0; tries < n; tries++) {
    i = (i + step + n) % n;
    if (enabled[i]) return i;
  }
  return null;
}
