/**
 * Which builtins the guest captured, checked against what the context really has. The guest
 * captures most builtins once, in the isolate snapshot; a few exist only in contexts V8 creates
 * later (see bindContextPrimordials). A builtin the context has but the guest holds as missing is
 * a silent loss of behaviour (it is how `Buffer.from(new SharedArrayBuffer(4))` once failed), so
 * install() records the list and the integration tests require it to be empty.
 */
import { hasNativeCodec } from './buffer/index.ts';
import * as I from './intrinsics.ts';
import { capturedSharedArrayBuffer, ErrorCaptureStackTrace, HAS_RESIZABLE_GETTER, HAS_TO_WELL_FORMED } from './primordials.ts';

type Check = [path: string, captured: () => boolean];

const CHECKS: readonly Check[] = [
  ['SharedArrayBuffer', () => capturedSharedArrayBuffer() !== undefined],
  ['WeakRef', () => I.WeakRefPrototype !== undefined],
  ['Error.captureStackTrace', () => ErrorCaptureStackTrace !== undefined],
  ['ArrayBuffer.prototype.resizable', () => HAS_RESIZABLE_GETTER],
  ['String.prototype.toWellFormed', () => HAS_TO_WELL_FORMED],
  ['Uint8Array.fromBase64', () => hasNativeCodec('base64')],
  ['Uint8Array.prototype.toBase64', () => hasNativeCodec('base64')],
  ['Uint8Array.prototype.toHex', () => hasNativeCodec('hex')],
];

/** Reads a dotted path through own data properties and accessors' presence only (no getter runs). */
function present(root: object, path: string): boolean {
  let node: unknown = root;
  for (const key of I.StringSplit(path, '.')) {
    if (node === null || (typeof node !== 'object' && typeof node !== 'function')) return false;
    const d = I.ObjectGetOwnPropertyDescriptor(node, key);
    if (d === undefined) return false;
    node = 'value' in d ? d.value : d.get;
  }
  return node !== undefined;
}

/** Paths present in `global` that the guest holds as missing. Call before any user code runs. */
export function missingCaptures(global: object): string[] {
  const missing: string[] = [];
  for (const [path, captured] of CHECKS) if (present(global, path) && !captured()) I.ArrayPush(missing, path);
  return missing;
}
