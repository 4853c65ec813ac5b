import { describe, expect, it } from 'vitest';
import type { Encoded } from '../../../../../engine/common/value.ts';
import { childrenOf, heading, hexDump, leafKind, summary, toPlainJson } from '../../../../../renderer/src/features/result/value-model.ts';

const map: Encoded = { $isolab: 'map', size: 1, entries: [['k', { $isolab: 'bigint', value: '12' }]] };

describe('value tree model', () => {
  it('summarises like util.inspect and classifies leaves', () => {
    expect(summary({ a: 1, b: 'x' })).toBe("{ a: 1, b: 'x' }");
    expect(leafKind('x')).toBe('string');
    expect(leafKind({ $isolab: 'bigint', value: '1' })).toBe('number');
    expect(leafKind({ $isolab: 'function', name: 'f', kind: 'arrow' })).toBe('special');
    expect(leafKind({ a: 1 })).toBeNull();
    expect(leafKind({})).toBe('special');
  });

  it('lists children of containers, with Map arrows and overflow markers', () => {
    expect(childrenOf(map)).toEqual([{ key: "'k'", value: { $isolab: 'bigint', value: '12' }, arrow: true }]);
    expect(heading(map)).toBe('Map(1)');
    const arr = childrenOf({ $isolab: 'array', items: [1], length: 5, more: 4 });
    expect(arr.map((c) => c.key)).toEqual(['0', '…']);
  });

  it('dumps bytes as offset, hex and ASCII rows', () => {
    const rows = hexDump(new TextEncoder().encode('Isolab hex dump!!'));
    expect(rows[0]).toEqual({ offset: '00000000', text: '49 73 6f 6c 61 62 20 68 65 78 20 64 75 6d 70 21  Isolab hex dump!' });
    expect(rows[1]!.offset).toBe('00000010');
    const bytes = childrenOf({ $isolab: 'bytes', kind: 'Buffer', length: 100, base64: 'AAEC' });
    expect(bytes.at(-1)!.key).toBe('…');
  });

  it('copies as plain JSON', () => {
    expect(toPlainJson({ m: map, u: { $isolab: 'undefined' }, b: { $isolab: 'bytes', kind: 'Uint8Array', length: 2, base64: 'AQI=' }, f: { $isolab: 'function', name: 'f', kind: 'function' } })).toEqual({
      m: { k: '12' },
      u: null,
      b: [1, 2],
      f: '[Function: f]',
    });
  });
});
