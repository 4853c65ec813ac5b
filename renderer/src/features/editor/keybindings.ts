/**
 * Monaco keybindings for an action of the shortcut table (engine/common/shortcuts.ts): every
 * chord the page accepts for it. Monaco's KeyMod and KeyCode come in as a parameter, so the
 * conversion is tested without loading the editor.
 */
import { SHORTCUTS, parseChord, type ShortcutName } from '../../../../engine/common/shortcuts.ts';

export interface MonacoKeys {
  KeyMod: { CtrlCmd: number; Shift: number; Alt: number };
  KeyCode: Record<string, number | string>;
}

function keyCode(key: string, codes: MonacoKeys['KeyCode']): number {
  const name = /^[A-Z]$/.test(key) ? `Key${key}` : /^[0-9]$/.test(key) ? `Digit${key}` : key;
  const code = codes[name];
  if (typeof code !== 'number') throw new Error(`Monaco has no key code for ${JSON.stringify(key)}`);
  return code;
}

export function monacoKeybindings(name: ShortcutName, monaco: MonacoKeys): number[] {
  return SHORTCUTS[name].keys.map((text) => {
    const chord = parseChord(text);
    const mods = (chord.mod ? monaco.KeyMod.CtrlCmd : 0) | (chord.shift ? monaco.KeyMod.Shift : 0) | (chord.alt ? monaco.KeyMod.Alt : 0);
    return mods | keyCode(chord.key, monaco.KeyCode);
  });
}
