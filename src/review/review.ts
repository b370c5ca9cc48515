import { buildSecurityModel } from './build-security-model';
import { ChangeImpact, diffSecurityModels, renderChanges, SecurityChange } from './diff-security-models';
import { renderReport } from './render-report';
import { SecurityModel } from './security-model';
import { readSynthesizedPlan } from './synthesized-plan';

export interface ReviewOptions {
  /**
   * The time certificate expiry is measured from.
   * @default - the current time
   */
  readonly now?: Date;
}

export interface ReviewResult {
  readonly markdown: string;
  readonly model: SecurityModel;
  /** Only for `reviewChanges`. */
  readonly changes?: readonly SecurityChange[];
  /** Whether any change weakens access control. */
  readonly weakened: boolean;
}

/** The full report of a synthesized directory. Throws ReviewInputError for unusable input. */
export function reviewDirectory(directory: string, options: ReviewOptions = {}): ReviewResult {
  const model = buildSecurityModel(readSynthesizedPlan(directory));
  return { markdown: renderReport(model, { now: options.now ?? new Date() }), model, weakened: false };
}

/** The security changes from `baseDirectory` to `directory`. Throws ReviewInputError for unusable input. */
export function reviewChanges(directory: string, baseDirectory: string): ReviewResult {
  const model = buildSecurityModel(readSynthesizedPlan(directory));
  const base = buildSecurityModel(readSynthesizedPlan(baseDirectory));
  const changes = diffSecurityModels(base, model);
  return {
    markdown: renderChanges(changes),
    model,
    changes,
    weakened: changes.some((c) => c.impact === ChangeImpact.WEAKENED),
  };
}
