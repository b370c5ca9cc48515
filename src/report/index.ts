// The review's words: the full report, the diff of two matrices, and the rendering of changes.
export { ChangeImpact } from './access-change';
export type { AccessChange, AccessChangeKind, CertificateFacts, ChangeSubject, PolicyChange } from './access-change';
export { diffAccess, verdictImpact } from './diff-access';
export type { DiffAccessOptions } from './diff-access';
export { renderReport } from './render-report';
export type { RenderReportOptions } from './render-report';
export { renderChanges } from './render-changes';
export { fitComment, GITHUB_COMMENT_LIMIT } from './fit-comment';
export type { StackChanges } from './render-changes';
export { mergedNames, namesOf } from './names';
export type { Names } from './names';
export { REVIEW_SEVERITY, Severity } from './severity';
export type { StackReport, SynthNote } from './stack-report';
export { lineDiff } from './line-diff';
export type { DiffLine } from './line-diff';
