import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { reviewChanges } from '../../../src';
import { SYNTH_WITHOUT_SECRETS } from '../../../src/certificates/synth-secrets';
import { changeLines } from './change-lines';
import { cli, synthesize } from '../support';
import { buildBase, PFX_PASSWORD, PFX_PASSWORD_ENV, STACK } from './base-stack';
import { Category, Head, HEADS, pfxFor } from './heads';

/*
 * The review as a pull-request gate, tried adversarially: one realistic base, and one head per
 * change made the way users and attackers make them. Each head states whether it weakens access
 * and which change the review must report.
 */

/** The generated certificates are valid around the real time: simulate then, the same moment for every head. */
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const NOW_ARG = `--now=${NOW.toISOString()}`;

function synth(head: Partial<Head> = {}): string {
  // A CI job without secrets says so; the library refuses a missing password otherwise.
  if (head.withoutPassword) process.env[SYNTH_WITHOUT_SECRETS] = '1';
  else process.env[PFX_PASSWORD_ENV] = PFX_PASSWORD;
  try {
    const dir = synthesize((app) => {
      const options = { ...head.options, ...(head.options?.inventoryPfx ? { inventoryPfx: pfxFor(head.options.inventoryPfx) } : {}) };
      const built = buildBase(app, options);
      head.change?.(built);
    });
    if (head.edit) {
      const stackDir = join(dir, 'stacks', STACK);
      const file = join(stackDir, 'cdk.tf.json');
      const json = JSON.parse(readFileSync(file, 'utf8'));
      head.edit(json, stackDir);
      writeFileSync(file, JSON.stringify(json, null, 2));
    }
    return dir;
  } finally {
    delete process.env[PFX_PASSWORD_ENV];
    delete process.env[SYNTH_WITHOUT_SECRETS];
  }
}

let base: string;
beforeAll(() => {
  base = synth();
}, 60000);

test('the suite has at least 30 heads covering every category of issue 10, each way of changing a plan, and harmless ones', () => {
  expect(HEADS.length).toBeGreaterThanOrEqual(30);
  expect(new Set(HEADS.map((head) => head.category))).toEqual(new Set(Object.values(Category)));
  expect(new Set(HEADS.map((head) => head.means)).size).toBe(5);
  expect(HEADS.filter((head) => !head.weakened).length).toBeGreaterThanOrEqual(8);
  expect(new Set(HEADS.map((head) => head.name)).size).toBe(HEADS.length);
});

test('the base compared with a copy of itself has no changes', () => {
  const copy = `${base}-copy`;
  cpSync(base, copy, { recursive: true });
  expect(cli('review', copy, '--base', base, '--fail-on', 'weakened', NOW_ARG)).toEqual({ code: 0, stdout: '# Client-certificate review: changes\n\nNo security-relevant changes.\n', stderr: '' });
});

describe.each(HEADS.map((head) => [`${head.weakened ? 'weakened' : 'not weakened'}: ${head.name} (${head.means})`, head] as const))('%s', (_, head) => {
  let dir: string;
  let command: ReturnType<typeof cli>;
  beforeAll(() => {
    dir = synth(head);
    command = cli('review', dir, '--base', base, '--fail-on', 'weakened', NOW_ARG);
  }, 60000);

  test(head.weakened ? '--fail-on weakened exits 1' : '--fail-on weakened exits 0', () => {
    expect(command.stderr).toBe('');
    expect(command.code).toBe(head.weakened ? 1 : 0);
  });

  test(head.expect === 'none' ? 'reports no change at all' : `reports ${head.expect}`, () => {
    const review = reviewChanges(dir, base, { now: NOW });
    expect(review.markdown).toBe(command.stdout);
    const lines = changeLines(review.changes!.flatMap((stack) => stack.changes));
    if (head.expect === 'none') expect(lines).toEqual([]);
    else expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(head.expect)]));
    if (!head.weakened) expect(lines.filter((line) => line.startsWith('weakened'))).toEqual([]);
  });
});

describe('through the installed binary (lib/, built by npm test)', () => {
  const script = resolve(__dirname, '../../../lib/cli/cdktf-apim-mtls.js');
  const pick = (name: string) => HEADS.find((head) => head.name === name)!;
  test.each([
    [pick('count = 0 on the policy of /partners'), 1],
    [pick('a CI synth without the PFX password'), 0],
    [pick("the PFX certificate's claimed thumbprint forged (file unchanged) and that thumbprint pinned"), 1],
  ])('%# exits as the in-process command does', (head, code) => {
    const dir = synth(head);
    const run = spawnSync(process.execPath, [script, 'review', dir, '--base', base, '--fail-on', 'weakened', NOW_ARG], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(code);
    expect(run.stdout).toBe(cli('review', dir, '--base', base, '--fail-on', 'weakened', NOW_ARG).stdout);
  });
});
