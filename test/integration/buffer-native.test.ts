/**
 * The sandbox Buffer's native base64/hex path (V8's Uint8Array codecs, stricter than Node's) must
 * give Node's bytes for every input: strictly valid input decodes natively, anything else falls
 * back to the Node-compatible decoders. Long, messy inputs, compared with host Node byte for byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../engine/client/engine-client.ts';
import { seededRandom } from '../support/random.ts';

let engine: EngineClient;
beforeAll(async () => {
  engine = await EngineClient.start({ host: { poolSize: 1 } });
});
afterAll(async () => {
  await engine?.close();
});

function messyInputs(seed: number): { encoding: string; text: string }[] {
  const rand = seededRandom(seed);
  const out: { encoding: string; text: string }[] = [];
  for (let i = 0; i < 120; i++) {
    const bytes = Buffer.from(Array.from({ length: 48 + Math.floor(rand() * 3000) }, () => Math.floor(rand() * 256)));
    const encoding = ['base64', 'base64url', 'hex'][i % 3]!;
    let text = bytes.toString(encoding as BufferEncoding);
    const at = () => Math.floor(rand() * text.length);
    const insert = (s: string) => {
      const p = at();
      text = text.slice(0, p) + s + text.slice(p);
    };
    switch (Math.floor(rand() * 9)) {
      case 0: break; // strictly valid
      case 1: insert(' \n\t'); break; // whitespace
      case 2: insert(encoding === 'hex' ? 'zz' : '*#'); break; // invalid characters
      case 3: insert('='); break; // padding in the middle
      case 4: text = text.replace(/[+/]/g, (c) => (c === '+' ? '-' : '_')); break; // the other alphabet
      case 5: text = text.replace(/[-_]/g, (c) => (c === '-' ? '+' : '/')); break;
      case 6: text = text.slice(0, -1); break; // odd / partial last chunk
      case 7: text += encoding === 'hex' ? 'A' : '=='; break;
      case 8: text = text.toUpperCase(); break;
    }
    out.push({ encoding, text });
  }
  return out;
}

describe('native base64/hex codecs in the sandbox', () => {
  it('are present and fast-pathed', async () => {
    const r = await engine.run({ code: 'typeof Uint8Array.prototype.toBase64 + " " + typeof Uint8Array.fromHex' });
    expect(r.value).toBe('function function');
  });

  it("still has V8 13.6's byteOffset bug that the Buffer works around (fails once V8 fixes it: then drop atOffsetZero)", async () => {
    const r = await engine.run({ code: 'const v = new Uint8Array([1, 2, 3, 4, 5, 6]).subarray(3); [v.toHex(), v.toBase64()]' });
    expect(r.value).toEqual(['010203', 'AQID']);
  });

  it.each([1, 2, 3])('decode messy input exactly like Node (seed %i)', async (seed) => {
    const inputs = messyInputs(seed);
    const r = await engine.run({
      code: `const inputs = ${JSON.stringify(inputs)};
        return inputs.map(({ encoding, text }) => {
          const a = Buffer.from(text, encoding).toString('hex');
          const b = Buffer.alloc(Math.ceil(text.length / 2) + 8);
          const n = b.write(text, 3, encoding);
          return [a, n, b.toString('hex')];
        });`,
      timeoutMs: 30_000,
    });
    expect(r.error).toBeUndefined();
    const expected = inputs.map(({ encoding, text }) => {
      const a = Buffer.from(text, encoding as BufferEncoding).toString('hex');
      const b = Buffer.alloc(Math.ceil(text.length / 2) + 8);
      const n = b.write(text, 3, encoding as BufferEncoding);
      return [a, n, b.toString('hex')];
    });
    expect(r.value).toEqual(expected);
  });

  it('decode long hex (many native chunks) exactly like Node: odd, invalid, two-byte, limited writes', async () => {
    // Runs unchanged in the sandbox and here; gives [length, checksum, written, checksum] per case.
    const source = String.raw`(() => {
      let x = 0x9e3779b9;
      const next = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
      const digits = '0123456789abcdefABCDEF';
      const sum = (b) => { let h = 0x811c9dc5; for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 16777619) >>> 0; return h; };
      const out = [];
      for (const junk of ['', 'g', ' ', '=', '+', '\n', '\u0130', '\u0100', '\ud83d\ude00', 'odd']) {
        const parts = [];
        const len = 65536 * 3 + (next() % 20000) * 2;
        for (let i = 0; i < len; i++) parts.push(digits[next() % 22]);
        let text = parts.join('');
        if (junk === 'odd') text += '7';
        else if (junk) { const at = next() % len; text = text.slice(0, at) + junk + text.slice(at + 1); }
        const b = Buffer.from(text, 'hex');
        const w = Buffer.alloc(len / 2 + 4, 0xee);
        const n = w.write(text, 3, (next() % (len / 2)) + 1, 'hex');
        out.push([b.length, sum(b), n, sum(w)]);
      }
      return out;
    })()`;
    const r = await engine.run({ code: source, timeoutMs: 60_000 });
    expect(r.error).toBeUndefined();
    expect(r.value).toEqual(new Function(`return ${source}`)());
  });

  it('decodes hex natively after user code patched the builtins it uses', async () => {
    const r = await engine.run({
      code: `let hits = 0;
        const hex = Buffer.alloc(100000, 'c0ffee', 'hex').toString('hex');
        Uint8Array.fromBase64 = () => { hits++; return new Uint8Array(75000); };
        String.prototype.slice = function () { hits++; return 'zz'; };
        Uint8Array.prototype.set = function () { hits++; };
        Uint8Array.prototype.subarray = function () { hits++; return this; };
        const b = Buffer.from(hex, 'hex');
        return [hits, b.length, b.toString('hex', 0, 6), b.toString('hex', 99997)];`,
    });
    expect(r.value).toEqual([0, 100000, 'c0ffeec0ffee', 'ffeec0']);
  });

  it('encode exactly like Node at every length around the native threshold', async () => {
    const r = await engine.run({
      code: `const out = [];
        for (let n = 0; n < 200; n++) {
          const b = Buffer.alloc(n); for (let i = 0; i < n; i++) b[i] = (i * 37 + n) & 255;
          out.push([b.toString('base64'), b.toString('base64url'), b.toString('hex'), b.toString('hex', 3, n - 2)]);
        }
        return out;`,
    });
    const expected = Array.from({ length: 200 }, (_, n) => {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = (i * 37 + n) & 255;
      return [b.toString('base64'), b.toString('base64url'), b.toString('hex'), b.toString('hex', 3, n - 2)];
    });
    expect(r.value).toEqual(expected);
  });

  it('cannot be subverted by patching Object.prototype with option getters', async () => {
    const r = await engine.run({
      code: `let hits = 0;
        for (const k of ['alphabet', 'lastChunkHandling', 'omitPadding']) Object.defineProperty(Object.prototype, k, { get() { hits++; return 'bogus' }, configurable: true });
        const b = Buffer.from('hello world, this is long enough for the native path!');
        const s = b.toString('base64url');
        const back = Buffer.from(s, 'base64url').toString();
        return [hits, back];`,
    });
    expect(r.value).toEqual([0, 'hello world, this is long enough for the native path!']);
  });
});
