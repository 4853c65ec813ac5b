/**
 * The guest end of the host codec bridge. The two host functions are read once from the bridge
 * object at install time and live only in this closure: they are never stored on an object,
 * prototype or global that user code can reach, and they are called directly (no `.call`/`.apply`).
 *
 * Bytes go to the host as a Uint8Array that owns exactly the bytes to encode. isolated-vm copies the
 * argument with V8's ValueSerializer, which copies a view's WHOLE backing ArrayBuffer: so a view into
 * a larger (or shared, or resizable) buffer is first copied into a fresh exact-size array.
 */
import { CODEC_LIMIT_PREFIX } from '../../common/guest-abi.ts';
import { makeError } from './errors.ts';
import {
  ArrayBufferPrototypeGetByteLength,
  ArrayBufferPrototypeGetResizable,
  RangeErrorCtor,
  ReflectApply,
  StringCtor,
  StringPrototypeStartsWith,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSubarray,
  Uint8ArrayCtor,
  isArrayBuffer,
} from '../primordials.ts';

/** Host codec functions handed in by the engine (sync callbacks; arguments and results are copies). */
export interface CodecBridge {
  /** Encodes a copy of `bytes` as `encoding` on the host. */
  encode(bytes: Uint8Array, encoding: string): string;
  /**
   * Decodes `text` from `encoding` on the host; returns a fresh copy of the bytes, or (for large
   * results) an isolated-vm ExternalCopy holding them, opened here with a transferring copy().
   */
  decode(text: string, encoding: string): ArrayBuffer | { copy(options: { transferIn: boolean; release: boolean }): ArrayBuffer };
}

export interface BridgeCalls {
  /** Encodes u[start, end) on the host; undefined when the host refused (over its budget). */
  encode(u: Uint8Array, start: number, end: number, encoding: string): string | undefined;
  /** Decodes on the host into a fresh ArrayBuffer owned by this isolate; undefined when refused. */
  decode(text: string, encoding: string): ArrayBuffer | undefined;
}


/**
 * A refusal means "do it yourself": the isolate's own memory limit then bounds the work. Anything
 * else (a copy that does not fit in the isolate, a host bug) is a real failure.
 */
function isRefusal(err: unknown): boolean {
  if (err === null || typeof err !== 'object') return false;
  const message = (err as Error).message;
  return typeof message === 'string' && StringPrototypeStartsWith(message, CODEC_LIMIT_PREFIX);
}

function ownedBytes(u: Uint8Array, start: number, end: number): Uint8Array {
  const buf = TypedArrayPrototypeGetBuffer(u);
  const len = end - start;
  if (
    isArrayBuffer(buf) &&
    !ArrayBufferPrototypeGetResizable(buf) &&
    TypedArrayPrototypeGetByteOffset(u) + start === 0 &&
    ArrayBufferPrototypeGetByteLength(buf) === len
  ) {
    return u;
  }
  const copy = new Uint8ArrayCtor(len);
  TypedArrayPrototypeSet(copy, TypedArrayPrototypeSubarray(u, start, end));
  return copy;
}

function rethrow(err: unknown): never {
  // Re-create the error here so nothing host-made (not even a copied error object) reaches user code.
  const message = err !== null && typeof err === 'object' && typeof (err as Error).message === 'string' ? (err as Error).message : StringCtor(err);
  throw makeError(RangeErrorCtor, 'ERR_ISOLAB_CODEC', `Host codec failed: ${message}`);
}

export function makeBridgeCalls(bridge: CodecBridge | undefined): BridgeCalls | undefined {
  if (bridge === undefined || bridge === null) return undefined;
  const hostEncode = bridge.encode;
  const hostDecode = bridge.decode;
  if (typeof hostEncode !== 'function' || typeof hostDecode !== 'function') return undefined;
  return {
    encode(u, start, end, encoding) {
      const bytes = ownedBytes(u, start, end);
      let out: unknown;
      try {
        out = hostEncode(bytes, encoding);
      } catch (err) {
        if (isRefusal(err)) return undefined;
        rethrow(err);
      }
      if (typeof out !== 'string') rethrow('bad result');
      return out as string;
    },
    decode(text, encoding) {
      let out: unknown;
      try {
        out = hostDecode(text, encoding);
      } catch (err) {
        if (isRefusal(err)) return undefined;
        rethrow(err);
      }
      if (isArrayBuffer(out)) return out;
      // An ExternalCopy made by isolated-vm in this isolate; user code never sees it.
      const open = out !== null && typeof out === 'object' ? (out as { copy?: unknown }).copy : undefined;
      if (typeof open !== 'function') rethrow('bad result');
      let ab: unknown;
      try {
        ab = ReflectApply(open as (o: object) => unknown, out, [{ transferIn: true, release: true }]);
      } catch (err) {
        rethrow(err);
      }
      if (!isArrayBuffer(ab)) rethrow('bad result');
      return ab as ArrayBuffer;
    },
  };
}
