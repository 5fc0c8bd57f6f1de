/**
 * Posts keep the plain-text excerpt cut when they were published or last edited, so post lists
 * and the home page never parse bodies (issue 10). Posts from before have none (NULL) until
 * their next edit; the posts service cuts theirs once per version and remembers it.
 */
export default {
  version: 3,
  name: 'post excerpt',
  sql: `
    ALTER TABLE posts ADD COLUMN excerpt text;
  `,
};
