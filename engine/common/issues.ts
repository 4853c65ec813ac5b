/** One wording for validation failures: "path: problem; path: problem" (at most five). */
import type * as z from 'zod';

export function describeIssues(error: z.ZodError, root = 'request'): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : root}: ${issue.message}`)
    .join('; ');
}
