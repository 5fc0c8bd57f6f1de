/**
 * Form fields with their errors inline. A failed submission re-renders the form with the user's
 * text kept and each message next to its field (aria-describedby ties them together).
 */
import { html, type SafeHtml } from '../html.js';

/** Messages keyed by field name; `form` holds errors that belong to no single field. */
export type FieldErrors = Partial<Record<string, string>>;

export interface FieldSpec {
  name: string;
  /** The element id, when two forms on a page have a field of the same name. */
  id?: string;
  label: string;
  type?: 'text' | 'password' | 'textarea';
  value?: string;
  autocomplete?: string;
  required?: boolean;
  maxLength?: number;
  hint?: string;
}

export function field(spec: FieldSpec, errors: FieldErrors): SafeHtml {
  const id = `field-${spec.id ?? spec.name}`;
  const error = errors[spec.name];
  const describedBy =
    [error ? `${id}-error` : '', spec.hint ? `${id}-hint` : ''].filter(Boolean).join(' ') ||
    undefined;
  const control =
    spec.type === 'textarea'
      ? html`<textarea
          id="${id}"
          name="${spec.name}"
          rows="14"
          ${spec.required && html`required`}
          ${spec.maxLength !== undefined && html`maxlength="${spec.maxLength}"`}
          ${error && html`aria-invalid="true"`}
          ${describedBy && html`aria-describedby="${describedBy}"`}
        >
${spec.value ?? ''}</textarea>`
      : html`<input
          id="${id}"
          name="${spec.name}"
          type="${spec.type ?? 'text'}"
          value="${spec.value ?? ''}"
          ${spec.autocomplete && html`autocomplete="${spec.autocomplete}"`}
          ${spec.required && html`required`}
          ${spec.maxLength !== undefined && html`maxlength="${spec.maxLength}"`}
          ${error && html`aria-invalid="true"`}
          ${describedBy && html`aria-describedby="${describedBy}"`}
        />`;
  return html`<div class="field ${error ? 'has-error' : ''}">
    <label for="${id}">${spec.label}</label>
    ${control} ${spec.hint && html`<p class="hint" id="${id}-hint">${spec.hint}</p>`}
    ${error && html`<p class="field-error" id="${id}-error" data-error-for="${spec.name}">${error}</p>`}
  </div>`;
}

export function formError(errors: FieldErrors): SafeHtml {
  const message = errors['form'];
  return html`${message && html`<p class="form-error" role="alert" data-error-for="form">${message}</p>`}`;
}
