import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Response } from 'express';
import { sendError } from '../http/envelope.js';

/**
 * Where `make build` puts the page: `dist/console`. Found from this file both when the api runs
 * from source (services/api/console → repo root) and from the compiled image (dist/services/api/console → dist).
 */
function consoleAssetsDir(): string {
  const up = resolve(fileURLToPath(new URL('../../../', import.meta.url)));
  return basename(up) === 'dist' ? join(up, 'console') : join(up, 'dist', 'console');
}

/** Everything the page needs comes from here; nothing inline, nothing from elsewhere. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function secure(res: Response): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

/**
 * The operator console: static files read from disk on request (a read-only file system is
 * enough). Every URL the page uses is relative, so it works under any path prefix.
 */
export function consoleRoutes(dir = consoleAssetsDir()): Router {
  const router = Router({ strict: true });
  const index = join(dir, 'index.html');
  router.get('/', (req, res, next) => {
    // `/console` → `console/`: relative, so that a proxy's path prefix survives the redirect.
    if (!req.originalUrl.split('?')[0]?.endsWith('/')) {
      res.redirect(308, `${basename(req.baseUrl)}/`);
      return;
    }
    secure(res);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index, (err) => {
      if (!err) return;
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !res.headersSent) {
        sendError(res, 'ROUTE_NOT_FOUND', 'the console is not built: run make build');
        return;
      }
      next(err);
    });
  });
  router.use(
    express.static(dir, {
      index: false,
      fallthrough: true,
      redirect: false,
      // Names are stable across builds, so browsers revalidate (cheap: ETag) instead of caching blindly.
      cacheControl: true,
      maxAge: 0,
      setHeaders: secure,
    }),
  );
  return router;
}
