/** The page script: enhances what the server rendered. Every page works without it. */
import { startBell } from './bell.js';
import { enhanceLikeForm } from './likeButtons.js';

const bell = document.querySelector<HTMLElement>('[data-bell]');
if (bell) startBell(bell);

for (const form of document.querySelectorAll<HTMLFormElement>('form[data-like-form]')) {
  enhanceLikeForm(form);
}

for (const form of document.querySelectorAll<HTMLFormElement>('form[data-confirm]')) {
  form.addEventListener('submit', (event) => {
    if (!window.confirm(form.dataset.confirm ?? 'Are you sure?')) event.preventDefault();
  });
}
