/**
 * A debugger value (a CDP RemoteObject) in the IDE's own value encoding, so the console, Scopes,
 * Watch and hovers show it with the same renderer as a run's result. Objects become a one-line
 * preview (DevTools' description); their properties are fetched only when expanded.
 */
import type { Encoded } from '../../../../engine/common/value.ts';
import type { RemoteObject } from './debugger.ts';

export function toEncoded(object: RemoteObject): Encoded {
  switch (object.type) {
    case 'undefined':
      return { $isolab: 'undefined' };
    case 'string':
    case 'boolean':
      return object.value as string | boolean;
    case 'number':
      if (object.unserializableValue) return { $isolab: 'number', value: object.unserializableValue as 'NaN' };
      return object.value as number;
    case 'bigint':
      return { $isolab: 'bigint', value: (object.unserializableValue ?? String(object.description ?? '')).replace(/n$/, '') };
    case 'symbol':
      return { $isolab: 'symbol', description: object.description?.replace(/^Symbol\((.*)\)$/, '$1') ?? null };
    case 'function':
      return { $isolab: 'function', name: /^(?:async\s+)?(?:function\*?\s*)?([\w$]*)/.exec(object.description ?? '')?.[1] ?? '', kind: 'function' };
    default:
      if (object.subtype === 'null') return null;
      return { $isolab: 'preview', className: object.className ?? 'Object', text: object.description ?? object.className ?? 'Object' };
  }
}

/** Whether expanding it can show more (objects and functions have properties). */
export function expandable(object: RemoteObject): boolean {
  return !!object.objectId && object.subtype !== 'null';
}

/** The value as one line of console text. */
export function describe(object: RemoteObject): string {
  if (object.type === 'string') return JSON.stringify(object.value);
  if (object.type === 'undefined') return 'undefined';
  return object.description ?? object.unserializableValue ?? String(object.value);
}
