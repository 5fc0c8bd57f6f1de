/** The inbox window's entry point: connects the UI to `window.tidings` and nothing else. */
import { createApp } from './app.js';
import { el, replaceChildren } from './elements.js';

const root = document.getElementById('app');
const api = window.tidings;

function showFatal(message: string): void {
  if (!root) return;
  replaceChildren(
    root,
    el(
      'main',
      { class: 'screen fatal', role: 'alert' },
      el('h1', {}, 'Tidings'),
      el('p', {}, message),
    ),
  );
}

if (root && api) {
  const app = createApp(root, api);
  api.onSnapshot((snapshot) => app.update(snapshot));
  // A push may already have arrived; it is newer than this answer, so it wins.
  api.getSnapshot().then(
    (snapshot) => {
      if (!app.hasSnapshot) app.update(snapshot);
    },
    () => {
      if (!app.hasSnapshot)
        showFatal('The app did not answer. Close this window and open it again.');
    },
  );
} else {
  showFatal('This window only works inside the Tidings app.');
}
