import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file below `dir`, depth first; links are listed, not followed. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return lstatSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
