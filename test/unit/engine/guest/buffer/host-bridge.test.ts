/**
 * The guest <-> host codec interplay: which path runs at which size, the host budgets (refusals make
 * the guest do the work itself, results unchanged), what crosses (exact-size private copies), and
 * the host's input checks.
 */
import { describe, expect, it } from 'vitest';
import { CODEC_LIMIT_PREFIX, RELEASE_MIN_BYTES, TRANSFER_MIN_BYTES, createHostCodec } from '../../../../../engine/host/codec-bridge.ts';
import { installBuffer } from '../../../../../engine/guest/buffer/index.ts';
import { ALWAYS_HOST, makeSandbox } from './sandbox.ts';

describe('bridge thresholds', () => {
  it('keeps small work in the isolate and sends large work to the host', () => {
    const sb = makeSandbox();
    sb.Buffer.alloc(64, 1).toString('hex');
    sb.Buffer.from('small');
    expect(sb.calls).toEqual([]);
    sb.Buffer.alloc(64 * 1024, 1).toString('hex');
    sb.Buffer.from('x'.repeat(64 * 1024), 'utf8');
    expect(sb.calls).toEqual([
      { op: 'encode', size: 64 * 1024, encoding: 'hex' },
      { op: 'decode', size: 64 * 1024, encoding: 'utf8' },
    ]);
  });

  it('hands the host an exact-size copy, never a whole pool or a larger backing buffer', () => {
    const sb = makeSandbox({ thresholds: ALWAYS_HOST });
    const big = sb.Buffer.alloc(100_000, 7);
    const pooled = sb.Buffer.from('pooled bytes');
    expect(big.subarray(10, 20).toString('hex')).toBe('07'.repeat(10));
    expect(pooled.toString('base64')).toBe(Buffer.from('pooled bytes').toString('base64'));
    expect(big.toString('latin1').length).toBe(100_000);
    expect(sb.backings).toEqual([
      { bufferBytes: 10, byteOffset: 0 },
      { bufferBytes: 12, byteOffset: 0 },
      { bufferBytes: 100_000, byteOffset: 0 },
    ]);
  });

  it('maps aliases to the host names and never sends an unknown encoding', () => {
    const sb = makeSandbox({ thresholds: ALWAYS_HOST });
    sb.Buffer.from('abc').toString('UCS-2' as BufferEncoding);
    sb.Buffer.from('abc').toString('binary');
    sb.Buffer.from('616263', 'HEX' as BufferEncoding);
    // (with every size sent to the host, Buffer.from('abc') is a utf8 decode call too)
    expect(sb.calls.map((c) => c.encoding)).toEqual(['utf8', 'utf16le', 'utf8', 'latin1', 'hex']);
    const before = sb.calls.length;
    const abc = Buffer.from('abc');
    expect(() => sb.Buffer.prototype.toString.call(abc, 'bogus')).toThrow(expect.objectContaining({ code: 'ERR_UNKNOWN_ENCODING' }));
    expect(sb.calls).toHaveLength(before);
  });
});

