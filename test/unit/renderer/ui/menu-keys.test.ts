/** Arrow keys, Home and End in the toolbar's and tab bar's menus. */
import { describe, expect, it } from 'vitest';
import { isMenuKey, nextMenuItem } from '../../../../renderer/src/ui/menu-keys.ts';

const ALL = [true, true, true];

describe('nextMenuItem', () => {
  it('steps down and up, wrapping at the ends', () => {
    expect(nextMenuItem(ALL, 0, 'ArrowDown')).toBe(1);
    expect(nextMenuItem(ALL, 2, 'ArrowDown')).toBe(0);
    expect(nextMenuItem(ALL, 1, 'ArrowUp')).toBe(0);
    expect(nextMenuItem(ALL, 0, 'ArrowUp')).toBe(2);
  });

  it('jumps to the first and last items', () => {
    expect(nextMenuItem(ALL, 1, 'Home')).toBe(0);
    expect(nextMenuItem(ALL, 1, 'End')).toBe(2);
  });

  it('starts from the top or the bottom when no item has focus', () => {
    expect(nextMenuItem(ALL, -1, 'ArrowDown')).toBe(0);
    expect(nextMenuItem(ALL, -1, 'ArrowUp')).toBe(2);
  });

  it('passes over disabled items', () => {
    expect(nextMenuItem([true, false, true], 0, 'ArrowDown')).toBe(2);
    expect(nextMenuItem([false, true, true], 1, 'ArrowUp')).toBe(2);
    expect(nextMenuItem([false, true, false], 0, 'Home')).toBe(1);
    expect(nextMenuItem([false, true, false], 0, 'End')).toBe(1);
    expect(nextMenuItem([false, true, false], 1, 'ArrowDown')).toBe(1);
  });

  it('has nowhere to go when every item is disabled or there is none', () => {
    expect(nextMenuItem([false, false], 0, 'ArrowDown')).toBeNull();
    expect(nextMenuItem([], -1, 'Home')).toBeNull();
  });
});

describe('isMenuKey', () => {
  it('knows the keys that move focus and no others', () => {
    expect(['ArrowDown', 'ArrowUp', 'Home', 'End'].every(isMenuKey)).toBe(true);
    expect(isMenuKey('Enter')).toBe(false);
    expect(isMenuKey('ArrowLeft')).toBe(false);
  });
});
