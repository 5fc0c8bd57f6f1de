/**
 * The blog's own feeds, Atom 1.0 and JSON Feed 1.1, with conditional GET: a strong ETag over the
 * bytes and Last-Modified from the newest post, so a polite reader's poll costs a 304 and no body.
 * They are the same for every visitor, so they need no session and may be cached by proxies.
 */
import { Router, type Request, type Response } from 'express';
import { atomXml } from '../../syndication/atom.js';
import { blogFeedOf, entityTagOf, FEED_PATHS, FEED_POSTS } from '../../syndication/blogFeed.js';
import { isNotModified } from '../../syndication/conditionalGet.js';
import { jsonFeedText } from '../../syndication/jsonFeed.js';
import type { WebDependencies } from '../dependencies.js';

const CONTENT_TYPES = {
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
} as const;

export function feedRoutes({ posts, publicUrl }: WebDependencies): Router {
  const router = Router();

  async function serveFeed(req: Request, res: Response, format: 'atom' | 'json'): Promise<void> {
    const feed = blogFeedOf(publicUrl, await posts.newestInFull(FEED_POSTS));
    const body = format === 'atom' ? atomXml(feed) : jsonFeedText(feed);
    const validators = {
      etag: entityTagOf(body),
      lastModified: new Date(feed.updated).toUTCString(),
    };
    res.set({
      'Content-Type': CONTENT_TYPES[format],
      ETag: validators.etag,
      'Last-Modified': validators.lastModified,
      'Cache-Control': 'public, max-age=300',
    });
    if (isNotModified(req.headers, validators)) {
      res.status(304).end();
      return;
    }
    res.send(body);
  }

  router.get(FEED_PATHS.atom, (req, res) => serveFeed(req, res, 'atom'));
  router.get(FEED_PATHS.json, (req, res) => serveFeed(req, res, 'json'));
  return router;
}
