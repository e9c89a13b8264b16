import { z } from 'zod';

/** Every error over HTTP and WebSocket has this shape: a stable code, a sentence for people, details for programs. */
export const ErrorInfo = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export const ErrorBody = z.object({ error: ErrorInfo });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** One schema problem, with the dotted path of the field that caused it. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Turns zod issues into `field: message` pairs a person can act on. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldIssue[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const field = [prefix, path].filter(Boolean).join('.') || prefix || '(root)';
    return { field, message: issue.message };
  });
}

export function summariseIssues(issues: FieldIssue[]): string {
  const shown = issues.slice(0, 3).map((i) => `${i.field}: ${i.message}`);
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return shown.join('; ') + more;
}
