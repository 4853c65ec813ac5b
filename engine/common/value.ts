/**
 * How a value from inside an isolate travels: plain JSON where JSON can say it, and a tagged object
 * `{ "$isolab": kind, ... }` where it cannot (undefined, NaN, BigInt, Date, Map, typed arrays,
 * functions, cycles ...). The guest encodes (engine/guest/serialize.ts), everyone else decodes or
 * formats from this module. An encoded value is inert data: reading it never runs user code.
 */

import { BASE64_ALPHABET, TAG, type Encoded, type Tagged } from './guest-abi.ts';

export { TAG, type Encoded, type Json, type Tagged, type TagKind } from './guest-abi.ts';

export function isTagged(value: unknown): value is Tagged {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Record<string, unknown>)[TAG] === 'string';
}

/**
 * Turns an encoded value back into a JavaScript value where that is faithful (Map, Set, Date,
 * BigInt, typed arrays, undefined, NaN ...). Values that could not cross (functions, symbols,
 * promises, cycles) stay as their tags so a caller can still show them.
 */
export function decodeValue(encoded: Encoded): unknown {
  if (encoded === null || typeof encoded !== 'object') return encoded;
  if (Array.isArray(encoded)) return encoded.map(decodeValue);
  if (!isTagged(encoded)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(encoded)) out[key] = decodeValue(value);
    return out;
  }
  const tag = encoded;
  switch (tag.$isolab) {
    case 'undefined':
    case 'hole':
      return undefined;
    case 'number':
      return tag.value === '-0' ? -0 : Number(tag.value);
    case 'bigint':
      return BigInt(tag.value);
    case 'date':
      return new Date(tag.iso ?? Number.NaN);
    case 'regexp':
      return new RegExp(tag.source, tag.flags);
    case 'map':
      return new Map(tag.entries.map(([k, v]) => [decodeValue(k), decodeValue(v)]));
    case 'set':
      return new Set(tag.values.map(decodeValue));
    case 'bytes':
      return decodeBytes(tag.kind, tag.base64);
    case 'array': {
      const arr = tag.items.map(decodeValue);
      return arr;
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(tag.props)) out[key] = decodeValue(value);
      return out;
    }
    case 'error': {
      const err = new Error(tag.message);
      err.name = tag.name;
      if (tag.stack !== undefined) err.stack = tag.stack;
      return err;
    }
    default:
      return tag;
  }
}

export function base64ToBytes(base64: string): Uint8Array {
  const clean = base64.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const v = BASE64_ALPHABET.indexOf(clean[i]!);
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

function decodeBytes(kind: string, base64: string): unknown {
  const bytes = base64ToBytes(base64);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const ctors: Record<string, (b: ArrayBuffer) => unknown> = {
    ArrayBuffer: (b) => b,
    Buffer: (b) => new Uint8Array(b),
    DataView: (b) => new DataView(b),
    Uint8Array: (b) => new Uint8Array(b),
    Uint8ClampedArray: (b) => new Uint8ClampedArray(b),
    Int8Array: (b) => new Int8Array(b),
    Uint16Array: (b) => new Uint16Array(b),
    Int16Array: (b) => new Int16Array(b),
    Uint32Array: (b) => new Uint32Array(b),
    Int32Array: (b) => new Int32Array(b),
    Float32Array: (b) => new Float32Array(b),
    Float64Array: (b) => new Float64Array(b),
    BigInt64Array: (b) => new BigInt64Array(b),
    BigUint64Array: (b) => new BigUint64Array(b),
  };
  return (ctors[kind] ?? ctors.Uint8Array!)(buffer);
}
