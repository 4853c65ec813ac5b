/**
 * Buffer, TextEncoder, TextDecoder, atob and btoa for the sandbox (issue 3). The engine calls
 * installBuffer during context setup, before any user code, with the host codec callbacks.
 *
 * Layout: primordials (captured builtins) -> codecs (pure JS) + bridge (host calls) -> encodings
 * (size-based choice between them) -> buffer, read-write, search -> text (TextEncoder & co).
 */
import { type CodecBridge, makeBridgeCalls } from './bridge.ts';
import { createBuffer, inspectLimit } from './buffer.ts';
import { installBufferModule } from './module.ts';
import { type BridgeThresholds, DEFAULT_THRESHOLDS, bindNativeCodecs, createCodecs, hasNativeCodec } from './encodings.ts';

export { bindNativeCodecs, hasNativeCodec };
import { ObjectDefineProperty, ObjectGetPrototypeOf, isUint8Array } from '../primordials.ts';
import { createText } from './text.ts';

export type { CodecBridge } from './bridge.ts';
export type { BridgeThresholds } from './encodings.ts';

export interface InstallOptions {
  /** Override the bridge thresholds (tests force the host path with tiny values). */
  thresholds?: BridgeThresholds;
}

// Every Buffer.prototype this bundle installed (one per context, several in unit tests).
const bufferPrototypes = new WeakSet<object>();
const WeakSetAdd = WeakSet.prototype.add;
const WeakSetHas = WeakSet.prototype.has;
const ReflectApply = Reflect.apply;

export function installBuffer(global: typeof globalThis, bridge: CodecBridge | undefined, options: InstallOptions = {}): void {
  const codecs = createCodecs(makeBridgeCalls(bridge), options.thresholds ?? DEFAULT_THRESHOLDS);
  bindNativeCodecs();
  const parts = createBuffer(codecs);
  const text = createText(codecs, parts);
  ReflectApply(WeakSetAdd, bufferPrototypes, [parts.Buffer.prototype]);
  installBufferModule(parts.Buffer, text.atob, text.btoa);
  const globals: [string, unknown][] = [
    ['Buffer', parts.Buffer],
    ['TextEncoder', text.TextEncoder],
    ['TextDecoder', text.TextDecoder],
    ['atob', text.atob],
    ['btoa', text.btoa],
  ];
  for (let i = 0; i < globals.length; i++) {
    const entry = globals[i]!;
    ObjectDefineProperty(global, entry[0], { value: entry[1], writable: true, enumerable: false, configurable: true });
  }
}

/** `buffer.INSPECT_MAX_BYTES` of this context (the result serializer passes it on for rendering). */
export function inspectMaxBytes(): number {
  return inspectLimit.maxBytes;
}

/**
 * True for the sandbox's Buffer instances (the result serializer and console use it). Checks the
 * real typed-array tag first, then walks at most a few prototypes: it never runs a user getter.
 */
export function isBuffer(value: unknown): boolean {
  if (!isUint8Array(value)) return false;
  let proto: object | null = value;
  for (let depth = 0; depth < 8; depth++) {
    try {
      proto = ObjectGetPrototypeOf(proto) as object | null;
    } catch {
      return false;
    }
    if (proto === null) return false;
    if (ReflectApply(WeakSetHas, bufferPrototypes, [proto]) as boolean) return true;
  }
  return false;
}
