/**
 * Tokens remember when they were last used (to within a few minutes), so idle ones expire and a
 * user can tell their devices apart on the account page. Posts keep the excerpt cut at publish or
 * edit, so lists never carry or parse whole bodies.
 */
export default {
  version: 2,
  name: 'token last used, post excerpt',
  sql: `
    ALTER TABLE tokens ADD COLUMN last_used_at timestamptz;
    ALTER TABLE posts ADD COLUMN excerpt text;
  `,
};
