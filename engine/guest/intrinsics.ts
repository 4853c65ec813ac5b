/**
 * The engine's own view of the builtins captured in primordials.ts (before any user code runs),
 * plus the few more the serializer, console and timers need. The engine's guest code uses these,
 * never the live globals, so a user who patches `JSON.stringify`, `Array.prototype.push` or
 * `Function.prototype.call` changes only what their own code sees.
 */
import {
  uncurryThis,
  ReflectApply,
  ObjectCreate,
  ObjectDefineProperty,
  ObjectFreeze,
  ObjectGetPrototypeOf,
  ObjectGetOwnPropertyDescriptor,
  ObjectIs,
  ArrayIsArray,
  JSONStringify,
  StringCtor as StringFn,
  NumberIsInteger,
  MathMin,
  MathMax,
  MathTrunc,
  ArrayBufferIsView,
  TypedArrayPrototypeGetLength as TypedArrayLength,
  TypedArrayPrototypeGetBuffer as TypedArrayBuffer,
  TypedArrayPrototypeGetByteOffset as TypedArrayByteOffset,
  TypedArrayPrototypeGetByteLength as TypedArrayByteLength,
  TypedArrayPrototypeGetSymbolToStringTag as TypedArrayToStringTag,
  StringFromCharCode,
  ErrorCtor,
  TypeErrorCtor,
  RangeErrorCtor,
  StringPrototypeSlice as StringSlice,
  StringPrototypeStartsWith as StringStartsWith,
  StringPrototypeIncludes as StringIncludes,
  StringPrototypeToLowerCase as StringToLowerCase,
  StringPrototypeRepeat as StringRepeat,
} from './primordials.ts';

export {
  ReflectApply,
  ObjectCreate,
  ObjectDefineProperty,
  ObjectFreeze,
  ObjectGetPrototypeOf,
  ObjectGetOwnPropertyDescriptor,
  ObjectIs,
  ArrayIsArray,
  JSONStringify,
  StringFn,
  NumberIsInteger,
  MathMin,
  MathMax,
  MathTrunc,
  ArrayBufferIsView,
  TypedArrayLength,
  TypedArrayBuffer,
  TypedArrayByteOffset,
  TypedArrayByteLength,
  TypedArrayToStringTag,
  StringFromCharCode,
  ErrorCtor,
  TypeErrorCtor,
  RangeErrorCtor,
  StringSlice,
  StringStartsWith,
  StringIncludes,
  StringToLowerCase,
  StringRepeat,
};

const uncurry = uncurryThis as <T, A extends unknown[], R>(fn: (this: T, ...args: A) => R) => (self: T, ...args: A) => R;

