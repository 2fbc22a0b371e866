import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { static as serveStatic } from 'express';

/**
 * The web app (apps/web) as the API serves it: its Vite build at `/`, any other page path answered with
 * its index.html (the app routes in the browser). The API keeps /api/v1, /docs, /health and /metrics.
 * `npm start` builds it first when the build is missing or older than its sources (ensureWebBuild).
 */
const ROOT = join(__dirname, '..', '..', '..');
const SOURCES = join(ROOT, 'apps', 'web');
export const WEB_DIST = join(ROOT, 'dist', 'apps', 'web');
const STAMP = '.sources.sha256';
const NOT_PAGES = /^\/(api|docs|health|metrics)(\/|$|-)/;

/** A hash of what the build is made of: the web app's sources and config (not its tests) and the lock file. */
const sourcesHash = (): string => {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!['e2e', 'node_modules'].includes(entry.name)) walk(path);
      } else if (!/\.spec\.tsx?$/.test(entry.name)) hash.update(relative(ROOT, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  walk(SOURCES);
  hash.update(readFileSync(join(ROOT, 'package-lock.json')));
  return hash.digest('hex');
};

/** Whether the build in dist/ was made from the current sources (their hash). */
const webBuildIsFresh = (hash: string): boolean => {
  try {
    return readFileSync(join(WEB_DIST, STAMP), 'utf8') === hash;
  } catch {
    return false;
  }
};

/**
 * Builds the web app when its build is missing or stale (vite build in a child process, so it runs
 * beside the database's start), into a fresh folder swapped in when complete: a server already
 * serving the old build never sees half a build. Resolves to what it did.
 */
export const ensureWebBuild = async (log: (line: string) => void = () => undefined): Promise<'fresh' | 'built' | 'no-sources'> => {
  if (!existsSync(join(SOURCES, 'index.html'))) return 'no-sources';
  const hash = sourcesHash();
  if (webBuildIsFresh(hash)) return 'fresh';
  const started = performance.now();
  const out = `${WEB_DIST}.build-${process.pid}`;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(SOURCES, 'vite.config.mts'), '--outDir', out, '--logLevel', 'warn'],
      // Always a production build (React's own, minified), whatever NODE_ENV the server runs under (Jest sets test).
      { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`web app build failed (vite exit ${code})`))));
  });
  writeFileSync(join(out, STAMP), hash);
  rmSync(WEB_DIST, { recursive: true, force: true });
  renameSync(out, WEB_DIST);
  log(`  web app built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return 'built';
};

/** Serves the built web app at / (assets cached for a year: their names carry their hash), pages falling back to index.html. */
export const serveWeb = (app: INestApplication) => {
  const assets = serveStatic(WEB_DIST, { index: false, immutable: true, maxAge: '365d' });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_PAGES.test(req.path)) return next();
    if (req.path.startsWith('/assets/')) return assets(req, res, next);
    const index = join(WEB_DIST, 'index.html');
    if (!req.accepts('html') || !existsSync(index)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(readFileSync(index));
  });
};
