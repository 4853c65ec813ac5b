/**
 * The per-run recorder of an instrumented run (see engine/host/instrument.ts): the last value and
 * a count per site; which statements ran goes straight to memory shared with the host. Only the
 * wrapper's closure parameters hold it.
 *
 * Objects are encoded when they are recorded (a later mutation must not change what a line
 * showed); primitives are kept as they are and encoded once at the end, so a `//?` in a hot loop
 * costs a store and a count. Every site keeps one value, so memory is bounded by the site count
 * (the host instruments at most a bounded number of sites).
 */
import type { Encoded, GuestRecorder, Recorded, RecordedValue, RecordSizes } from '../common/guest-abi.ts';
import * as I from './intrinsics.ts';
import { serialize, VALUE_LIMITS } from './serialize.ts';

export interface RunRecorder {
  calls: GuestRecorder;
  /** Statement hits over the host's shared memory (see RecordSizes): the instrumented code writes them. */
  hits: Int32Array;
  take(): Recorded;
}

/** A value kept for a site: a raw primitive, an encoded object, or a console call's arguments (own fields only: `in` would consult prototypes user code may patch). */
type Kept = { t: 'encoded'; v: Encoded } | { t: 'raw'; v: unknown } | { t: 'args'; v: Kept[] };

/** Recording must never throw into user code (a revoked Proxy, say): what cannot be read says so. */
function safeSerialize(value: unknown): Encoded {
  try {
    return serialize(value, VALUE_LIMITS) as Encoded;
  } catch {
    return { $isolab: 'preview', className: 'value', text: '[value could not be read]' };
  }
}

const keep = (value: unknown): Kept => (value !== null && (typeof value === 'object' || typeof value === 'function') ? { t: 'encoded', v: safeSerialize(value) } : { t: 'raw', v: value });

function encode(kept: Kept): Encoded {
  if (kept.t === 'encoded') return kept.v;
  if (kept.t === 'raw') return safeSerialize(kept.v);
  const out: Encoded[] = [];
  for (let i = 0; i < kept.v.length; i++) I.ArrayPush(out, encode(kept.v[i]!));
  return out;
}

export function createRecorder(sizes: RecordSizes): RunRecorder {
  const counts = new I.Uint32ArrayCtor(sizes.sites);
  // Null-prototype: storing by index can never reach a setter user code put on a prototype.
  const last = I.ObjectCreate(null) as Record<number, Kept>;
  const hits = new I.Int32ArrayCtor(sizes.hits);
  const calls = I.ObjectCreate(null) as GuestRecorder;
  calls.v = (id, value) => {
    counts[id]!++;
    last[id] = keep(value);
    return value;
  };
  calls.l = (id, value) => {
    counts[id]!++;
    last[id] = { t: 'args', v: [keep(value)] };
    return value;
  };
  calls.m = (id, value) => {
    const line = last[id];
    if (line !== undefined && line.t === 'args') I.ArrayPush(line.v, keep(value));
    return value;
  };
  I.ObjectFreeze(calls);
  return {
    calls,
    hits,
    take() {
      const values: RecordedValue[] = [];
      for (let id = 0; id < sizes.sites; id++) if (counts[id]! > 0) I.ArrayPush(values, [id, counts[id]!, encode(last[id]!)]);
      return { values };
    },
  };
}
