/** Writing a new post and editing one: the same form, different action. */
import { LIMITS, postPagePath } from '../../../contract/wire.js';
import { html } from '../html.js';
import { field, formError, type FieldErrors } from './forms.js';
import { csrfField, renderPage, type PageContext } from './layout.js';

export interface ComposeState {
  /** Set when editing an existing post. */
  postId?: string;
  title?: string;
  body?: string;
  errors?: FieldErrors;
}

export function renderCompose(context: PageContext, state: ComposeState = {}): string {
  const errors = state.errors ?? {};
  const editing = state.postId !== undefined;
  const action = editing ? `${postPagePath(state.postId ?? '')}/edit` : '/compose';
  const main = html`<section>
    <h1>${editing ? 'Edit post' : 'Write a post'}</h1>
    ${formError(errors)}
    <form method="post" action="${action}" class="stack" novalidate>
      ${csrfField(context)}
      ${field(
        {
          name: 'title',
          label: 'Title',
          value: state.title,
          required: true,
          maxLength: LIMITS.titleMax,
        },
        errors,
      )}
      ${field(
        {
          name: 'body',
          label: 'Body',
          type: 'textarea',
          value: state.body,
          required: true,
          maxLength: LIMITS.bodyMax,
          hint: 'Markdown: **bold**, _italic_, [links](https://example.com), lists, `code`. HTML is shown as text.',
        },
        errors,
      )}
      <div class="form-actions">
        <button type="submit" class="button">${editing ? 'Save changes' : 'Publish'}</button>
        ${editing && html`<a href="${postPagePath(state.postId ?? '')}">Cancel</a>`}
      </div>
    </form>
  </section>`;
  return renderPage(context, { title: editing ? 'Edit post' : 'Write a post', main });
}
