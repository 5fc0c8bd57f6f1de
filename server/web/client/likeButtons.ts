/**
 * Liking without a reload: the like form is a plain form that works without scripts; here it is
 * submitted with fetch (same fields, CSRF token included) and the button and count update in place.
 */
interface LikeResult {
  liked: boolean;
  likeCount: number;
}

const likesLabel = (count: number): string => `${count} ${count === 1 ? 'like' : 'likes'}`;

function isLikeResult(value: unknown): value is LikeResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<LikeResult>).liked === 'boolean' &&
    typeof (value as Partial<LikeResult>).likeCount === 'number'
  );
}

function errorMessageOf(value: unknown): string {
  const error = (value as { error?: { message?: unknown } } | null)?.error;
  return typeof error?.message === 'string' ? error.message : 'That did not work; please reload.';
}

export function enhanceLikeForm(form: HTMLFormElement): void {
  const button = form.querySelector<HTMLButtonElement>('[data-like-button]');
  const action = form.querySelector<HTMLInputElement>('[data-like-action]');
  const postId = form.dataset.postId;
  if (!button || !action || !postId) return;
  const status = document.createElement('span');
  status.className = 'form-status';
  status.setAttribute('role', 'status');
  form.append(status);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (typeof value === 'string') body.append(key, value);
    }
    button.disabled = true;
    status.textContent = '';
    // Not form.action: the hidden input named "action" shadows that property.
    fetch(form.getAttribute('action') ?? '', {
      method: 'POST',
      body,
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    })
      .then(async (response) => {
        const payload: unknown = await response.json().catch(() => null);
        if (!response.ok || !isLikeResult(payload)) throw new Error(errorMessageOf(payload));
        action.value = payload.liked ? 'unlike' : 'like';
        button.textContent = payload.liked ? 'Unlike' : 'Like';
        button.setAttribute('aria-pressed', String(payload.liked));
        button.classList.toggle('is-on', payload.liked);
        for (const count of document.querySelectorAll<HTMLElement>('[data-like-count]')) {
          if (count.dataset.likeCount === postId) count.textContent = likesLabel(payload.likeCount);
        }
      })
      .catch((error: unknown) => {
        status.textContent =
          error instanceof TypeError
            ? 'Could not reach the server.'
            : error instanceof Error
              ? error.message
              : String(error);
      })
      .finally(() => {
        button.disabled = false;
      });
  });
}
