/**
 * Text from a stranger's feed, made into plain text for a title or a name: tags dropped, entities
 * decoded, control and bidirectional-override characters removed (they can make a title read
 * backwards or hide text), whitespace collapsed, length bounded. The result is still only ever
 * inserted as text.
 */
import { decodeHTML } from 'entities';
import sanitizeHtml from 'sanitize-html';

// eslint-disable-next-line no-control-regex -- removing these characters is the point
const CONTROLS = /[\u0000-\u001F\u007F-\u009F]/g;
const BIDI_AND_INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

export function plainText(raw: string, maxLength: number): string {
  // sanitize-html with no tags allowed keeps only text (escaped); decoding gives the characters.
  const text = decodeHTML(sanitizeHtml(raw, { allowedTags: [], allowedAttributes: {} }))
    .replace(CONTROLS, ' ')
    .replace(BIDI_AND_INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > maxLength ? `${text.slice(0, maxLength - 1).trimEnd()}…` : text;
}
