import { describe, expect, it } from 'vitest';
import { Breakpoints, cdpCondition, templateLiteral } from '../../../../../renderer/src/features/debugger/breakpoints.ts';

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), map };
}

describe('breakpoints', () => {
  it('toggles per script, sorted by line, and keeps them per workspace folder across a reload', () => {
    const storage = memoryStorage();
    const a = new Breakpoints(storage);
    a.load('/ws/one');
    a.toggle('x.js', 5);
    a.toggle('x.js', 2);
    a.toggle('y.ts', 1);
    a.toggle('x.js', 5);
    expect(a.of('x.js')).toEqual([{ line: 2 }]);
    const b = new Breakpoints(storage);
    b.load('/ws/one');
    expect(b.store.get().byScript).toEqual({ 'x.js': [{ line: 2 }], 'y.ts': [{ line: 1 }] });
    b.load('/ws/two');
    expect(b.of('x.js')).toEqual([]);
  });

  it('survives a damaged stored entry and drops invalid lines', () => {
    const storage = memoryStorage();
    storage.setItem('isolab:breakpoints:/ws', '{not json');
    const a = new Breakpoints(storage);
    a.load('/ws');
    expect(a.store.get().byScript).toEqual({});
    storage.setItem('isolab:breakpoints:/ws', JSON.stringify({ 'a.js': [{ line: 0 }, { line: 3, condition: 'i > 1' }, 'x'], 'b.js': 7 }));
    a.load('/ws');
    expect(a.store.get().byScript).toEqual({ 'a.js': [{ line: 3, condition: 'i > 1' }] });
  });

  it('moves breakpoints with the lines they are on', () => {
    const a = new Breakpoints(memoryStorage());
    a.load('/ws');
    a.put('x.js', { line: 3, condition: 'n > 1' });
    a.toggle('x.js', 8);
    a.moveAll('x.js', new Map([[3, 5], [8, 10]]));
    expect(a.of('x.js')).toEqual([{ line: 5, condition: 'n > 1' }, { line: 10 }]);
  });

  it('gives V8 a condition, and for a logpoint a condition that logs and is never true', () => {
    expect(cdpCondition({ line: 1 })).toBeUndefined();
    expect(cdpCondition({ line: 1, condition: '  ' })).toBeUndefined();
    expect(cdpCondition({ line: 1, condition: 'i > 3' })).toBe('i > 3');
    expect(cdpCondition({ line: 1, logMessage: 'i is {i}' })).toBe('console.log(`i is ${i}`), false');
  });

  it('turns a log message into a template literal, escaping everything but the {expressions}', () => {
    expect(templateLiteral('plain')).toBe('`plain`');
    // `${not}` is a `$` and then the expression {not}.
    expect(templateLiteral('a `tick` and ${not} {x + 1}')).toBe('`a \\`tick\\` and $${not} ${x + 1}`');
    expect(templateLiteral('back\\slash {a}{b} {unclosed')).toBe('`back\\\\slash ${a}${b} {unclosed`');
    // What comes out is valid JavaScript that evaluates to the intended text.
    const x = 41;
    expect(new Function('x', `return ${templateLiteral('x+1 = {x + 1} `ok` ${x}')}`)(x)).toBe('x+1 = 42 `ok` $41');
  });
});
