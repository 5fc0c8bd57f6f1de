/**
 * Tokens remember when they were last used (to within a few minutes), so idle ones expire and a
 * user can tell their devices apart on the account page.
 */
export default {
  version: 2,
  name: 'token last used',
  sql: `
    ALTER TABLE tokens ADD COLUMN last_used_at timestamptz;
  `,
};
