/**
 * Turns a schema failure into one readable message per form field, for the inline errors. The
 * schemas are the contract's; only the wording is the web's.
 */
import type { z } from 'zod';
import type { FieldErrors } from './pages/forms.js';

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      return Number(issue.minimum) <= 1
        ? 'This field is required.'
        : `Use at least ${String(issue.minimum)} characters.`;
    case 'too_big':
      return `Use at most ${String(issue.maximum)} characters.`;
    case 'invalid_type':
      return 'This field is required.';
    default: {
      const message = issue.message;
      return (
        message.charAt(0).toUpperCase() + message.slice(1) + (message.endsWith('.') ? '' : '.')
      );
    }
  }
}

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = typeof issue.path[0] === 'string' ? issue.path[0] : 'form';
    errors[key] ??= describe(issue);
  }
  return errors;
}
