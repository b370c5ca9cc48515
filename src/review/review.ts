import { realpathSync } from 'node:fs';
import { accessMatrix, AccessMatrix } from '../access';
import { Plan, readPlan } from '../plan';
import { ChangeImpact, diffAccess, mergedNames, namesOf, renderChanges, renderReport, StackChanges, StackReport, SynthNote } from '../report';
import { Finding, judge } from '../rules';
import { ReviewInputError } from './review-input-error';
import { compareText, fileDigestOf, readSynthesizedPlan, SynthAnnotation, SynthesizedStack } from './synthesized-plan';

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
  const stacks = readSynthesizedPlan(directory).stacks.map((stack) => reviewStack(stack, stack.name, guarded(stack, () => readPlan(stack.config, { fileDigest: fileDigestOf(stack) })), now));
  return { markdown: renderReport(stacks, { now }), stacks, weakened: false };
}

/** The security changes from `baseDirectory` to `directory`. Throws ReviewInputError for unusable input. */
export function reviewChanges(directory: string, baseDirectory: string, options: ReviewOptions = {}): ReviewResult {
  const now = options.now ?? new Date();
  refuseSameDirectory(directory, baseDirectory);
  const headStacks = readSynthesizedPlan(directory).stacks;
  const baseStacks = readSynthesizedPlan(baseDirectory).stacks;
  const reports: StackReport[] = [];
  const changes: StackChanges[] = [];
  for (const { name, headStack, baseStack } of pairStacks(headStacks, baseStacks)) {
    // Each side takes the other's claims for certificates it has no claims about, so a synth
    // without the PFX password compares with one with it.
    const firstBase = baseStack ? guarded(baseStack, () => readPlan(baseStack.config, { fileDigest: fileDigestOf(baseStack) })) : readPlan({});
    const headPlan = headStack ? guarded(headStack, () => readPlan(headStack.config, { claimsFrom: firstBase, fileDigest: fileDigestOf(headStack) })) : readPlan({});
    const basePlan = baseStack ? guarded(baseStack, () => readPlan(baseStack.config, { claimsFrom: headPlan, fileDigest: fileDigestOf(baseStack) })) : readPlan({});
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

/** Comparing a directory with itself proves nothing: a gate configured that way must not pass. */
function refuseSameDirectory(directory: string, baseDirectory: string): void {
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return undefined; // reported as a missing directory when it is read
    }
  };
  const head = real(directory);
  if (head !== undefined && head === real(baseDirectory)) {
    throw new ReviewInputError(`${baseDirectory}: --base ${baseDirectory} is the directory under review (${directory}); give the synth of the base branch`);
  }
}

interface StackPair {
  /** The head's name, or the base's for a removed stack. */
  readonly name: string;
  readonly headStack?: SynthesizedStack;
  readonly baseStack?: SynthesizedStack;
}

/**
 * Stacks matched by name; a stack only one side has is matched with a stack only the other side
 * has that manages one of the same services (a renamed stack), so renaming never turns a changed
 * API into a new one.
 */
function pairStacks(head: readonly SynthesizedStack[], base: readonly SynthesizedStack[]): StackPair[] {
  const baseByName = new Map(base.map((stack) => [stack.name, stack]));
  const headNames = new Set(head.map((stack) => stack.name));
  const pairs: StackPair[] = head.filter((stack) => baseByName.has(stack.name)).map((stack) => ({ name: stack.name, headStack: stack, baseStack: baseByName.get(stack.name) }));
  const unmatchedBase = base.filter((stack) => !headNames.has(stack.name));
  const managedServices = (stack: SynthesizedStack) => new Set(guarded(stack, () => readPlan(stack.config, { fileDigest: fileDigestOf(stack) })).services.filter((service) => service.managed).map((service) => service.key));
  const baseServices = new Map(unmatchedBase.map((stack) => [stack, managedServices(stack)]));
  for (const stack of head.filter((candidate) => !baseByName.has(candidate.name))) {
    const services = managedServices(stack);
    const renamed = unmatchedBase.find((candidate) => baseServices.has(candidate) && [...baseServices.get(candidate)!].some((key) => services.has(key)));
    if (renamed) baseServices.delete(renamed);
    pairs.push({ name: stack.name, headStack: stack, ...(renamed ? { baseStack: renamed } : {}) });
  }
  for (const stack of baseServices.keys()) pairs.push({ name: stack.name, baseStack: stack });
  return pairs.sort((a, b) => compareText(a.name, b.name));
}

function reviewStack(stack: SynthesizedStack | undefined, name: string, plan: Plan, now: Date): StackReport {
  const matrix: AccessMatrix = stack ? guarded(stack, () => accessMatrix(plan, { now })) : accessMatrix(plan, { now });
  const findings: Finding[] = [
    ...judge(matrix, { now }),
    ...(stack?.extraConfigurationFiles ?? []).map(
      (file): Finding => ({
        code: 'unreadable-configuration',
        subject: { service: '', resource: file, item: `file|${stack?.extraConfigurationDigests?.[file] ?? ''}` },
        reason: 'another Terraform configuration file in the stack directory, which Terraform applies too',
      }),
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
