import { accessMatrix, AccessMatrix } from '../access';
import { Plan, readPlan } from '../plan';
import { ChangeImpact, diffAccess, mergedNames, namesOf, renderChanges, renderReport, StackChanges, StackReport, SynthNote } from '../report';
import { Finding, judge } from '../rules';
import { ReviewInputError } from './review-input-error';
import { compareText, readSynthesizedPlan, SynthAnnotation, SynthesizedStack } from './synthesized-plan';

export interface ReviewOptions {
  /**
   * The moment callers are simulated at and certificate expiry is measured from.
   * @default - the current time
   */
  readonly now?: Date;
}

export interface ReviewResult {
  readonly markdown: string;
  /** The head's stacks: matrix, findings and annotations. */
  readonly stacks: readonly StackReport[];
  /** Only for `reviewChanges`. */
  readonly changes?: readonly StackChanges[];
  /** Whether any change weakens access control. */
  readonly weakened: boolean;
}

/** The full report of a synthesized directory. Throws ReviewInputError for unusable input. */
export function reviewDirectory(directory: string, options: ReviewOptions = {}): ReviewResult {
  const now = options.now ?? new Date();
  const stacks = readSynthesizedPlan(directory).stacks.map((stack) => reviewStack(stack, stack.name, guarded(stack, () => readPlan(stack.config)), now));
  return { markdown: renderReport(stacks, { now }), stacks, weakened: false };
}

/** The security changes from `baseDirectory` to `directory`. Throws ReviewInputError for unusable input. */
export function reviewChanges(directory: string, baseDirectory: string, options: ReviewOptions = {}): ReviewResult {
  const now = options.now ?? new Date();
  const head = new Map(readSynthesizedPlan(directory).stacks.map((stack) => [stack.name, stack]));
  const base = new Map(readSynthesizedPlan(baseDirectory).stacks.map((stack) => [stack.name, stack]));
  const reports: StackReport[] = [];
  const changes: StackChanges[] = [];
  for (const name of [...new Set([...base.keys(), ...head.keys()])].sort(compareText)) {
    const headStack = head.get(name);
    const baseStack = base.get(name);
    // Each side takes the other's claims for certificates it has no claims about, so a synth
    // without the PFX password compares with one with it.
    const firstBase = baseStack ? guarded(baseStack, () => readPlan(baseStack.config)) : readPlan({});
    const headPlan = headStack ? guarded(headStack, () => readPlan(headStack.config, { claimsFrom: firstBase })) : readPlan({});
    const basePlan = baseStack ? guarded(baseStack, () => readPlan(baseStack.config, { claimsFrom: headPlan })) : readPlan({});
    const before = reviewStack(baseStack, name, basePlan, now);
    const after = reviewStack(headStack, name, headPlan, now);
    reports.push(after);
    const known = new Set(before.annotations.map(annotationKey));
    changes.push({
      name,
      changes: diffAccess(before.matrix, after.matrix, { baseFindings: before.findings, headFindings: after.findings }),
      names: mergedNames(namesOf(before.matrix), namesOf(after.matrix)),
      newAnnotations: after.annotations.filter((note) => !known.has(annotationKey(note))),
    });
  }
  return {
    markdown: renderChanges(changes),
    stacks: reports,
    changes,
    weakened: changes.some((stack) => stack.changes.some((change) => change.impact === ChangeImpact.WEAKENED)),
  };
}

function reviewStack(stack: SynthesizedStack | undefined, name: string, plan: Plan, now: Date): StackReport {
  const matrix: AccessMatrix = stack ? guarded(stack, () => accessMatrix(plan, { now })) : accessMatrix(plan, { now });
  const findings: Finding[] = [
    ...judge(matrix, { now }),
    ...(stack?.extraConfigurationFiles ?? []).map(
      (file): Finding => ({ code: 'unreadable-configuration', subject: { service: '', resource: file, item: 'file' }, reason: 'another Terraform configuration file in the stack directory, which Terraform applies too' }),
    ),
  ];
  return { name, matrix, findings, annotations: annotationsOf(stack?.annotations ?? []) };
}

/** Content of a shape no synth writes is bad input, reported naming the file. */
function guarded<T>(stack: SynthesizedStack, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new ReviewInputError(`${stack.path ?? `stack ${stack.name}`}: cannot be reviewed (${(error as Error)?.message ?? String(error)})`);
  }
}

const LEVELS: Record<string, SynthNote['level']> = {
  '@cdktf/error': 'error',
  '@cdktf/warn': 'warning',
  '@cdktf/info': 'info',
  error: 'error',
  warn: 'warning',
  warning: 'warning',
  info: 'info',
};
const LEVEL_ORDER: SynthNote['level'][] = ['error', 'warning', 'info'];

function annotationsOf(annotations: readonly SynthAnnotation[]): SynthNote[] {
  return annotations
    .map((a) => ({ level: LEVELS[a.level] ?? 'info', constructPath: a.constructPath, message: a.message }))
    .sort((a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level) || compareText(a.constructPath, b.constructPath) || compareText(a.message, b.message));
}

function annotationKey(note: SynthNote): string {
  return `${note.level}|${note.constructPath}|${note.message}`;
}
