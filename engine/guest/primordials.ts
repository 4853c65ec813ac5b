/**
 * Builtins the guest code uses, captured when the guest bundle first runs (before any user code).
 * User code may later patch `Function.prototype.call`, `Array.prototype.*`, `String.prototype.*` or
 * the typed-array getters; the Buffer keeps working because it never looks those up again.
 *
 * `uncurryThis` is Node's primordials trick: `bind.bind(call)(fn)` is a bound `call` whose target
 * and receiver were fixed at capture time, so calling it performs no property lookups at all.
 */

type Uncurried<F> = F extends (this: infer T, ...args: infer A) => infer R ? (self: T, ...args: A) => R : never;

const FunctionPrototype = Function.prototype;
const bindCall = FunctionPrototype.bind.bind(FunctionPrototype.call) as unknown as <F>(fn: F) => Uncurried<F>;
export const uncurryThis = bindCall;

const getter = (proto: object, key: PropertyKey) => Object.getOwnPropertyDescriptor(proto, key)!.get!;

export const ReflectApply = Reflect.apply;
export const ObjectDefineProperty = Object.defineProperty;
export const ObjectDefineProperties = Object.defineProperties;
export const ObjectSetPrototypeOf = Object.setPrototypeOf;
export const ObjectGetPrototypeOf = Object.getPrototypeOf;
export const ObjectCreate = Object.create;
export const ObjectKeys = Object.keys;
export const ObjectFreeze = Object.freeze;
export const ObjectIs = Object.is;
export const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
export const ObjectPrototypeHasOwnProperty = uncurryThis(Object.prototype.hasOwnProperty);
export const ArrayIsArray = Array.isArray;
export const ArrayPrototypeSlice = uncurryThis(Array.prototype.slice as (this: ArrayLike<unknown>, start?: number, end?: number) => unknown[]);
export const ArrayPrototypeJoin = uncurryThis(Array.prototype.join as (this: ArrayLike<unknown>, sep?: string) => string);
export const NumberIsNaN = Number.isNaN;
export const NumberIsInteger = Number.isInteger;
export const NumberIsSafeInteger = Number.isSafeInteger;
export const NumberCtor = Number;
export const NumberPrototypeToString = uncurryThis(Number.prototype.toString);
export const BigIntCtor = BigInt;
export const StringCtor = String;
export const StringFromCharCode = String.fromCharCode;
export const StringPrototypeCharCodeAt = uncurryThis(String.prototype.charCodeAt);
export const StringPrototypeSlice = uncurryThis(String.prototype.slice);
export const StringPrototypeToLowerCase = uncurryThis(String.prototype.toLowerCase);
export const StringPrototypeIndexOf = uncurryThis(String.prototype.indexOf);
export const StringPrototypeIncludes = uncurryThis(String.prototype.includes);
export const StringPrototypeEndsWith = uncurryThis(String.prototype.endsWith);
export const StringPrototypeStartsWith = uncurryThis(String.prototype.startsWith);
export const StringPrototypeRepeat = uncurryThis(String.prototype.repeat);
export const StringPrototypeReplace = uncurryThis(String.prototype.replace as (this: string, pattern: RegExp, replacement: string) => string);
const toWellFormed = (String.prototype as unknown as { toWellFormed?(this: string): string }).toWellFormed;
export const HAS_TO_WELL_FORMED = typeof toWellFormed === 'function';
export const StringPrototypeToWellFormed = uncurryThis(toWellFormed as (this: string) => string);
export const RegExpPrototypeExec = uncurryThis(RegExp.prototype.exec);
export const JSONStringify = JSON.stringify;
export const MathFloor = Math.floor;
export const MathTrunc = Math.trunc;
export const MathMin = Math.min;
export const MathMax = Math.max;
export const MathAbs = Math.abs;
export const SymbolToPrimitive = Symbol.toPrimitive;
export const SymbolToStringTag = Symbol.toStringTag;
export const SymbolFor = Symbol.for;
export const SymbolPrototypeToString = uncurryThis(Symbol.prototype.toString);
export const ErrorCtor = Error;
export const TypeErrorCtor = TypeError;
export const RangeErrorCtor = RangeError;
export const ErrorCaptureStackTrace = (Error as unknown as { captureStackTrace?: (e: object, fn?: Function) => void }).captureStackTrace;

export const ArrayBufferCtor = ArrayBuffer;
export const ArrayBufferIsView = ArrayBuffer.isView;
export const ArrayBufferPrototypeGetByteLength = uncurryThis(getter(ArrayBuffer.prototype, 'byteLength') as (this: ArrayBuffer) => number);
const resizableGetter = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'resizable')?.get;
export const HAS_RESIZABLE_GETTER = resizableGetter !== undefined;
export const ArrayBufferPrototypeGetResizable = resizableGetter
  ? uncurryThis(resizableGetter as (this: ArrayBuffer) => boolean)
  : (_: ArrayBuffer) => false;

// ── Context-time captures ─────────────────────────────────────────────────────────────────────
// Everything else in this file is captured once, when the guest bundle is evaluated into the
// isolate snapshot. V8 adds SharedArrayBuffer to each context as it is created, not to the one a
// snapshot is made in, so it is captured by bindContextPrimordials() when a context is installed
// (still before any user code runs).
let SharedArrayBufferCtor: SharedArrayBufferConstructor | undefined;
let sabByteLength: ((self: SharedArrayBuffer) => number) | undefined;

