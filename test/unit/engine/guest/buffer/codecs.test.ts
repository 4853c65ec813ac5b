/**
 * The in-isolate codecs directly, against host Node: the bulk hex decoder (fed V8's own
 * Uint8Array.fromBase64, taken from a fresh context with --js-base-64 on, exactly as the engine
 * host does), the utf8 writer's room-check-free loop and the branch-free utf8 byte count.
 */
import { setFlagsFromString } from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import * as codecs from '../../../../../engine/guest/buffer/codecs.ts';
import { rng } from './random.ts';

setFlagsFromString('--js-base-64');
const V8Uint8Array = vm.runInNewContext('Uint8Array') as { fromBase64?: (s: string) => Uint8Array };
const fromBase64 = V8Uint8Array.fromBase64!;
/** The native decoder as encodings.ts wraps it: undefined where V8 refuses the input. */
const native = (s: string): Uint8Array | undefined => {
  try {
    return fromBase64(s);
  } catch {
    return undefined;
  }
};

const CHUNK = codecs.HEX_BULK_CHARS;
const FILL = 0xee;

function randomHex(seed: number, length: number): string {
  const next = rng(seed);
  const digits = '0123456789abcdefABCDEF';
  let s = '';
  for (let i = 0; i < length; i++) s += digits[(next() * digits.length) | 0];
  return s;
}

/** Decodes with hexWriteBulk and with Node's Buffer.write into FILL-ed buffers; both results. */
function both(str: string, offset = 0, max = str.length >>> 1, base64 = native) {
  const room = offset + max + 4;
  const mine = new Uint8Array(room).fill(FILL);
  const node = Buffer.alloc(room, FILL);
  const n = codecs.hexWriteBulk(str, mine, offset, max, base64);
  const m = node.write(str, offset, max, 'hex');
  return { n, m, same: Buffer.compare(Buffer.from(mine), node) === 0 };
}

describe('hexWriteBulk (hex decoding through the native base64 decoder)', () => {
  it('is fed the real V8 decoder', () => {
    expect(typeof fromBase64).toBe('function');
    expect(Buffer.from(native('0a1B')!)).toEqual(Buffer.from('0a1B', 'base64'));
    expect(native('0a 1B')).toHaveLength(3); // whitespace skipped: hexWriteBulk must notice the short count
    expect(native('0a\u01301B')).toBeUndefined();
  });

  it('decodes inputs crossing several chunk boundaries exactly like Node', () => {
    for (const length of [CHUNK - 2, CHUNK, CHUNK + 2, 3 * CHUNK + 6, 3 * CHUNK + 4 + 2]) {
      const str = randomHex(length, length);
      const r = both(str);
      expect(r.n, `length ${length}`).toBe(length / 2);
      expect(r.n).toBe(r.m);
      expect(r.same, `length ${length}`).toBe(true);
    }
  });

  it('handles empty input and a zero or negative room', () => {
    expect(both('')).toEqual({ n: 0, m: 0, same: true });
    expect(both('abcd', 0, 0)).toEqual({ n: 0, m: 0, same: true });
    expect(codecs.hexWriteBulk('abcd', new Uint8Array(4), 0, -1, native)).toBe(0);
  });

  it('drops an odd last digit, in short and in multi-chunk inputs', () => {
    for (const str of ['a', 'abc', 'abcde', `${randomHex(1, 2 * CHUNK)}7`, `${randomHex(2, 2 * CHUNK + 2)}f`]) {
      const r = both(str);
      expect(r.n).toBe(str.length >>> 1);
      expect(r).toEqual({ n: r.m, m: r.m, same: true });
    }
  });

  it('stops at the first invalid pair like Node, leaving the bytes after it untouched', () => {
    const base = randomHex(3, 3 * CHUNK + 10);
    const junk = ['g', 'z', 'G', '+', '/', '=', ' ', '\n', '\t', '-', '_', '.', '\u0100', '\u00e9', '\ud800', '\u{1F600}'];
    // In the first quad, at and around chunk boundaries, in the last (partial) quad and the tail.
    const positions = [0, 1, 2, 3, 5, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 3, base.length - 9, base.length - 2, base.length - 1];
    for (const at of positions) {
      for (const c of junk) {
        const str = base.slice(0, at) + c + base.slice(at + 1);
        const r = both(str);
        expect(r.n, `${JSON.stringify(c)} at ${at}`).toBe(r.m);
        expect(r.n).toBe(at >>> 1);
        expect(r.same, `${JSON.stringify(c)} at ${at}`).toBe(true);
      }
    }
  });

  it('reads two-byte characters through their low byte like Node (V8 refuses them; the exact decoder takes over)', () => {
    // U+0130 has low byte 0x30 ('0'): Node decodes it as a digit and goes on.
    const base = randomHex(4, 2 * CHUNK + 8);
    const str = `${base.slice(0, CHUNK + 4)}\u0130${base.slice(CHUNK + 5)}`;
    const r = both(str);
    expect(r.n).toBe(str.length >>> 1);
    expect(r).toEqual({ n: r.m, m: r.m, same: true });
  });

  it('writes at most `max` bytes at `offset`, for any max around the chunk size', () => {
    const str = randomHex(5, 2 * CHUNK + 40);
    for (const max of [1, 2, 3, 5, CHUNK / 2 - 1, CHUNK / 2, CHUNK / 2 + 1, CHUNK - 3, CHUNK + 19]) {
      for (const offset of [0, 3]) {
        const r = both(str, offset, max);
        expect(r.n).toBe(max);
        expect(r).toEqual({ n: r.m, m: r.m, same: true });
      }
    }
  });

  it('gives the same result when the native decoder refuses everything', () => {
    const str = `${randomHex(6, CHUNK + 100)}zz${randomHex(7, 20)}`;
    const r = both(str, 1, str.length, () => undefined);
    expect(r.n).toBe((CHUNK + 100) / 2);
    expect(r).toEqual({ n: r.m, m: r.m, same: true });
  });
});

