/**
 * Differential tests against host Node's Buffer on seeded random inputs, sizes 0 to several MB, for
 * every encoding in both directions, through all three codec paths (default thresholds, in-isolate
 * only, host only). A failure prints the seed and case index so it can be replayed.
 */
import { describe, expect, it } from 'vitest';
import { ENCODINGS, randomBytes, randomSize, randomText, rng } from './random.ts';
import { ALWAYS_HOST, NEVER_HOST, makeSandbox } from './sandbox.ts';

const SEED = Number(process.env.ISOLAB_BUFFER_SEED ?? 20_261_121);
const MAX = 6 * 1024 * 1024;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

describe('guest Buffer vs host Node on random inputs', () => {
  for (const [label, thresholds, rounds] of [
    ['default thresholds', undefined, 60],
    ['in-isolate codecs only', NEVER_HOST, 30],
    ['host codecs only', ALWAYS_HOST, 30],
  ] as const) {
    it(`encodes and decodes byte-exactly (${label})`, { timeout: 300_000 }, () => {
      const sandbox = makeSandbox({ thresholds });
      const next = rng(SEED + rounds);
      for (let round = 0; round < rounds; round++) {
        const enc = ENCODINGS[round % ENCODINGS.length]!;
        const where = `seed ${SEED + rounds} round ${round} (${enc})`;
        // bytes -> string
        const bytes = randomBytes(next, randomSize(next, MAX));
        const mine = sandbox.Buffer.from(bytes);
        const host = Buffer.from(bytes);
        expect(mine.toString(enc) === host.toString(enc), `toString ${where} size ${bytes.length}`).toBe(true);
        const start = Math.floor(next() * bytes.length);
        const end = start + Math.floor(next() * (bytes.length - start + 1));
        expect(mine.toString(enc, start, end) === host.toString(enc, start, end), `toString range ${where}`).toBe(true);
        // string -> bytes
        const text = randomText(next, randomSize(next, MAX), enc);
        const decoded = sandbox.Buffer.from(text, enc);
        expect(sameBytes(decoded, Buffer.from(text, enc)), `from ${where} length ${text.length}`).toBe(true);
        expect(sandbox.Buffer.byteLength(text, enc)).toBe(Buffer.byteLength(text, enc));
        // limited writes keep whole characters the same way
        const room = Math.floor(next() * (decoded.length + 8));
        const offset = Math.floor(next() * 4);
        const a = sandbox.Buffer.alloc(room + offset);
        const b = Buffer.alloc(room + offset);
        expect(a.write(text, offset, room, enc), `write count ${where} room ${room}`).toBe(b.write(text, offset, room, enc));
        expect(sameBytes(a, b), `write bytes ${where}`).toBe(true);
      }
    });
  }

  it('round-trips TextEncoder/TextDecoder, atob/btoa like host Node on random text', { timeout: 120_000 }, () => {
    const sandbox = makeSandbox();
    const next = rng(SEED);
    for (let round = 0; round < 20; round++) {
      const text = randomText(next, randomSize(next, 2 * 1024 * 1024), 'utf8');
      const mine = new sandbox.TextEncoder().encode(text);
      expect(sameBytes(mine, new TextEncoder().encode(text))).toBe(true);
      expect(new sandbox.TextDecoder().decode(mine) === new TextDecoder().decode(mine)).toBe(true);
      const latin = Buffer.from(mine).toString('latin1');
      const b64 = sandbox.btoa(latin);
      expect(b64 === btoa(latin)).toBe(true);
      expect(sandbox.atob(b64) === latin).toBe(true);
    }
  });
});
