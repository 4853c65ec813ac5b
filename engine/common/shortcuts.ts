/**
 * The keyboard shortcuts, once. Electron's menu accelerators, the editor's and the window's key
 * bindings in the renderer, the tooltips, the welcome script and the README's table are all
 * derived from this table (a unit test holds the README to it).
 *
 * A chord is written `Mod+Shift+L`: Mod is Cmd on macOS and Ctrl elsewhere. The first chord of an
 * action is the one menus and tooltips show; the others are alternatives the page also accepts
 * (Shift+F5 and a chord that reaches Stop without function keys).
 *
 * The function keys are VS Code's: F5 starts debugging (and continues a paused run), Shift+F5
 * stops, F9/F10/F11/Shift+F11 toggle a breakpoint and step. So Run is Ctrl/Cmd+Enter only: F5 is
 * Debug, and a script without breakpoints simply runs to its end under it.
 */

export interface Shortcut {
  /** What the menu calls the action. */
  label: string;
  keys: readonly [string, ...string[]];
  /**
   * 'page': the renderer binds it (editor and window), in the desktop app and in a browser tab.
   * 'menu': only Electron's menu has it (a browser keeps Ctrl+N and Ctrl+O for itself).
   */
  scope: 'page' | 'menu';
}

export const SHORTCUTS = {
  run: { label: 'Run', keys: ['Mod+Enter'], scope: 'page' },
  debug: { label: 'Debug / Continue', keys: ['F5'], scope: 'page' },
  stepOver: { label: 'Step Over', keys: ['F10'], scope: 'page' },
  stepInto: { label: 'Step Into', keys: ['F11'], scope: 'page' },
  stepOut: { label: 'Step Out', keys: ['Shift+F11'], scope: 'page' },
  toggleBreakpoint: { label: 'Toggle Breakpoint', keys: ['F9'], scope: 'page' },
  profileCpu: { label: 'Profile CPU', keys: ['Mod+Alt+P'], scope: 'page' },
  stop: { label: 'Stop', keys: ['Shift+F5', 'Mod+Shift+Enter'], scope: 'page' },
  profileLeaks: { label: 'Profile Leaks', keys: ['Mod+Shift+L'], scope: 'page' },
  save: { label: 'Save', keys: ['Mod+S'], scope: 'page' },
  newScript: { label: 'New Script', keys: ['Mod+N'], scope: 'menu' },
  openWorkspace: { label: 'Open Workspace Folder…', keys: ['Mod+O'], scope: 'menu' },
  exportScript: { label: 'Export Script As…', keys: ['Mod+Shift+S'], scope: 'menu' },
  /** Not Electron's default F11, which is Step Into here. */
  fullScreen: { label: 'Toggle Full Screen', keys: ['Alt+F11'], scope: 'menu' },
} as const satisfies Record<string, Shortcut>;

export type ShortcutName = keyof typeof SHORTCUTS;
export const SHORTCUT_NAMES = Object.keys(SHORTCUTS) as ShortcutName[];

export interface Chord {
  mod: boolean;
  shift: boolean;
  alt: boolean;
  /** A KeyboardEvent `key`: 'Enter', 'F5', or one upper-case letter or digit. */
  key: string;
}

export function parseChord(text: string): Chord {
  const parts = text.split('+');
  const key = parts.pop()!;
  const known = new Set(['Mod', 'Shift', 'Alt']);
  if (!key || parts.some((part) => !known.has(part))) throw new Error(`not a chord: ${JSON.stringify(text)}`);
  return { mod: parts.includes('Mod'), shift: parts.includes('Shift'), alt: parts.includes('Alt'), key };
}

/** Electron's accelerator for the action's first chord ("CmdOrCtrl+Shift+L"). */
export function menuAccelerator(name: ShortcutName): string {
  return SHORTCUTS[name].keys[0].replace(/^Mod(?=\+)/, 'CmdOrCtrl');
}

/**
 * How a chord is written for people: 'mac' with the menu symbols ("⌘⇧L"), 'other' as on
 * Windows and Linux ("Ctrl+Shift+L"), 'doc' for both at once ("Ctrl/Cmd+Shift+L").
 */
export function chordLabel(text: string, style: 'mac' | 'other' | 'doc'): string {
  const chord = parseChord(text);
  if (style === 'mac') {
    const key = chord.key === 'Enter' ? '↵' : chord.key;
    return `${chord.mod ? '⌘' : ''}${chord.alt ? '⌥' : ''}${chord.shift ? '⇧' : ''}${key}`;
  }
  const mod = style === 'doc' ? 'Ctrl/Cmd' : 'Ctrl';
  return [chord.mod ? mod : '', chord.alt ? 'Alt' : '', chord.shift ? 'Shift' : '', chord.key].filter(Boolean).join('+');
}

/** "Run (Ctrl+Enter)": a button's tooltip names the action's first chord. */
export function shortcutTooltip(name: ShortcutName, style: 'mac' | 'other'): string {
  return `${SHORTCUTS[name].label} (${chordLabel(SHORTCUTS[name].keys[0], style)})`;
}

/** The parts of a KeyboardEvent a chord is matched against. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export function matchesChord(event: KeyPress, text: string): boolean {
  const chord = parseChord(text);
  // Either modifier counts as Mod, so Ctrl+Enter also runs on a Mac, as it always has.
  if (chord.mod !== (event.ctrlKey || event.metaKey) || chord.shift !== event.shiftKey || chord.alt !== event.altKey) return false;
  return event.key.length === 1 ? event.key.toUpperCase() === chord.key : event.key === chord.key;
}

/** The action of `names` one of whose chords the key press is, if any. */
export function shortcutOf<N extends ShortcutName>(event: KeyPress, names: readonly N[]): N | undefined {
  return names.find((name) => SHORTCUTS[name].keys.some((keys) => matchesChord(event, keys)));
}