export function bindContextPrimordials(): void {
  SharedArrayBufferCtor = typeof SharedArrayBuffer === 'function' ? SharedArrayBuffer : undefined;
  sabByteLength = SharedArrayBufferCtor
    ? uncurryThis(getter(SharedArrayBufferCtor.prototype, 'byteLength') as (this: SharedArrayBuffer) => number)
    : undefined;
}
bindContextPrimordials();

/** The SharedArrayBuffer constructor this context had when it was installed (undefined if none). */
export function capturedSharedArrayBuffer(): SharedArrayBufferConstructor | undefined {
  return SharedArrayBufferCtor;
}

export const Uint8ArrayCtor = Uint8Array;
export const Uint16ArrayCtor = Uint16Array;
export const Float32ArrayCtor = Float32Array;
export const Float64ArrayCtor = Float64Array;
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
type TA = Uint8Array;
export const TypedArrayPrototypeGetLength = uncurryThis(getter(TypedArrayPrototype, 'length') as (this: ArrayBufferView) => number);
export const TypedArrayPrototypeGetByteLength = uncurryThis(getter(TypedArrayPrototype, 'byteLength') as (this: ArrayBufferView) => number);
export const TypedArrayPrototypeGetByteOffset = uncurryThis(getter(TypedArrayPrototype, 'byteOffset') as (this: ArrayBufferView) => number);
export const TypedArrayPrototypeGetBuffer = uncurryThis(getter(TypedArrayPrototype, 'buffer') as (this: ArrayBufferView) => ArrayBufferLike);
export const TypedArrayPrototypeGetSymbolToStringTag = uncurryThis(
  getter(TypedArrayPrototype, Symbol.toStringTag) as (this: unknown) => string | undefined,
);
export const TypedArrayPrototypeSet = uncurryThis((TypedArrayPrototype as TA).set as (this: TA, src: ArrayLike<number>, offset?: number) => void);
export const TypedArrayPrototypeSubarray = uncurryThis((TypedArrayPrototype as TA).subarray as (this: TA, start?: number, end?: number) => TA);
export const TypedArrayPrototypeSlice = uncurryThis((TypedArrayPrototype as TA).slice as (this: TA, start?: number, end?: number) => TA);
export const TypedArrayPrototypeFill = uncurryThis((TypedArrayPrototype as TA).fill as (this: TA, v: number, start?: number, end?: number) => TA);
export const TypedArrayPrototypeIndexOf = uncurryThis((TypedArrayPrototype as TA).indexOf as (this: TA, v: number, from?: number) => number);
export const TypedArrayPrototypeLastIndexOf = uncurryThis((TypedArrayPrototype as TA).lastIndexOf as (this: TA, v: number, from?: number) => number);
const DataViewGetUint16 = uncurryThis(DataView.prototype.getUint16);
const DataViewPrototypeGetBuffer = uncurryThis(getter(DataView.prototype, 'buffer') as (this: DataView) => ArrayBufferLike);
const DataViewPrototypeGetByteOffset = uncurryThis(getter(DataView.prototype, 'byteOffset') as (this: DataView) => number);
const DataViewPrototypeGetByteLength = uncurryThis(getter(DataView.prototype, 'byteLength') as (this: DataView) => number);

/** buffer / byteOffset / byteLength of any ArrayBufferView (typed array or DataView). */
export function viewBuffer(view: ArrayBufferView): ArrayBufferLike {
  return isTypedArray(view) ? TypedArrayPrototypeGetBuffer(view) : DataViewPrototypeGetBuffer(view as DataView);
}
export function viewByteOffset(view: ArrayBufferView): number {
  return isTypedArray(view) ? TypedArrayPrototypeGetByteOffset(view) : DataViewPrototypeGetByteOffset(view as DataView);
}
export function viewByteLength(view: ArrayBufferView): number {
  return isTypedArray(view) ? TypedArrayPrototypeGetByteLength(view) : DataViewPrototypeGetByteLength(view as DataView);
}

/** True for a real (non-shared) ArrayBuffer; the internal-slot getter cannot be fooled by a fake. */
export function isArrayBuffer(value: unknown): value is ArrayBuffer {
  try {
    ArrayBufferPrototypeGetByteLength(value as ArrayBuffer);
    return true;
  } catch {
    return false;
  }
}

export function isSharedArrayBuffer(value: unknown): value is SharedArrayBuffer {
  if (sabByteLength === undefined) return false;
  try {
    sabByteLength(value as SharedArrayBuffer);
    return true;
  } catch {
    return false;
  }
}

export function isAnyArrayBuffer(value: unknown): value is ArrayBufferLike {
  return isArrayBuffer(value) || isSharedArrayBuffer(value);
}

export function isTypedArray(value: unknown): value is ArrayBufferView & ArrayLike<number> {
  return TypedArrayPrototypeGetSymbolToStringTag(value) !== undefined;
}

export function isUint8Array(value: unknown): value is Uint8Array {
  return TypedArrayPrototypeGetSymbolToStringTag(value) === 'Uint8Array';
}

export const IS_LITTLE_ENDIAN = DataViewGetUint16(new DataView(new Uint8Array([1, 0]).buffer), 0, true) === 1;