export const ObjectGetOwnPropertyNames = Object.getOwnPropertyNames;
export const ObjectPrototype = Object.prototype;
export const ObjectToString = uncurry(Object.prototype.toString as (this: unknown) => string);
export const ArrayPush = uncurry(Array.prototype.push as (this: unknown[], ...items: unknown[]) => number);
export const ArrayJoin = uncurry(Array.prototype.join as (this: unknown[], sep?: string) => string);
export const JSONParse = JSON.parse;
export const DateNow = Date.now;
export const DatePrototype = Date.prototype;
export const DateGetTime = uncurry(Date.prototype.getTime);
export const DateToISOString = uncurry(Date.prototype.toISOString);
export const RegExpPrototype = RegExp.prototype;
export const RegExpSource = uncurry(ObjectGetOwnPropertyDescriptor(RegExp.prototype, 'source')!.get as (this: RegExp) => string);
export const RegExpFlags = uncurry(ObjectGetOwnPropertyDescriptor(RegExp.prototype, 'flags')!.get as (this: RegExp) => string);
export const MapPrototype = Map.prototype;
export const MapSize = uncurry(ObjectGetOwnPropertyDescriptor(Map.prototype, 'size')!.get as (this: Map<unknown, unknown>) => number);
export const MapEntries = uncurry(Map.prototype.entries as (this: Map<unknown, unknown>) => IterableIterator<[unknown, unknown]>);
export const SetPrototype = Set.prototype;
export const SetSize = uncurry(ObjectGetOwnPropertyDescriptor(Set.prototype, 'size')!.get as (this: Set<unknown>) => number);
export const SetValues = uncurry(Set.prototype.values as (this: Set<unknown>) => IterableIterator<unknown>);
export const MapIteratorNext = uncurry(ObjectGetPrototypeOf(new Map().entries()).next as (this: Iterator<unknown>) => IteratorResult<unknown>);
export const SetIteratorNext = uncurry(ObjectGetPrototypeOf(new Set().values()).next as (this: Iterator<unknown>) => IteratorResult<unknown>);
export const FunctionToString = uncurry(Function.prototype.toString as (this: Function) => string);
export const ErrorPrototype = Error.prototype;
export const PromisePrototype = Promise.prototype;
export const PromiseCtor = Promise;
export const PromiseThen = uncurry(Promise.prototype.then as (this: Promise<unknown>, ok?: (v: unknown) => unknown, err?: (e: unknown) => unknown) => Promise<unknown>);
export const ArrayBufferPrototype = ArrayBuffer.prototype;
export const ArrayBufferByteLength = uncurry(ObjectGetOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get as (this: ArrayBuffer) => number);
export const TypedArrayPrototype = ObjectGetPrototypeOf(Uint8Array.prototype) as object;
export const DataViewPrototype = DataView.prototype;
export const DataViewByteLength = uncurry(ObjectGetOwnPropertyDescriptor(DataView.prototype, 'byteLength')!.get as (this: DataView) => number);
export const DataViewBuffer = uncurry(ObjectGetOwnPropertyDescriptor(DataView.prototype, 'buffer')!.get as (this: DataView) => ArrayBuffer);
export const DataViewByteOffset = uncurry(ObjectGetOwnPropertyDescriptor(DataView.prototype, 'byteOffset')!.get as (this: DataView) => number);
export const Uint8ArrayCtor = Uint8Array;
export const Uint32ArrayCtor = Uint32Array;
export const Int32ArrayCtor = Int32Array;
export const SymbolDescription = uncurry(ObjectGetOwnPropertyDescriptor(Symbol.prototype, 'description')!.get as (this: symbol) => string | undefined);
export const WeakMapPrototype = WeakMap.prototype;
export const WeakSetPrototype = WeakSet.prototype;
export const WeakRefPrototype = typeof WeakRef === 'function' ? WeakRef.prototype : undefined;
export const SetCtor = Set;
export const MapCtor = Map;
export const SetAdd = uncurry(Set.prototype.add as (this: Set<unknown>, v: unknown) => Set<unknown>);
export const SetDelete = uncurry(Set.prototype.delete as (this: Set<unknown>, v: unknown) => boolean);
export const SetHas = uncurry(Set.prototype.has as (this: Set<unknown>, v: unknown) => boolean);
export const MapGet = uncurry(Map.prototype.get as (this: Map<unknown, unknown>, k: unknown) => unknown);
export const MapSet = uncurry(Map.prototype.set as (this: Map<unknown, unknown>, k: unknown, v: unknown) => Map<unknown, unknown>);
export const MapDelete = uncurry(Map.prototype.delete as (this: Map<unknown, unknown>, k: unknown) => boolean);
export const MapHas = uncurry(Map.prototype.has as (this: Map<unknown, unknown>, k: unknown) => boolean);
export const MapClear = uncurry(Map.prototype.clear as (this: Map<unknown, unknown>) => void);
export const StringSplit = uncurry(String.prototype.split as (this: string, sep: string) => string[]);
export const GeneratorFunctionPrototype = ObjectGetPrototypeOf(function* () {}) as object;
export const AsyncFunctionPrototype = ObjectGetPrototypeOf(async function () {}) as object;
export const AsyncGeneratorFunctionPrototype = ObjectGetPrototypeOf(async function* () {}) as object;

/** `proto.constructor.name`, read through descriptors only (no getters run). */
export function className(value: object): string | null {
  let proto: object | null;
  try {
    proto = ObjectGetPrototypeOf(value) as object | null;
  } catch {
    return 'Object';
  }
  if (proto === null) return null;
  const ctor = ObjectGetOwnPropertyDescriptor(proto, 'constructor');
  const fn = ctor && 'value' in ctor ? ctor.value : undefined;
  if (typeof fn !== 'function') return 'Object';
  const name = ObjectGetOwnPropertyDescriptor(fn, 'name');
  return name && typeof name.value === 'string' && name.value !== '' ? name.value : 'Object';
}

export function hasProto(value: object, proto: object | undefined): boolean {
  if (proto === undefined) return false;
  let p: object | null = value;
  for (let i = 0; i < 100 && p !== null; i++) {
    try {
      p = ObjectGetPrototypeOf(p) as object | null;
    } catch {
      return false;
    }
    if (p === proto) return true;
  }
  return false;
}
