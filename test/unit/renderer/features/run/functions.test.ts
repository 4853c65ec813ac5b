import { describe, expect, it } from 'vitest';
import { parseArgs, topLevelFunctions } from '../../../../../renderer/src/features/run/functions.ts';

describe('top-level functions', () => {
  it('finds declarations, arrows and TypeScript signatures, not nested ones', () => {
    const source = [
      'function add(a, b) { return a + b; }',
      'async function load() {}',
      'function* gen() {}',
      'export function typed<T>(x: T): T { return x; }',
      'const greet = (name: string): string => name;',
      'let f = async x => x;',
      'var g = function () {};',
      'const notAFunction = 42;',
      '  function nested() {}',
      '/*',
      'function commented() {}',
      '*/',
    ].join('\n');
    expect(topLevelFunctions(source)).toEqual(['add', 'load', 'gen', 'typed', 'greet', 'f', 'g']);
  });

  it('parses arguments as a JSON array or a bare list', () => {
    expect(parseArgs('')).toEqual({ ok: true, args: [] });
    expect(parseArgs('[1, "a"]')).toEqual({ ok: true, args: [1, 'a'] });
    expect(parseArgs('2, {"x": 1}')).toEqual({ ok: true, args: [2, { x: 1 }] });
    expect(parseArgs('[1,')).toMatchObject({ ok: false });
  });
});
