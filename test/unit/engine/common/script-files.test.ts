import { describe, expect, it } from 'vitest';
import { freeName, languageOf } from '../../../../engine/common/script-files.ts';

describe('languageOf', () => {
  it.each([
    ['a.ts', 'typescript'],
    ['dir/A.TS', 'typescript'],
    ['lib.mts', 'typescript'],
    ['lib.cts', 'typescript'],
    ['a.js', 'javascript'],
    ['a.mjs', 'javascript'],
    ['-', 'javascript'],
    ['.ts', 'javascript'],
    ['types.d.ts/readme', 'javascript'],
    ['C:\\scripts\\x.ts', 'typescript'],
  ])('%s is %s', (name, language) => {
    expect(languageOf(name)).toBe(language);
  });
});

describe('freeName', () => {
  it('keeps a free name and numbers a taken one from 2', () => {
    expect(freeName('a.js', ['b.js'])).toBe('a.js');
    expect(freeName('a.js', ['a.js', 'a-2.js'])).toBe('a-3.js');
    expect(freeName('notes', ['notes'])).toBe('notes-2');
  });

  it('compares names ignoring case, as macOS and Windows folders do', () => {
    expect(freeName('Util.ts', ['util.ts'])).toBe('Util-2.ts');
    expect(freeName('a.js', new Set(['A.JS', 'a-2.js']))).toBe('a-3.js');
  });
});
