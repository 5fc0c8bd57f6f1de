import { z } from 'zod';

/**
 * Where to go after signing in or subscribing: a path on this site, never another origin
 * (`//evil.example`, `/\evil.example` and absolute URLs fall back to the home page).
 */
export const LocalPathSchema = z
  .string()
  .max(500)
  .regex(/^\/(?![/\\])[^\s\\]*$/)
  .catch('/');
