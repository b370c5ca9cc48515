export * from './construct-error';
export * from './service/api-management-service';
export * from './service/ca-certificate';
export * from './service/sku';
export * from './service/gateway-custom-domain';
export * from './service/service-identity';
export * from './policy/policy-element';
export * from './policy/policy-renderer';
export * from './policy/policy-document';
export * from './policy/csharp-expression';
export * from './policy/thumbprint';
export * from './policy/gate-style';
export * from './policy/trusted-certificate';
export * from './policy/client-certificate-trust';
export * from './policy/gate-options';
export * from './policy/client-certificate-gate';
export * from './policy/policy-sections';
export * from './policy/policy-xml-sections';
export * from './policy/custom-policy';
export * from './policy/statements-before-gate';
export * from './policy/gated-policy-document';
export * from './gates/gate-target';
export * from './gates/client-certificate-gate';
export * from './apis/api-definition';
export * from './apis/client-cert-gated-api';
export { GATE_PROOF_CONTEXT } from './stack/stack-audit';
export * from './certificates/secret';
export * from './certificates/synth-secrets';
export * from './certificates/certificate-source';
export * from './certificates/pfx-inspection';
export * from './certificates/key-vault-secret-id';
export * from './certificates/uploaded-certificate';
export * from './backends/backend-routing';
export * from './backends/mutual-tls-backend';
export * from './reproducible-annotations';
export * from './review/review-metadata';
export * from './policy/simulator';
export * from './review';
export { readPlan, PlanIssueKind, PlanSymbolKind } from './plan';
export type {
  CertificateClaims,
  KnownValue,
  Plan,
  PlanApi,
  PlanBackend,
  PlanCaCertificate,
  PlanCertificate,
  PlanCertificateRef,
  PlanCertificateSource,
  PlanFragment,
  PlanIssue,
  PlanNamedValue,
  PlanOperation,
  PlanPolicy,
  PlanProduct,
  PlanProductLink,
  PlanService,
  PlanSymbol,
  PlanValue,
  ReadPlanOptions,
  UndecidedValue,
} from './plan';
export * from './access';
export { ALL_RULES, findingKey, judge } from './rules';
export type { CellFinding, Finding, FindingCode, FindingSubject, JudgeOptions, Rule, RuleContext } from './rules';
export { ChangeImpact, diffAccess, renderChanges, renderReport, REVIEW_SEVERITY, Severity } from './report';
export type { AccessChange, ChangeSubject, DiffAccessOptions, PolicyChange, RenderReportOptions, StackChanges, StackReport, SynthNote } from './report';
