import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileDigestOf, SynthesizedStack } from '../../src/review/synthesized-plan';

/** The paths a stack's filebase64() names come from the plan under review: an opponent writes them. */
describe('digests of the files a stack reads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'apim-mtls-digest-'));
  const stackDir = join(dir, 'stacks', 'app');
  mkdirSync(join(stackDir, 'assets'), { recursive: true });
  writeFileSync(join(stackDir, 'assets', 'partner.pfx'), 'pfx bytes');
  writeFileSync(join(dir, 'outside.txt'), 'not the stack\'s');
  const digest = fileDigestOf({ path: join(stackDir, 'cdk.tf.json') } as SynthesizedStack);

  test('an asset in the stack directory is digested', () => {
    expect(digest('assets/partner.pfx')).toMatch(/^[0-9A-F]{64}$/);
  });

  test('a path outside the stack directory, a device or a directory is never read', () => {
    expect(digest('../../outside.txt')).toBeUndefined();
    expect(digest(join(dir, 'outside.txt'))).toBeUndefined();
    expect(digest('/dev/zero')).toBeUndefined(); // reading it would never end
    expect(digest('assets')).toBeUndefined();
  });
});
