/**
 * Why a fetched body is not a feed we can use; `message` is what the admin page shows. Here, apart
 * from the parsers (feedDocument.ts), so naming it does not load them.
 */
export class FeedParseError extends Error {
  override readonly name = 'FeedParseError';
}
