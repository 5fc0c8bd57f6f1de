/** Pages for requests that cannot be served: not found, refused, failed. Never a stack trace. */
import { html } from '../html.js';
import { renderPage, type PageContext } from './layout.js';

export function renderProblem(
  context: PageContext,
  problem: { title: string; message: string },
): string {
  const main = html`<section class="narrow problem">
    <h1>${problem.title}</h1>
    <p>${problem.message}</p>
    <p><a href="/">Back to the latest posts</a></p>
  </section>`;
  return renderPage(context, { title: problem.title, main });
}

export const renderNotFound = (context: PageContext): string =>
  renderProblem(context, {
    title: 'Not found',
    message: 'There is no page here. The post may have been deleted, or the link is mistyped.',
  });
