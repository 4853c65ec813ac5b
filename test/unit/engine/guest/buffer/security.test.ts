/**
 * The bridge functions must stay out of reach of user code, and user code that patches builtins
 * after setup must not break the Buffer or get handed the bridge. These run in-process against the
 * guest module; test/integration/buffer-sandbox.test.ts repeats the attacks inside a real isolate.
 */
import { describe, expect, it } from 'vitest';
import { installBuffer } from '../../../../../engine/guest/buffer/index.ts';
import { createHostCodec } from '../../../../../engine/host/codec-bridge.ts';
import { ALWAYS_HOST } from './sandbox.ts';

function setup(withBridge = true) {
  const codec = createHostCodec();
  const encode = (bytes: Uint8Array, encoding: string) => codec.encode(new Uint8Array(bytes), encoding);
  const decode = (text: string, encoding: string) => codec.decode(text, encoding);
  const bridge = { encode, decode };
  const global: Record<string, unknown> = {};
  installBuffer(global as typeof globalThis, withBridge ? bridge : undefined, { thresholds: ALWAYS_HOST });
  const secrets = new Set<unknown>([bridge, encode, decode, codec, codec.encode, codec.decode]);
  return { global, secrets, Buffer: global.Buffer as typeof Buffer };
}

/** Everything reachable from `roots` through own properties, getters, setters and prototypes. */
function reachable(roots: unknown[], limit = 50_000): Set<unknown> {
  const seen = new Set<unknown>();
  const queue = [...roots];
  while (queue.length > 0 && seen.size < limit) {
    const value = queue.shift();
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
    seen.add(value);
    queue.push(Object.getPrototypeOf(value));
    for (const key of Reflect.ownKeys(value)) {
      const desc = Object.getOwnPropertyDescriptor(value, key)!;
      if ('value' in desc) queue.push(desc.value);
      queue.push(desc.get, desc.set);
    }
    if (typeof value === 'function') {
      for (const probe of ['caller', 'arguments']) {
        try {
          queue.push((value as unknown as Record<string, unknown>)[probe]);
        } catch {
          // strict functions throw: nothing to reach.
        }
      }
    }
  }
  return seen;
}

describe('guest Buffer: bridge isolation', () => {
  it('no property, getter, setter or prototype walk from the globals reaches the bridge', () => {
    const { global, secrets, Buffer: B } = setup();
    const instance = B.from('x'.repeat(100));
    const roots = [global.Buffer, global.TextEncoder, global.TextDecoder, global.atob, global.btoa, instance, new (global.TextDecoder as typeof TextDecoder)(), instance.subarray(1)];
    const seen = reachable(roots);
    expect(seen.size).toBeGreaterThan(100);
    for (const secret of secrets) expect(seen.has(secret)).toBe(false);
  });

  it('__lookupGetter__ and constructor tricks hand out nothing but the public API', () => {
    const { Buffer: B, secrets } = setup();
    const proto = B.prototype as unknown as Record<string, (name: string) => unknown>;
    const got = [proto.__lookupGetter__!('parent'), proto.__lookupGetter__!('offset'), proto.__lookupGetter__!('buffer'), B.prototype.toString.constructor, B.from('a').constructor];
    for (const g of got) expect(secrets.has(g)).toBe(false);
    expect(B.prototype.toString.constructor).toBe(Function);
  });

  it('errors raised by the host path are made in the guest and carry no host objects', () => {
    const { Buffer: B, secrets } = setup();
    let caught: unknown;
    try {
      // An unknown encoding is rejected before the bridge; a bad host call is simulated below.
      B.alloc(4).toString('bogus' as BufferEncoding);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TypeError);
    for (const v of reachable([caught])) expect(secrets.has(v)).toBe(false);
  });
});