describe('host budgets', () => {
  it('refuses past the per-call limit; the guest does the work itself with the same result', () => {
    const sb = makeSandbox({ thresholds: ALWAYS_HOST, limits: { maxBytesPerCall: 1000, maxBytesPerRun: 1_000_000 } });
    const data = Buffer.alloc(5000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 255;
    const mine = sb.Buffer.from(data);
    expect(mine.toString('base64')).toBe(data.toString('base64'));
    expect(sb.Buffer.from(data.toString('hex'), 'hex').equals(mine)).toBe(true);
    expect(sb.codec.usage().refused).toBe(2);
  });

  it('refuses past the per-run budget until startRun() resets it', () => {
    const sb = makeSandbox({ thresholds: ALWAYS_HOST, limits: { maxBytesPerCall: 10_000, maxBytesPerRun: 20_000 } });
    const b = sb.Buffer.alloc(8000, 'ab'); // the fill pattern 'ab' is one 2-unit decode
    for (let i = 0; i < 4; i++) expect(b.toString('hex')).toBe(Buffer.alloc(8000, 'ab').toString('hex'));
    expect(sb.codec.usage()).toEqual({ calls: 3, bytes: 16_002, refused: 2 });
    sb.codec.startRun();
    expect(sb.codec.usage()).toEqual({ calls: 0, bytes: 0, refused: 0 });
    b.toString('hex');
    expect(sb.codec.usage().calls).toBe(1);
  });

  it('refusals carry the agreed prefix; other host failures surface as ERR_ISOLAB_CODEC in the guest', () => {
    const codec = createHostCodec({ maxBytesPerCall: 1, maxBytesPerRun: 1 });
    expect(() => codec.encode(new Uint8Array(2), 'hex')).toThrow(CODEC_LIMIT_PREFIX);
    const global: Record<string, unknown> = {};
    const boom = () => {
      throw new Error('boom');
    };
    installBuffer(global as typeof globalThis, { encode: boom, decode: boom }, { thresholds: ALWAYS_HOST });
    const B = global.Buffer as typeof Buffer;
    expect(() => B.alloc(10).toString('hex')).toThrow(expect.objectContaining({ code: 'ERR_ISOLAB_CODEC', name: 'RangeError', message: 'Host codec failed: boom' }));
    expect(() => B.from('00', 'hex')).toThrow(expect.objectContaining({ code: 'ERR_ISOLAB_CODEC' }));
  });
});

describe('host codec input checks and results', () => {
  it('rejects unknown encodings and wrong argument types', () => {
    const codec = createHostCodec();
    expect(() => codec.encode(new Uint8Array(1), 'ucs2')).toThrow(/unsupported encoding/);
    expect(() => codec.encode('x' as unknown as Uint8Array, 'hex')).toThrow(/Uint8Array/);
    expect(() => codec.decode(5 as unknown as string, 'hex')).toThrow(/string/);
    expect(() => codec.decode('00', 'toString' as string)).toThrow(/unsupported encoding/);
  });

  it('returns small decodes as exact ArrayBuffers and large ones as transferable copies', () => {
    const codec = createHostCodec();
    const small = codec.decode('abc', 'utf8');
    expect(small).toBeInstanceOf(ArrayBuffer);
    expect((small as ArrayBuffer).byteLength).toBe(3);
    const large = codec.decode('x'.repeat(TRANSFER_MIN_BYTES), 'latin1') as { copy(o: object): ArrayBuffer };
    expect(large).not.toBeInstanceOf(ArrayBuffer);
    const ab = large.copy({ transferIn: true, release: true });
    expect(ab.byteLength).toBe(TRANSFER_MIN_BYTES);
    expect(new Uint8Array(ab)[0]).toBe(0x78);
  });

  it('releases large encode inputs (its own copies) once encoded, and leaves small ones alone', () => {
    const codec = createHostCodec();
    const small = new Uint8Array(RELEASE_MIN_BYTES - 1).fill(0xe9);
    const large = new Uint8Array(RELEASE_MIN_BYTES).fill(0xe9);
    expect(codec.encode(small, 'latin1')).toBe('\u00e9'.repeat(RELEASE_MIN_BYTES - 1));
    expect(codec.encode(large, 'latin1')).toBe('\u00e9'.repeat(RELEASE_MIN_BYTES));
    // Detaching leaves a buffer of length 0.
    expect(small.buffer.byteLength).toBe(RELEASE_MIN_BYTES - 1);
    expect(large.buffer.byteLength).toBe(0);
    // A shared buffer cannot be released (no transfer); it is encoded all the same.
    const shared = new Uint8Array(new SharedArrayBuffer(RELEASE_MIN_BYTES)).fill(0x41);
    expect(codec.encode(shared, 'latin1')).toBe('A'.repeat(RELEASE_MIN_BYTES));
  });
});
