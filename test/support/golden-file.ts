import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Compares `content` with `<testDir>/__snapshots__/<file>`, a plain file that reads well in
 * review. A missing file is written, except on CI; `jest -u` rewrites changed ones.
 */
export function expectGoldenFile(testDir: string, file: string, content: string): void {
  const path = join(testDir, '__snapshots__', file);
  const state = expect.getState().snapshotState as unknown as { _updateSnapshot: 'all' | 'new' | 'none' };
  const update = state._updateSnapshot;
  if (!existsSync(path) || update === 'all') {
    if (update === 'none' && !existsSync(path)) {
      throw new Error(`Golden file ${path} is missing and golden files are not written on CI. Run the tests locally and commit it.`);
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    return;
  }
  expect(content).toBe(readFileSync(path, 'utf8'));
}
