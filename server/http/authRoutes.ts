/**
 * Sign-up, sign-in (one revocable token per device), sign-out, the caller's profile and roles, and
 * an admin's "sign this user out everywhere".
 */
import { Router } from 'express';
import {
  API,
  LoginRequestSchema,
  RegisterRequestSchema,
  RolesRequestSchema,
  UsernameSchema,
  type RegisterResponse,
  type RevokeTokensResponse,
} from '../../contract/wire.js';
import { routeOf, type RouteDependencies } from './routes.js';
import { parseWith } from './validation.js';

export function authRoutes({ accounts, sessions, rateLimits }: RouteDependencies): Router {
  const router = Router();

  router.post(API.register, async (req, res) => {
    await rateLimits.register(req.ip ?? 'unknown');
    const input = parseWith(RegisterRequestSchema, req.body, '{username, password}');
    const user = await accounts.register(input);
    const body: RegisterResponse = { user: await accounts.toPublicUser(user) };
    res.status(201).json(body);
  });

  router.post(API.login, async (req, res) => {
    const input = parseWith(LoginRequestSchema, req.body, '{username, password, device?}');
    await rateLimits.login(req.ip ?? 'unknown', input.username);
    res.json(await accounts.login(input));
  });

  router.post(API.logout, async (req, res) => {
    await accounts.logout(await sessions.requireSession(req));
    res.status(204).end();
  });

  router.get(API.me, async (req, res) => {
    const { user } = await sessions.requireSession(req);
    res.json(await accounts.toPublicUser(user));
  });

  router.put(routeOf(API.userRoles, 'username'), async (req, res) => {
    const { user } = await sessions.requireSession(req);
    const username = parseWith(UsernameSchema, req.params.username, 'a username');
    const { author } = parseWith(RolesRequestSchema, req.body, '{author}');
    res.json(await accounts.toPublicUser(await accounts.setAuthor(user, username, author)));
  });

  router.delete(routeOf(API.userTokens, 'username'), async (req, res) => {
    const { user } = await sessions.requireSession(req);
    const username = parseWith(UsernameSchema, req.params.username, 'a username');
    const revoked = await accounts.revokeTokensOf(user, username);
    const body: RevokeTokensResponse = { revoked };
    res.json(body);
  });

  return router;
}
