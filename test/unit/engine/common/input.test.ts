import { describe, expect, it } from 'vitest';
import { MAX_SOURCE_BYTES, SourceText } from '../../../../engine/common/contract.ts';
import { decodeUtf8, JSON_TOO_DEEP, jsonTextTooDeep, jsonValueTooDeep, MAX_JSON_DEPTH, parseJsonText, utf8ByteLength } from '../../../../engine/common/input.ts';
import { seededRandom } from '../../../support/random.ts';

const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);

describe('decodeUtf8', () => {
  it('decodes UTF-8 and refuses anything else with the first bad byte, never U+FFFD', () => {
    expect(decodeUtf8(new TextEncoder().encode('héllo 🌍'))).toEqual({ ok: true, text: 'héllo 🌍' });
    const cases: [number[], number][] = [
      [[0x31, 0x2b, 0xff, 0xfe], 2], // a byte that is never UTF-8
      [[0x61, 0xe2, 0x82, 0x41], 3], // a sequence cut short by an ASCII byte
      [[0x61, 0xc0, 0xaf], 1], // an overlong encoding of "/"
      [[0x61, 0xed, 0xa0, 0x80], 2], // an encoded surrogate
      [[0x61, 0x62, 0xe2, 0x82], 2], // the text ends inside a sequence
    ];
    for (const [bytes, offset] of cases) {
      expect(decodeUtf8(new Uint8Array(bytes)), JSON.stringify(bytes)).toEqual({ ok: false, offset, message: `not valid UTF-8 text (first bad byte near offset ${offset})` });
    }
  });

  it('finds the bad byte at the end of 16 MiB without decoding every prefix', () => {
    const bytes = new Uint8Array(MAX_SOURCE_BYTES).fill(0x61);
    bytes[MAX_SOURCE_BYTES - 1] = 0xff;
    expect(decodeUtf8(bytes)).toMatchObject({ ok: false, offset: MAX_SOURCE_BYTES - 1 });
  });
});

describe('utf8ByteLength', () => {
  it('agrees with the encoder on random text, including astral characters and lone surrogates', () => {
    const units = [0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xffff, 0xd83c, 0xdf0d, 0xe9];
    const random = seededRandom(10);
    const pick = (n: number) => Math.floor(random() * n);
    for (let i = 0; i < 500; i++) {
      const text = String.fromCharCode(...Array.from({ length: pick(20) }, () => units[pick(units.length)]!));
      expect(utf8ByteLength(text), JSON.stringify(text)).toBe(new TextEncoder().encode(text).length);
    }
  });

  it('is the one source limit: 16 MiB of UTF-8, whatever the characters', () => {
    expect(SourceText.safeParse('a'.repeat(MAX_SOURCE_BYTES)).success).toBe(true);
    expect(SourceText.safeParse('a'.repeat(MAX_SOURCE_BYTES + 1)).success).toBe(false);
    expect(SourceText.safeParse('é'.repeat(MAX_SOURCE_BYTES / 2)).success).toBe(true);
    expect(SourceText.safeParse(`${'é'.repeat(MAX_SOURCE_BYTES / 2)}a`).error?.issues[0]?.message).toBe('source is larger than 16 MiB (UTF-8)');
  });
});

describe('JSON depth', () => {
  it('bounds nesting in the text before parsing, and counts only brackets outside strings', () => {
    expect(jsonTextTooDeep(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonTextTooDeep(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonTextTooDeep(`{"a":"${'['.repeat(10_000)}","b":"\\\\","c":"\\"[[["}`)).toBe(false);
    expect(jsonTextTooDeep(`["\\\\\\"${'['.repeat(10)}"]`, 2)).toBe(false);
    expect(jsonTextTooDeep(`[{"a":[{"b":1}]}]`, 3)).toBe(true);
  });

  it('parses within the bound and says why not beyond it', () => {
    expect(parseJsonText(`{"args":${nested(100)}}`)).toMatchObject({ ok: true });
    expect(parseJsonText(nested(100_000))).toEqual({ ok: false, tooDeep: true, message: JSON_TOO_DEEP });
    expect(parseJsonText('{"a":')).toMatchObject({ ok: false, tooDeep: false });
  });

  it('bounds nesting of values without recursion, and treats a cycle as too deep', () => {
    expect(jsonValueTooDeep(JSON.parse(nested(MAX_JSON_DEPTH)))).toBe(false);
    expect(jsonValueTooDeep(JSON.parse(nested(100_000)))).toBe(true);
    expect(jsonValueTooDeep({ a: [1, { b: 'x' }] }, 3)).toBe(false);
    expect(jsonValueTooDeep({ a: [1, { b: {} }] }, 3)).toBe(true);
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(jsonValueTooDeep(cycle)).toBe(true);
  });
});

describe('decodeUtf8 across chunk boundaries', () => {
  it('finds the first bad byte wherever it falls relative to the 64 KiB chunks', () => {
    const random = seededRandom(7);
    const pieces = [[0x61], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x8c, 0x8d]];
    for (let round = 0; round < 20; round++) {
      const bytes: number[] = [];
      while (bytes.length < 64 * 1024 * 2 + 10) bytes.push(...pieces[Math.floor(random() * pieces.length)]!);
      // Break it near a chunk boundary: a stray continuation byte, or a lead byte with no follower.
      const at = 64 * 1024 + Math.floor(random() * 9) - 4;
      let offset = at;
      while ((bytes[offset]! & 0xc0) === 0x80) offset++;
      bytes.splice(offset, 0, random() < 0.5 ? 0x80 : 0xff);
      expect(decodeUtf8(new Uint8Array(bytes))).toMatchObject({ ok: false, offset });
    }
  });
});
