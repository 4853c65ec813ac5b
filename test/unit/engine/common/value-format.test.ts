import { describe, expect, it } from 'vitest';
import { formatLogArgs, formatValue } from '../../../../engine/common/format.ts';
import { base64ToBytes, decodeValue, isTagged } from '../../../../engine/common/value.ts';

describe('decodeValue', () => {
  it('revives tagged values', () => {
    expect(decodeValue({ $isolab: 'bigint', value: '12' })).toBe(12n);
    expect(Object.is(decodeValue({ $isolab: 'number', value: '-0' }), -0)).toBe(true);
    expect(decodeValue({ $isolab: 'map', size: 1, entries: [['a', { $isolab: 'undefined' }]] })).toEqual(new Map([['a', undefined]]));
    expect(decodeValue({ $isolab: 'date', iso: '2020-01-01T00:00:00.000Z' })).toEqual(new Date('2020-01-01T00:00:00.000Z'));
    expect(Array.from(decodeValue({ $isolab: 'bytes', kind: 'Uint8Array', length: 3, base64: 'AQID' }) as Uint8Array)).toEqual([1, 2, 3]);
  });
  it('keeps plain JSON as it is and non-copyable values as tags', () => {
    expect(decodeValue({ a: [1, 'x', null] })).toEqual({ a: [1, 'x', null] });
    expect(isTagged(decodeValue({ $isolab: 'function', name: 'f', kind: 'function' }))).toBe(true);
  });
  it('decodes base64 of every length', () => {
    for (const [b64, bytes] of [['', []], ['AA==', [0]], ['AAE=', [0, 1]], ['/+8A', [255, 239, 0]]] as const) {
      expect(Array.from(base64ToBytes(b64))).toEqual(bytes);
    }
  });
});

describe('formatValue', () => {
  it('renders like util.inspect', () => {
    expect(formatValue({ a: 1, b: 'x', c: [1, 2] })).toBe("{ a: 1, b: 'x', c: [ 1, 2 ] }");
    expect(formatValue({ $isolab: 'map', size: 1, entries: [['k', { $isolab: 'bigint', value: '5' }]] })).toBe("Map(1) { 'k' => 5n }");
    expect(formatValue({ $isolab: 'set', size: 2, values: [1, 2] })).toBe('Set(2) { 1, 2 }');
    expect(formatValue({ $isolab: 'function', name: 'f', kind: 'async' })).toBe('[AsyncFunction: f]');
    expect(formatValue({ $isolab: 'object', className: 'Point', props: { x: 1 } })).toBe('Point { x: 1 }');
    expect(formatValue({ $isolab: 'object', className: null, props: {} })).toBe('[Object: null prototype] {}');
    expect(formatValue({ $isolab: 'bytes', kind: 'Buffer', length: 3, base64: 'aGVs' })).toBe('<Buffer 68 65 6c>');
    expect(formatValue({ $isolab: 'array', items: [1, { $isolab: 'hole' }], length: 2 })).toBe('[ 1, <empty item> ]');
    expect(formatValue({ $isolab: 'array', items: [1], length: 5, more: 4 })).toBe('[ 1, ... 4 more items ]');
  });
  it('breaks long values over lines', () => {
    const text = formatValue({ alpha: 'a'.repeat(30), beta: 'b'.repeat(30), gamma: 1 });
    expect(text.split('\n').length).toBe(5);
  });
  it('prints top-level strings raw unless asked to quote them', () => {
    expect(formatValue('hi')).toBe('hi');
    expect(formatValue("it's", { rawStrings: false })).toBe('"it\'s"');
  });
});

describe('formatLogArgs', () => {
  it('applies printf-style directives', () => {
    expect(formatLogArgs(['%s has %d items (%i%%)', 'cart', 3, 42.7])).toBe('cart has 3 items (42%)');
    expect(formatLogArgs(['%o', { a: 1 }])).toBe('{ a: 1 }');
    expect(formatLogArgs(['%c styled', 'color: red'])).toBe(' styled');
    expect(formatLogArgs(['a', 1, { b: 2 }])).toBe('a 1 { b: 2 }');
    expect(formatLogArgs(['%s!', { $isolab: 'bytes', kind: 'Buffer', length: 2, base64: 'aGk=' }])).toBe('hi!');
  });
});
