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
