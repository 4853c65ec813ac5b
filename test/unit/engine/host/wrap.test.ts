import { describe, expect, it } from 'vitest';
import { cleanStack, mapColumn, positionFromStack, stripTypes, TypeScriptError, wrapSource, WRAPPER_PREFIX } from '../../../../engine/host/wrap.ts';

const body = (code: string) => wrapSource(code).code.slice(WRAPPER_PREFIX.length, -'\n})'.length);

describe('wrapSource', () => {
  it('wraps the code in an async function', () => {
    const w = wrapSource('await 1');
    expect(w.code.startsWith('(async function () {\n')).toBe(true);
    expect(w.code.endsWith('\n})')).toBe(true);
  });

  it('returns the last top-level expression REPL-style', () => {
    expect(body('const a = 1;\na + 1')).toBe('const a = 1;\nreturn (a + 1)');
    expect(body('x = 5;')).toBe('return (x = 5);');
    expect(body('({ a: 1 })')).toBe('return (({ a: 1 }))');
    expect(body('(1, 2);')).toBe('return ((1, 2));');
    expect(body('f() /* done */ ;')).toBe('return (f() /* done */ );');
  });

  it('leaves code with a top-level return alone, even inside blocks', () => {
    expect(body('if (a) { return 1 }\n2')).toBe('if (a) { return 1 }\n2');
  });

  it('ignores returns inside nested functions', () => {
    expect(body('function f() { return 1 }\nf()')).toBe('function f() { return 1 }\nreturn (f())');
  });

  it('does not rewrite a last statement that is not an expression', () => {
    expect(body('const a = 1;')).toBe('const a = 1;');
    expect(body('')).toBe('');
  });

  it('records the inserted text so columns map back', () => {
    const w = wrapSource('let a;\n  foo.bar');
    // `return (` before the statement and its closing `)` after it (at its output column).
    expect(w.insertions).toEqual([
      { line: 2, column: 3, length: 8 },
      { line: 2, column: 18, length: 1 },
    ]);
    expect(mapColumn(w, 2, 3 + 8 + 4)).toBe(7);
    expect(mapColumn(w, 1, 5)).toBe(5);
  });

  it('appends the function table in call mode and lists top-level names', () => {
    const w = wrapSource('function a() {}\nconst { b, c: [d] } = o;\nclass E {}\nlet f = () => 1', { callToken: 'tok' });
    expect(w.topLevelNames).toEqual(['a', 'b', 'd', 'E', 'f']);
    expect(w.code).toContain('return { "tok": [["a", typeof a === "undefined" ? undefined : a]');
    expect(w.insertions).toEqual([]);
  });

  it('neutralises a hashbang line', () => {
    expect(body('#!/usr/bin/env node\n1')).toBe('///usr/bin/env node\nreturn (1)');
  });

  it('keeps going when the source does not parse, with the parse position', () => {
    const w = wrapSource('let x = ;');
    expect(w.parseError).toMatchObject({ line: 1, column: 9 });
  });

  it('strips TypeScript types keeping positions', () => {
    const out = stripTypes('const a: number = 1;\nfunction f(x: string): void {}');
    expect(out.split('\n')[0]!.length).toBe('const a: number = 1;'.length);
    expect(out).toContain('const a');
    expect(out).not.toContain('number');
  });

  it('explains TypeScript that cannot be erased, with its position', () => {
    expect(() => stripTypes('enum E { A }')).toThrow(TypeScriptError);
    expect(() => stripTypes('enum E { A }')).toThrow(/enums/);
    try {
      stripTypes('const a: number = 1;\n  enum E { A }');
    } catch (error) {
      expect(error).toMatchObject({ line: 2, column: 3 });
    }
    expect.assertions(3);
  });

  it('accepts top-level return and await in TypeScript', () => {
    const out = stripTypes('const a: number = await f();\nif (a > 1) return a as number;\nreturn 0');
    expect(out).toContain('return a');
    expect(out).not.toContain('number');
  });
});

describe('stack positions', () => {
  const w = { insertions: [{ line: 3, column: 1, length: 8 }] };
  it('finds the first frame of the user script and maps its column', () => {
    const stack = 'TypeError: x\n    at inner (isolab:guest:10:5)\n    at script.js:3:15\n    at script.js:1:1';
    expect(positionFromStack(stack, 'script.js', w)).toEqual({ line: 3, column: 7 });
  });
  it('removes engine frames from the stack shown to users', () => {
    const stack = 'TypeError: x\n    at run (isolab:guest:1:1)\n    at script.js:3:15';
    expect(cleanStack(stack, 'script.js', w)).toBe('TypeError: x\n    at script.js:3:7');
  });
});

describe('positions through a position map (module scripts)', () => {
  // Bundle line 1 is util.js line 3, line 2 a package file, line 3 the script itself, line 4 bundler glue.
  const positions = {
    original(line: number, column: number) {
      if (line === 1) return { file: 'util.js', line: 3, column };
      if (line === 2) return { file: 'node_modules/p/index.js', line: 9, column };
      if (line === 3) return { line: 7, column };
      return undefined;
    },
  };
  const wrapped = { insertions: [], positions };
  const stack = 'Error: x\n    at inner (main.js:2:5)\n    at __require (main.js:4:1)\n    at helper (main.js:1:3)\n    at main.js:3:1\n    at run (isolab:guest:1:1)';

  it('reports the first frame outside packages, with its file', () => {
    expect(positionFromStack(stack, 'main.js', wrapped)).toEqual({ file: 'util.js', line: 3, column: 3 });
    expect(positionFromStack('Error\n    at main.js:2:5', 'main.js', wrapped)).toEqual({ file: 'node_modules/p/index.js', line: 9, column: 5 });
    expect(positionFromStack('Error\n    at main.js:3:2', 'main.js', wrapped)).toEqual({ line: 7, column: 2 });
  });

  it('rewrites frames to the original files and drops bundler glue and engine frames', () => {
    expect(cleanStack(stack, 'main.js', wrapped)).toBe('Error: x\n    at inner (node_modules/p/index.js:9:5)\n    at helper (util.js:3:3)\n    at main.js:7:1');
  });
});
