/**
 * A failed parse in one line, for every place that answers a request, a settings file or a frame
 * that does not fit its schema: "timeoutMs: Too small: expected number to be >=1; code: Invalid
 * input: expected string, received number". (zod's own `z.prettifyError` writes several lines,
 * which suits a terminal but not a one-line API error.)
 */
import type * as z from 'zod';

export interface ValidationMessageOptions {
  /**
   * What to call the value itself when an issue has no path (it is the wrong type as a whole),
   * e.g. 'payload'. Without it, such an issue is just its message.
   */
  whole?: string;
  /** List at most this many issues (default 5) and count the rest. */
  max?: number;
}

export function validationMessage(error: { readonly issues: readonly z.core.$ZodIssue[] }, options: ValidationMessageOptions = {}): string {
  const { whole, max = 5 } = options;
  const parts = error.issues.slice(0, max).map((issue) => {
    // Symbol keys cannot be joined as they are.
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : whole;
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  const more = error.issues.length - max;
  if (more > 0) parts.push(`${more} more`);
  return parts.join('; ');
}

/**
 * The message of a strict object's `unrecognized_keys` issue: the fields it does not know, each
 * with the declared field it most likely meant (`timeoutMS` → `timeoutMs`). Used as the error map
 * of the contract's strict objects (contract.ts `strictObject`); other issues keep zod's message.
 */
export function unknownFieldsError(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== 'unrecognized_keys') return undefined;
  const shape = (issue.inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape ?? {};
  const known = Object.keys(shape);
  const fields = issue.keys.map((key) => {
    const meant = closest(key, known);
    return meant ? `"${key}" (did you mean "${meant}"?)` : `"${key}"`;
  });
  return `unknown field${fields.length > 1 ? 's' : ''} ${fields.join(', ')}`;
}

/** The known name nearest to `key` within two edits (case ignored), if any. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of known) {
    const d = editDistance(key.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}
