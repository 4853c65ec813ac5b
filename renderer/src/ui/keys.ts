/** The shortcut table (engine/common/shortcuts.ts) as this machine writes keys: ⌘ on a Mac, Ctrl elsewhere. */
import { SHORTCUTS, chordLabel, shortcutTooltip, type ShortcutName } from '../../../engine/common/shortcuts.ts';

const KEY_STYLE = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? 'mac' : 'other';

/** The action's first chord, e.g. "⌘↵" or "Ctrl+Enter". */
export function keyLabel(name: ShortcutName): string {
  return chordLabel(SHORTCUTS[name].keys[0], KEY_STYLE);
}

/** "Run (Ctrl+Enter)". */
export function keyTooltip(name: ShortcutName): string {
  return shortcutTooltip(name, KEY_STYLE);
}
