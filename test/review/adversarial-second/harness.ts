import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccessChange, reviewChanges } from '../../../src';
import { SYNTH_WITHOUT_SECRETS } from '../../../src/certificates/synth-secrets';
import { changeLines } from '../adversarial/change-lines';
import { Base, BaseOptions, buildBase, PFX_PASSWORD, PFX_PASSWORD_ENV, STACK } from '../adversarial/base-stack';
import { pfxFor } from '../adversarial/heads';
import { cli, synthesize } from '../support';

/*
 * The second opponent's harness. It reuses the first suite's realistic base (two services,
 * thumbprint, Key Vault, PFX and CA trust, a product, a global and an operation policy) and
 * runs each attempt as a pull request through the real command: the head is the base with one
 * change, compared with `--base` and `--fail-on weakened`. Every attempt states its expected
 * outcome before it is run, as data.
 */

/** What the merge gate must do with an attempt. */
export enum Outcome {
  /** Exit 1: the change lets more callers in, forwards them elsewhere, or can no longer be judged. */
  WEAKENED = 'weakened',
  /** Exit 0: nothing that lets more callers in. */
  PASSES = 'passes',
  /** Exit 2: input no synth writes, refused with one line naming the file. */
  REFUSED = 'refused',
}

const EXIT: Record<Outcome, number> = { [Outcome.WEAKENED]: 1, [Outcome.PASSES]: 0, [Outcome.REFUSED]: 2 };

export interface Attempt {
  readonly name: string;
  /** Constructor options of the base, for head and base alike (a variant base). */
  readonly baseOptions?: BaseOptions;
  /** Applied to base and head alike: a variant base this attempt starts from. */
  readonly baseChange?: (base: Base) => void;
  /** Applied to the head only, after `baseChange`. */
  readonly options?: BaseOptions;
  readonly change?: (base: Base) => void;
  /** Changes to the head's parsed `cdk.tf.json` (and its stack directory). */
  readonly edit?: (json: any, stackDir: string, baseStackDir: string) => void;
  /** Changes to the head's `cdk.tf.json` as text, after `edit`. */
  readonly editText?: (text: string) => string;
  /** Changes to the base's parsed `cdk.tf.json`, for attempts whose base differs in text only. */
  readonly editBase?: (json: any, stackDir: string) => void;
  readonly outcome: Outcome;
  /**
   * For WEAKENED and PASSES: a change line (see `changeLines`) the review must report, or
   * `none` for no change at all. For REFUSED: what stderr must say.
   */
  readonly expect: RegExp | 'none';
  /**
   * A gap the review still has: the expected verdict stays as written and its tests are
   * `test.failing`, so the day the gap closes they fail and must be turned back.
   */
  readonly defect?: string;
}

/** The generated certificates are valid around the real time: simulate then, the same moment for every attempt. */
export const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const NOW_ARG = `--now=${NOW.toISOString()}`;

export function stackDirOf(dir: string): string {
  return join(dir, 'stacks', STACK);
}

export function configOf(dir: string): any {
  return JSON.parse(readFileSync(join(stackDirOf(dir), 'cdk.tf.json'), 'utf8'));
}

/** Synthesizes the base with the attempt's variant, then the attempt's head changes. */
export function synthAttempt(attempt: Partial<Attempt>, side: 'base' | 'head', baseDir?: string): string {
  process.env[PFX_PASSWORD_ENV] = PFX_PASSWORD;
  try {
    const dir = synthesize((app) => {
      const options = { ...attempt.baseOptions, ...(side === 'head' ? attempt.options : {}) };
      const built = buildBase(app, { ...options, ...(options.inventoryPfx ? { inventoryPfx: pfxFor(options.inventoryPfx) } : {}) });
      attempt.baseChange?.(built);
      if (side === 'head') attempt.change?.(built);
    });
    const edit = side === 'head' ? attempt.edit : attempt.editBase;
    const editText = side === 'head' ? attempt.editText : undefined;
    if (edit || editText) {
      const file = join(stackDirOf(dir), 'cdk.tf.json');
      let text = readFileSync(file, 'utf8');
      if (edit) {
        const json = JSON.parse(text);
        if (side === 'head') (edit as NonNullable<Attempt['edit']>)(json, stackDirOf(dir), stackDirOf(baseDir!));
        else (edit as NonNullable<Attempt['editBase']>)(json, stackDirOf(dir));
        text = JSON.stringify(json, null, 2);
      }
      writeFileSync(file, editText ? editText(text) : text);
    }
    return dir;
  } finally {
    delete process.env[PFX_PASSWORD_ENV];
    delete process.env[SYNTH_WITHOUT_SECRETS];
  }
}

function variantKey(attempt: Attempt): string | undefined {
  return attempt.baseOptions || attempt.baseChange || attempt.editBase ? attempt.name : undefined;
}

/** Every change line of a review, across stacks. */
export function linesOf(changes: readonly { readonly changes: readonly AccessChange[] }[]): string[] {
  return changeLines(changes.flatMap((stack) => stack.changes));
}

/** Runs each attempt as a pull request against the (shared or variant) base, through the command. */
export function runAttempts(attempts: readonly Attempt[]): void {
  let sharedBase: string | undefined;
  const baseFor = (attempt: Attempt): string => {
    if (variantKey(attempt) !== undefined) return synthAttempt(attempt, 'base');
    sharedBase ??= synthAttempt({}, 'base');
    return sharedBase;
  };

  test('attempt names are unique', () => {
    expect(new Set(attempts.map((attempt) => attempt.name)).size).toBe(attempts.length);
  });

  describe.each(attempts.map((attempt) => [`${attempt.outcome}: ${attempt.name}`, attempt] as const))('%s', (_, attempt) => {
    let base: string;
    let head: string;
    let command: ReturnType<typeof cli>;
    beforeAll(() => {
      base = baseFor(attempt);
      head = synthAttempt(attempt, 'head', base);
      command = cli('review', head, '--base', base, '--fail-on', 'weakened', NOW_ARG);
    }, 60000);

    const check = attempt.defect ? test.failing : test;
    const named = (name: string) => (attempt.defect ? `DEFECT (${attempt.defect}): ${name}` : name);

    check(named(`--fail-on weakened exits ${EXIT[attempt.outcome]}`), () => {
      if (attempt.outcome !== Outcome.REFUSED) expect(command.stderr).toBe('');
      expect({ code: command.code, summary: command.code === 2 ? command.stderr : linesOf(reviewChanges(head, base, { now: NOW }).changes!) }).toMatchObject({
        code: EXIT[attempt.outcome],
      });
    });

    if (attempt.outcome === Outcome.REFUSED) {
      test(`says ${attempt.expect}`, () => {
        expect(command.stdout).toBe('');
        expect(command.stderr).toMatch(attempt.expect as RegExp);
      });
      return;
    }

    check(named(attempt.expect === 'none' ? 'reports no change at all' : `reports ${attempt.expect}`), () => {
      const review = reviewChanges(head, base, { now: NOW });
      expect(review.markdown).toBe(command.stdout);
      const lines = linesOf(review.changes!);
      if (attempt.expect === 'none') expect(lines).toEqual([]);
      else expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(attempt.expect as RegExp)]));
      if (attempt.outcome === Outcome.PASSES) expect(lines.filter((line) => line.startsWith('weakened'))).toEqual([]);
    });
  });
}
