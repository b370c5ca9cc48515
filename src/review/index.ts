// The plan review: read a synthesized cdktf directory, model who may call what, render Markdown.
export { ReviewInputError } from './review-input-error';
export { readSynthesizedPlan } from './synthesized-plan';
export type { SynthAnnotation, SynthesizedPlan, SynthesizedStack, TerraformJson } from './synthesized-plan';
export * from './security-model';
export { buildSecurityModel } from './build-security-model';
export { analysePolicy } from './policy-analysis';
export type { PolicyAnalysis, WrittenCertificateReference, WrittenGate, WrittenTrustMember } from './policy-analysis';
export { renderReport } from './render-report';
export type { RenderReportOptions } from './render-report';
export { ChangeImpact, ChangeSubjectKind, diffSecurityModels, renderChanges } from './diff-security-models';
export type { RenderChangesOptions, SecurityChange } from './diff-security-models';
export { reviewDirectory, reviewChanges } from './review';
export type { ReviewOptions, ReviewResult } from './review';
