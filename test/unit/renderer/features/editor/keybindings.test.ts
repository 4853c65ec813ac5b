import { describe, expect, it } from 'vitest';
import { SHORTCUTS, SHORTCUT_NAMES } from '../../../../../engine/common/shortcuts.ts';
import { monacoKeybindings } from '../../../../../renderer/src/features/editor/keybindings.ts';

describe('Monaco keybindings', () => {
  it("gives the editor every chord of an action as Monaco keybindings", () => {
    const KeyMod = { CtrlCmd: 1 << 11, Shift: 1 << 10, Alt: 1 << 9 };
    const KeyCode = { Enter: 3, F5: 63, F9: 67, F10: 68, F11: 69, KeyL: 42, KeyS: 49, KeyN: 44, KeyO: 45, KeyP: 46 };
    // F5 is Debug (and Continue), as in VS Code; Run keeps Ctrl/Cmd+Enter.
    expect(monacoKeybindings('run', { KeyMod, KeyCode })).toEqual([KeyMod.CtrlCmd | KeyCode.Enter]);
    expect(monacoKeybindings('debug', { KeyMod, KeyCode })).toEqual([KeyCode.F5]);
    expect(monacoKeybindings('stop', { KeyMod, KeyCode })).toEqual([KeyMod.Shift | KeyCode.F5, KeyMod.CtrlCmd | KeyMod.Shift | KeyCode.Enter]);
    for (const name of SHORTCUT_NAMES) expect(monacoKeybindings(name, { KeyMod, KeyCode })).toHaveLength(SHORTCUTS[name].keys.length);
    expect(() => monacoKeybindings('run', { KeyMod, KeyCode: {} })).toThrow(/no key code/);
  });
});
