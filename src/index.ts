/*
 * The public API, named one by one: what a user's stack, test or CI job needs. Everything else
 * (validation helpers, the C# expression builder, the PFX reader, the simulator's parser) stays
 * importable inside the repository from its module and out of the package's API reference.
 */

// Constructs, their props and the factories that feed them.
export { ApiManagementService } from './service/api-management-service';
export type { ApiManagementServiceProps, ExistingApiManagementServiceAttributes, IApiManagementService } from './service/api-management-service';
export { CaCertificate, CaCertificateStore } from './service/ca-certificate';
export type { CaCertificateOptions } from './service/ca-certificate';
export { ClientCertificateNegotiation } from './service/sku';
export type { GatewayCustomDomain } from './service/gateway-custom-domain';
export { ServiceIdentity } from './service/service-identity';

export { Secret } from './certificates/secret';
export { CertificateSource } from './certificates/certificate-source';
export type { KeyVaultSecretOptions, PfxFileOptions } from './certificates/certificate-source';
export { UploadedCertificate } from './certificates/uploaded-certificate';
export type { UploadedCertificateProps } from './certificates/uploaded-certificate';

export { ClientCertificateTrust, InvalidTrustError } from './policy/client-certificate-trust';
export type { ITrustedCertificate } from './policy/trusted-certificate';
export { GateStyle } from './policy/gate-style';
export type { GateOptions } from './policy/gate-options';
export { CustomPolicy } from './policy/custom-policy';
export type { CustomPolicyStatements } from './policy/custom-policy';
export { STATEMENTS_ALLOWED_BEFORE_GATE } from './policy/statements-before-gate';

export { ClientCertificateGate } from './gates/client-certificate-gate';
export type { ClientCertificateGateProps } from './gates/client-certificate-gate';
export { GateTarget } from './gates/gate-target';
export { GATE_PROOF_CONTEXT } from './stack/stack-audit';

export { ApiDefinition, ApiDefinitionFormat } from './apis/api-definition';
export type { ApiDefinitionOptions, WsdlSelector } from './apis/api-definition';
export { ClientCertGatedApi } from './apis/client-cert-gated-api';
export type { ClientCertGatedApiProps } from './apis/client-cert-gated-api';

export { MutualTlsBackend } from './backends/mutual-tls-backend';
export type { MutualTlsBackendProps } from './backends/mutual-tls-backend';

export { ConstructConfigurationError } from './construct-error';

// Policy documents as data, without constructs.
export { clientCertificateGate, InvalidGateOptionsError } from './policy/client-certificate-gate';
export type { ClientCertificateGateOptions } from './policy/client-certificate-gate';
export { PolicyDocument } from './policy/policy-document';
export type { PolicyDocumentProps } from './policy/policy-document';
export { element, textElement, verbatim } from './policy/policy-element';
export type { PolicyAttribute, PolicyElement, PolicyValue } from './policy/policy-element';
export { PolicyRenderError, renderPolicyElement } from './policy/policy-renderer';

// The policy simulator.
export {
  InvalidPolicyError,
  PolicyFormat,
  PolicySimulationError,
  RevocationStatus,
  SimulatedCertificate,
  SimulatedOutcome,
  simulatePolicy,
  UnknownNamedValueError,
  UnsupportedExpressionError,
  ValueObserver,
  ValueTest,
} from './policy/simulator';
export type {
  AlternativeOutcome,
  BackendClientCertificate,
  CertificateFacts,
  EnclosingPolicy,
  NotSimulatedElement,
  ObservedTest,
  PolicySimulation,
  SimulatedCertificateInput,
  SimulatedPolicyError,
  SimulatedRequest,
  ValueObservation,
} from './policy/simulator';

// The engine: plan, access, rules, report, and the review that wires them.
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
  TerraformJson,
  UndecidedValue,
} from './plan';
export { accessMatrix, CallerKind, CallerRole, Destination, ScopeKind } from './access';
export type {
  AccessCell,
  AccessMatrix,
  AccessMatrixOptions,
  AnsweredVerdict,
  Caller,
  ChainScope,
  ForwardedVerdict,
  OperationAccess,
  OperationRef,
  RejectedVerdict,
  Responsible,
  ServiceAccess,
  UndecidedVerdict,
  Verdict,
} from './access';
export { ALL_RULES, findingKey, judge } from './rules';
export type { CellFinding, Finding, FindingCode, FindingSubject, JudgeOptions, Rule, RuleContext } from './rules';
export { ChangeImpact, diffAccess, renderChanges, renderReport, REVIEW_SEVERITY, Severity } from './report';
export type { AccessChange, ChangeSubject, DiffAccessOptions, PolicyChange, RenderReportOptions, StackChanges, StackReport, SynthNote } from './report';
export { readSynthesizedPlan, reviewChanges, reviewDirectory, ReviewInputError } from './review';
export type { ReviewOptions, ReviewResult, SynthAnnotation, SynthesizedPlan, SynthesizedStack } from './review';
