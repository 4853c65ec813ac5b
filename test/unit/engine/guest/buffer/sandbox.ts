/**
 * The guest Buffer installed on a fresh object, backed by the real host codec (createHostCodec), so
 * both the in-isolate codecs and the host path run in-process under vitest without an engine.
 */
import { type BridgeThresholds, installBuffer } from '../../../../../engine/guest/buffer/index.ts';
import { type CodecBridgeLimits, createHostCodec } from '../../../../../engine/host/codec-bridge.ts';
import { DESCRIBE_SOURCE } from './describe.ts';

export interface Sandbox {
  Buffer: typeof Buffer;
  TextEncoder: typeof TextEncoder;
  TextDecoder: typeof TextDecoder;
  atob: typeof atob;
  btoa: typeof btoa;
  global: Record<string, unknown>;
  codec: ReturnType<typeof createHostCodec>;
  /** Bridge calls seen (arguments as the host received them). */
  calls: { op: 'encode' | 'decode'; size: number; encoding: string }[];
  /** For each encode call: byte length of the ArrayBuffer behind the bytes handed over, and their offset in it. */
  backings: { bufferBytes: number; byteOffset: number }[];
}

const all = (n: number) => Object.fromEntries(['utf8', 'utf16le', 'latin1', 'ascii', 'base64', 'base64url', 'hex'].map((e) => [e, n])) as BridgeThresholds['encode'];
/** Threshold presets: everything on the host, nothing on the host, or the shipped defaults. */
export const ALWAYS_HOST: BridgeThresholds = { encode: all(0), decode: all(0) };
export const NEVER_HOST: BridgeThresholds = { encode: all(Infinity), decode: all(Infinity) };

export function makeSandbox(options: { thresholds?: BridgeThresholds; limits?: CodecBridgeLimits; bridge?: boolean } = {}): Sandbox {
  const global: Record<string, unknown> = {};
  const codec = createHostCodec(options.limits);
  const calls: Sandbox['calls'] = [];
  const backings: Sandbox['backings'] = [];
  const bridge = {
    encode(bytes: Uint8Array, encoding: string) {
      // Mirror isolated-vm: the host gets its own copy of the argument.
      calls.push({ op: 'encode', size: bytes.byteLength, encoding });
      backings.push({ bufferBytes: bytes.buffer.byteLength, byteOffset: bytes.byteOffset });
      return codec.encode(new Uint8Array(bytes), encoding);
    },
    decode(text: string, encoding: string) {
      calls.push({ op: 'decode', size: text.length, encoding });
      return codec.decode(text, encoding);
    },
  };
  installBuffer(global as typeof globalThis, options.bridge === false ? undefined : bridge, { thresholds: options.thresholds });
  const g = global as unknown as Sandbox;
  return { Buffer: g.Buffer, TextEncoder: g.TextEncoder, TextDecoder: g.TextDecoder, atob: g.atob, btoa: g.btoa, global, codec, calls, backings };
}

type Env = Pick<Sandbox, 'Buffer' | 'TextEncoder' | 'TextDecoder' | 'atob' | 'btoa'>;

export const hostEnv: Env = { Buffer, TextEncoder, TextDecoder, atob, btoa };

/** Evaluates a case expression against an environment and describes the outcome. */
export function evaluate(env: Env, expr: string): string {
  const fn = new Function('Buffer', 'TextEncoder', 'TextDecoder', 'atob', 'btoa', `${DESCRIBE_SOURCE}\nreturn describe(function () { return (${expr}); });`);
  return fn(env.Buffer, env.TextEncoder, env.TextDecoder, env.atob, env.btoa) as string;
}
