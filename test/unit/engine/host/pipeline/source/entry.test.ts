import { describe, expect, it } from 'vitest';
import { editEntry, isModuleScript } from '../../../../../../engine/host/pipeline/source/entry.ts';

describe('isModuleScript', () => {
  it('is false for plain scripts, even ones that mention import or export in text', () => {
    expect(isModuleScript('1 + 1', 'javascript')).toBe(false);
    expect(isModuleScript('// import x from "y"\nconst s = "export default";\nreturn s', undefined)).toBe(false);
    expect(isModuleScript('const important = 1; important', undefined)).toBe(false);
  });

  it('is true for import/export declarations, import.meta and import()', () => {
    expect(isModuleScript("import x from 'y';", undefined)).toBe(true);
    expect(isModuleScript('export const a = 1;', undefined)).toBe(true);
    expect(isModuleScript('import.meta', undefined)).toBe(true);
    expect(isModuleScript("const m = await import('./m.js');", undefined)).toBe(true);
  });

  it('reads TypeScript with its types erased, and judges TypeScript that cannot be erased by its text', () => {
    expect(isModuleScript("import type { A } from './a.ts';\nconst a: A = 1;", 'typescript')).toBe(false);
    expect(isModuleScript("import { a } from './a.ts';\nconst b: number = a;", 'typescript')).toBe(true);
    expect(isModuleScript('enum E { A }\nexport const x = E.A;', 'typescript')).toBe(true);
    expect(isModuleScript('enum E { A }\nE.A', 'typescript')).toBe(false);
  });

  it('leaves a script with an ordinary syntax error to the plain path (V8 reports it as before)', () => {
    expect(isModuleScript('const = 1; // import', undefined)).toBe(false);
  });
});

describe('editEntry', () => {
  it('exports the last top-level expression under a hidden name, recording the one insertion', () => {
    const e = editEntry("import a from './a.js';\n  a + 1;\n", 'javascript', 'T', false);
    expect(e.code).toBe("import a from './a.js';\n  export const __isolab_result_T = (a + 1);\n");
    expect(e.resultExport).toBe('__isolab_result_T');
    expect(e.insertions).toEqual([{ line: 2, column: 3, length: 'export const __isolab_result_T = ('.length }]);
  });

  it('captures nothing when the script ends with a declaration or a directive', () => {
    expect(editEntry('export const a = 1;', undefined, 'T', false).resultExport).toBeUndefined();
    expect(editEntry("'use strict';", undefined, 'T', false).resultExport).toBeUndefined();
    // A string at the end is an expression, not a directive.
    expect(editEntry("export {};\n'last'", undefined, 'T', false).resultExport).toBe('__isolab_result_T');
  });

  it('in call mode, appends the table of top-level and exported declarations', () => {
    const e = editEntry('export function f() {}\nfunction g() {}\nexport default class K {}\nconst { a, b: [c] } = {};', undefined, 'T', true);
    expect(e.topLevelNames).toEqual(['f', 'g', 'K', 'a', 'c']);
    expect(e.callExport).toBe('__isolab_call_T');
    expect(e.code).toContain('export const __isolab_call_T = [["f", typeof f === "undefined" ? undefined : f]');
  });

  it('edits TypeScript at the same positions as its erased text', () => {
    const e = editEntry("import { a } from './a.ts';\nconst n: number = a;\nn as number;", 'typescript', 'T', false);
    expect(e.code.split('\n')[2]).toBe('export const __isolab_result_T = (n as number);');
  });

  it('leaves source it cannot parse to the bundler, which reports the error', () => {
    const e = editEntry('export const = 1;', undefined, 'T', true);
    expect(e).toEqual({ code: 'export const = 1;', insertions: [], topLevelNames: [] });
  });
});
