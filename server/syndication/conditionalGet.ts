/**
 * RFC 9110 §13.2.2 for a GET on a feed: If-None-Match wins over If-Modified-Since. Express's
 * `req.fresh` would also refuse a 304 whenever the request says `Cache-Control: no-cache`, which
 * fetch() adds to every conditional request; that directive is for caches, not the origin server.
 */
export interface Validators {
  etag: string;
  /** HTTP date, second precision. */
  lastModified: string;
}

const weak = (tag: string): string => tag.trim().replace(/^W\//, '');

export function isNotModified(
  headers: { 'if-none-match'?: string | undefined; 'if-modified-since'?: string | undefined },
  validators: Validators,
): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() === '*') return true;
    const ours = weak(validators.etag);
    return ifNoneMatch.split(',').some((tag) => weak(tag) === ours);
  }
  const ifModifiedSince = headers['if-modified-since'];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && Date.parse(validators.lastModified) <= since;
}
