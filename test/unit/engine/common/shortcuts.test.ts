/**
 * The shortcut table and everything derived from it: Electron accelerators, labels, key matching,
 * and the README's table, which must list exactly the same keys.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHORTCUTS, SHORTCUT_NAMES, chordLabel, matchesChord, menuAccelerator, parseChord, shortcutOf, shortcutTooltip } from '../../../../engine/common/shortcuts.ts';
import type { KeyPress } from '../../../../engine/common/shortcuts.ts';

const README = readFileSync(join(import.meta.dirname, '../../../../README.md'), 'utf8');

function press(key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress {
  return { key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods };
}

/** Rows of the README's "Keyboard shortcuts" table: | Action | Keys | Where |. */
function readmeRows(): Map<string, { keys: string; where: string }> {
  const section = README.split(/^## /m).find((s) => s.startsWith('Keyboard shortcuts')) ?? '';
  const rows = new Map<string, { keys: string; where: string }>();
  for (const line of section.split('\n')) {
    const cells = /^\|(.*)\|\s*$/.exec(line)?.[1]?.split('|').map((c) => c.trim());
    if (!cells || cells.length !== 3 || cells[0] === 'Action' || /^-+$/.test(cells[0]!)) continue;
    rows.set(cells[0]!, { keys: cells[1]!, where: cells[2]! });
  }
  return rows;
}

describe('shortcut table', () => {
  it('gives every chord to one action only', () => {
    const all = SHORTCUT_NAMES.flatMap((name) => SHORTCUTS[name].keys.map((keys) => JSON.stringify(parseChord(keys))));
    expect(new Set(all).size).toBe(all.length);
  });

  it('is what the README lists, row for row', () => {
    const expected = new Map(
      SHORTCUT_NAMES.map((name) => {
        const { label, keys, scope } = SHORTCUTS[name];
        return [label, { keys: keys.map((k) => chordLabel(k, 'doc')).join(', '), where: scope === 'page' ? 'desktop app and browser tab' : 'desktop app' }];
      }),
    );
    expect(readmeRows()).toEqual(expected);
  });

  it('turns chords into Electron accelerators and labels', () => {
    expect(menuAccelerator('run')).toBe('CmdOrCtrl+Enter');
    expect(menuAccelerator('stop')).toBe('Shift+F5');
    expect(menuAccelerator('profileLeaks')).toBe('CmdOrCtrl+Shift+L');
    expect(chordLabel('Mod+Shift+L', 'mac')).toBe('⌘⇧L');
    expect(chordLabel('Mod+Enter', 'mac')).toBe('⌘↵');
    expect(chordLabel('Mod+Shift+L', 'other')).toBe('Ctrl+Shift+L');
    expect(chordLabel('Mod+Enter', 'doc')).toBe('Ctrl/Cmd+Enter');
    expect(shortcutTooltip('stop', 'other')).toBe('Stop (Shift+F5)');
    expect(() => parseChord('Hyper+K')).toThrow(/not a chord/);
  });

  it('matches key presses exactly, with Ctrl or Cmd as Mod', () => {
    expect(matchesChord(press('Enter', { ctrlKey: true }), 'Mod+Enter')).toBe(true);
    expect(matchesChord(press('Enter', { metaKey: true }), 'Mod+Enter')).toBe(true);
    expect(matchesChord(press('Enter', { ctrlKey: true, shiftKey: true }), 'Mod+Enter')).toBe(false);
    expect(matchesChord(press('l', { ctrlKey: true, shiftKey: true }), 'Mod+Shift+L')).toBe(true);
    expect(matchesChord(press('Enter'), 'Mod+Enter')).toBe(false);
    const page = ['run', 'debug', 'stop', 'stepInto', 'stepOut', 'profileLeaks', 'save'] as const;
    // F5 is Debug (and Continue while paused), as in VS Code; Run keeps Ctrl/Cmd+Enter.
    expect(shortcutOf(press('F5'), page)).toBe('debug');
    expect(shortcutOf(press('Enter', { ctrlKey: true }), page)).toBe('run');
    expect(shortcutOf(press('F11'), page)).toBe('stepInto');
    expect(shortcutOf(press('F11', { shiftKey: true }), page)).toBe('stepOut');
    expect(shortcutOf(press('F5', { shiftKey: true }), page)).toBe('stop');
    expect(shortcutOf(press('Enter', { metaKey: true, shiftKey: true }), page)).toBe('stop');
    expect(shortcutOf(press('s', { ctrlKey: true }), page)).toBe('save');
    expect(shortcutOf(press('n', { ctrlKey: true }), page)).toBeUndefined();
  });
});
