/**
 * Renders a post's Markdown body. Raw HTML is off, so `<script>` in a body is shown as text;
 * markdown-it's own link validator refuses javascript:, vbscript:, file: and non-image data: URLs.
 * Links leave with rel="nofollow ugc noopener noreferrer": they are written by users.
 */
import MarkdownIt from 'markdown-it';
import { SafeHtml } from './html.js';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

const defaultLinkOpen =
  markdown.renderer.rules.link_open ??
  ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));

markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
  tokens[index]?.attrSet('rel', 'nofollow ugc noopener noreferrer');
  return defaultLinkOpen(tokens, index, options, env, self);
};

export function renderMarkdown(source: string): SafeHtml {
  return new SafeHtml(markdown.render(source));
}