describe('guest Buffer: patched builtins after setup', () => {
  const patches: [object, PropertyKey][] = [
    [Function.prototype, 'call'],
    [Function.prototype, 'apply'],
    [Function.prototype, 'bind'],
    [Array.prototype, 'push'],
    [Array.prototype, 'join'],
    [Array.prototype, 'slice'],
    [Array.prototype, 'map'],
    [Array.prototype, Symbol.iterator],
    [String.prototype, 'charCodeAt'],
    [String.prototype, 'slice'],
    [String.prototype, 'toLowerCase'],
    [Object.getPrototypeOf(Uint8Array.prototype) as object, 'set'],
    [Object.getPrototypeOf(Uint8Array.prototype) as object, 'subarray'],
    [Object.getPrototypeOf(Uint8Array.prototype) as object, 'fill'],
    [Math, 'min'],
    [Math, 'trunc'],
    [String, 'fromCharCode'],
    [Reflect, 'apply'],
    [Object, 'defineProperty'],
  ];

  it.each([
    ['host codecs', true],
    ['in-isolate codecs', false],
  ])('keeps working and leaks nothing while every builtin it uses is replaced by a spy (%s)', (_label, withBridge) => {
    const { Buffer: B, secrets } = setup(withBridge);
    const big = 'h\u00e9llo '.repeat(5000);
    const expected = Buffer.from(big).toString('base64');
    const spied: unknown[] = [];
    const hitKeys: PropertyKey[] = [];
    const saved = patches.map(([target, key]) => [target, key, Object.getOwnPropertyDescriptor(target, key)!] as const);
    let results: unknown[] = [];
    // The spy itself must not use what it patches.
    const apply = Reflect.apply;
    const defineProperty = Object.defineProperty;
    const record = (self: unknown, args: unknown[]) => {
      spied[spied.length] = self;
      for (let i = 0; i < args.length; i++) spied[spied.length] = args[i];
    };
    try {
      for (let i = 0; i < saved.length; i++) {
        const target = saved[i]![0];
        const key = saved[i]![1];
        const desc = saved[i]![2];
        const original = desc.value as (...args: unknown[]) => unknown;
        defineProperty(target, key, {
          configurable: desc.configurable,
          enumerable: desc.enumerable,
          writable: desc.writable,
          value: function spy(this: unknown, ...args: unknown[]) {
            hitKeys[hitKeys.length] = key;
            record(this, args);
            return apply(original, this, args);
          },
        });
      }
      // Hostile replacements that would break a Buffer relying on them.
      const b = B.from(big);
      const b64 = b.toString('base64');
      results = [
        b64 === expected,
        B.from(b64, 'base64').equals(b),
        b.toString('hex', 0, 4),
        B.concat([B.from('ab'), B.from('cd')]).toString(),
        B.alloc(6, 'xy').toString('latin1'),
        b.indexOf('llo'),
        b.readUInt16BE(0),
        JSON.stringify(B.from('ok')),
      ];
    } finally {
      for (let i = 0; i < saved.length; i++) defineProperty(saved[i]![0], saved[i]![1], saved[i]![2]);
    }
    expect(results).toEqual([true, true, '68c3a96c', 'abcd', 'xyxyxy', 3, 0x68c3, '{"type":"Buffer","data":[111,107]}']);
    for (const v of spied) expect(secrets.has(v)).toBe(false);
    // Stronger: the Buffer never called a patched builtin at all.
    // Stronger: the Buffer itself never calls a patched builtin.
    expect(hitKeys.map(String)).toEqual([]);
  });

  it('survives user patches to its own prototype (internal calls do not go through it)', () => {
    const { Buffer: B } = setup();
    const proto = B.prototype as unknown as Record<string, unknown>;
    const saved = { ...Object.getOwnPropertyDescriptors(B.prototype) };
    try {
      for (const name of ['utf8Slice', 'hexSlice', 'utf8Write', 'readUInt8', 'indexOf', 'slice', 'copy']) proto[name] = () => 'patched';
      expect(B.from('abc').toString('hex')).toBe('616263');
      expect(B.from('abcabc').includes('ca')).toBe(true);
      expect(B.concat([B.from('a'), B.from('b')]).toString()).toBe('ab');
      expect(B.from([1, 2]).readUInt16LE(0)).toBe(0x201);
    } finally {
      Object.defineProperties(B.prototype, saved);
    }
  });

  it('ignores a patched Array.prototype index setter when building arrays', () => {
    const { Buffer: B } = setup();
    const hits: unknown[] = [];
    Object.defineProperty(Array.prototype, '0', { set: (v) => hits.push(v), get: () => 'trap', configurable: true });
    let json: unknown;
    try {
      json = B.from('AB').toJSON();
      B.alloc(3).writeUInt8(1, 5);
    } catch {
      // the out-of-range write throws; building its message must not touch the trap either
    } finally {
      delete (Array.prototype as unknown as Record<string, unknown>)['0'];
    }
    expect(json).toEqual({ type: 'Buffer', data: [65, 66] });
    expect(hits).toEqual([]);
  });
});
