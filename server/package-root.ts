import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'peercall';

/**
 * The directory of peercall's own package.json, found by walking up from this module, so
 * that dist/ and demo/ are found both from server/*.ts (tsx) and from dist/node/server/*.js.
 */
export function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (isPeercallManifest(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json named "${PACKAGE_NAME}" above ${import.meta.url}`);
    dir = parent;
  }
}

function isPeercallManifest(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}