describe('hexWrite and latin1Write (the exact decoders)', () => {
  it('hex: odd length, invalid pairs, empty input', () => {
    const u = new Uint8Array(8).fill(FILL);
    expect(codecs.hexWrite('', u, 0, 8)).toBe(0);
    expect(codecs.hexWrite('abc', u, 0, 8)).toBe(1);
    expect(codecs.hexWrite('0a1g22', u, 2, 6)).toBe(1);
    expect([...u.subarray(0, 4)]).toEqual([0xab, FILL, 0x0a, FILL]);
  });

  it('latin1 keeps the low byte of code units above 0xff, like Node', () => {
    const str = '\u00ff\u0100\u0141a\u20ac\ud83d\ude00';
    const u = new Uint8Array(str.length);
    expect(codecs.latin1Write(str, u, 0, str.length)).toBe(str.length);
    expect(Buffer.from(u)).toEqual(Buffer.from(str, 'latin1'));
    expect([...u.subarray(0, 3)]).toEqual([0xff, 0x00, 0x41]);
  });
});

describe('utf8Write and utf8ByteLength', () => {
  // Every class of character, including pairs and lone surrogates, at every position near the
  // point where the room-check-free loop hands over to the careful one.
  const pieces = ['a', '\u00e9', '\u20ac', '\u{1F600}', '\ud800', '\udc00', '\ud83dx'];

  it('write whole characters only, with Node bytes, for every room near the end', () => {
    for (const tail of pieces) {
      for (const head of pieces) {
        const str = `${'ab'.repeat(3)}${head}${tail}${head}${tail}`;
        const full = Buffer.byteLength(str);
        for (let room = 0; room <= full + 2; room++) {
          const mine = new Uint8Array(room + 1).fill(FILL);
          const node = Buffer.alloc(room + 1, FILL);
          const n = codecs.utf8Write(str, mine, 1, room);
          expect(n, `${JSON.stringify(str)} room ${room}`).toBe(node.write(str, 1, room, 'utf8'));
          expect(Buffer.from(mine).equals(node), `${JSON.stringify(str)} room ${room}`).toBe(true);
        }
      }
    }
  });

  it('counts bytes like Node, lone surrogates as the 3 bytes of U+FFFD', () => {
    for (const a of pieces) for (const b of pieces) for (const c of ['', ...pieces]) {
      const str = a + b + c;
      expect(codecs.utf8ByteLength(str), JSON.stringify(str)).toBe(Buffer.byteLength(str, 'utf8'));
    }
    expect(codecs.utf8ByteLength('')).toBe(0);
    expect(codecs.utf8ByteLength('\ud83d')).toBe(3);
    expect(codecs.utf8ByteLength('\u{1F600}')).toBe(4);
  });
});
