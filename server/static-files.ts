import path from 'node:path';
import express, { type NextFunction, type Response, type Router } from 'express';
import type { OriginPolicy } from './origin-policy.js';

export interface StaticPaths {
  /** Holds the built widget, video-call.js (and its source map). */
  widgetDir: string;
  /** Served at `/`: the demo page. */
  demoDir: string;
}

/**
 * The widget bundle for embedding pages, and the demo page. The bundle is open to every origin
 * while the API is; with an allowlist only the listed sites may load it, so that a site the
 * server would refuse fails at once, loading the script, instead of later, at joining.
 */
/** The widget's optional chunks (panel, languages, presence), which video-call.js imports on first use. */
const WIDGET_CHUNK = /^\/(video-call-[A-Za-z0-9_-]+\.js(?:\.map)?)$/;

export function createStaticRoutes({ widgetDir, demoDir }: StaticPaths, origins: OriginPolicy): Router {
  const router = express.Router();
  router.use(['/video-call.js', '/video-call.js.map', WIDGET_CHUNK], (req, res, next) => {
    // Other sites load this with <script type="module">, a CORS request, possibly under COEP.
    res.set('Cross-Origin-Resource-Policy', 'cross-origin');
    if (origins.isOpen) {
      res.set('Access-Control-Allow-Origin', '*');
    } else {
      res.vary('Origin');
      const allowed = origins.corsOrigin(req);
      if (allowed !== undefined) res.set('Access-Control-Allow-Origin', allowed);
    }
    next();
  });
  router.get(
    '/video-call.js',
    serveWidgetFile(widgetDir, 'video-call.js', 'text/javascript; charset=utf-8', (res) => {
      res
        .status(503)
        .type('text/plain')
        .send('The <video-call> widget is not built yet: run `npm run build` in the peercall package.\n');
    }),
  );
  router.get(
    '/video-call.js.map',
    serveWidgetFile(widgetDir, 'video-call.js.map', 'application/json; charset=utf-8', (_res, next) => next()),
  );
  router.get(WIDGET_CHUNK, (req, res, next) => {
    const file = WIDGET_CHUNK.exec(req.path)![1];
    const type = file.endsWith('.map') ? 'application/json; charset=utf-8' : 'text/javascript; charset=utf-8';
    // Chunk names carry a content hash, so a browser may keep them for good.
    res.set('Cache-Control', 'public, max-age=31536000, immutable');
    serveWidgetFile(widgetDir, file, type, (_res, next) => next())(req, res, next);
  });
  router.use(express.static(demoDir));
  return router;
}

function serveWidgetFile(
  dir: string,
  file: string,
  contentType: string,
  onMissing: (res: Response, next: NextFunction) => void,
): express.RequestHandler {
  const filePath = path.resolve(dir, file);
  return (_req, res, next) => {
    res.sendFile(
      filePath,
      { headers: { 'Content-Type': contentType } },
      (error?: NodeJS.ErrnoException) => {
        // Sent, or the download broke off midway: nothing is left to answer.
        if (!error || res.headersSent) return;
        if (error.code === 'ENOENT') onMissing(res, next);
        else next(error);
      },
    );
  };
}
