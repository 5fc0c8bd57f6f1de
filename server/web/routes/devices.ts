/**
 * The account page's actions: sign one device out, or every device (this one included). Both
 * end the devices' live sockets at once (the accounts service pushes the revocation).
 */
import { Router } from 'express';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import type { PageRouteDependencies } from '../dependencies.js';
import { renderDevices } from '../pages/devices.js';
import { sendPage } from '../responses.js';
import { clearSessionCookie } from '../session.js';

const TokenIdSchema = z.string().min(1).max(100);

export function deviceRoutes({ accounts, visitors }: PageRouteDependencies): Router {
  const router = Router();

  router.get('/account', async (req, res) => {
    const session = visitors.signedIn(req, res);
    if (!session) return;
    const devices = await accounts.devicesOf(session);
    sendPage(res, renderDevices(visitors.of(req).context, devices, accounts.tokenIdleDays));
  });

  router.post('/account/devices/:tokenId/signout', async (req, res) => {
    const session = visitors.signedIn(req, res);
    if (!session) return;
    const parsed = TokenIdSchema.safeParse(req.params.tokenId);
    if (!parsed.success)
      throw new DomainError('not_found', 'That device is not signed in any more.');
    const tokenId = parsed.data;
    await accounts.signOutDevice(session, tokenId);
    if (tokenId === session.tokenId) {
      clearSessionCookie(req, res);
      res.redirect(303, '/');
      return;
    }
    res.redirect(303, '/account');
  });

  router.post('/account/signout-everywhere', async (req, res) => {
    const session = visitors.signedIn(req, res);
    if (!session) return;
    await accounts.signOutEverywhere(session);
    clearSessionCookie(req, res);
    res.redirect(303, '/');
  });

  return router;
}
