// The plan review: read a synthesized cdktf directory, judge it with the engine, render Markdown.
export { ReviewInputError } from './review-input-error';
export { readSynthesizedPlan } from './synthesized-plan';
export type { SynthAnnotation, SynthesizedPlan, SynthesizedStack, TerraformJson } from './synthesized-plan';
export { reviewDirectory, reviewChanges } from './review';
export type { ReviewOptions, ReviewResult } from './review';
// The CLI prints what a CI step posts as one pull-request comment.
export { fitComment, GITHUB_COMMENT_LIMIT } from '../report';
