// The policy simulator: what API Management does with a request under a policy document.
export { simulatePolicy } from './simulate-policy';
export type { EnclosingPolicy, SimulatedCertificateInput, SimulatedRequest } from './simulated-request';
export { SimulatedOutcome } from './policy-simulation';
export type { AlternativeOutcome, BackendClientCertificate, NotSimulatedElement, PolicySimulation, SimulatedPolicyError } from './policy-simulation';
export { RevocationStatus } from './revocation-status';
export { SimulatedCertificate } from './simulated-certificate';
export type { CertificateFacts } from './simulated-certificate';
export { PolicyFormat, readPolicyXml } from './policy-xml-reader';
export { ValueObserver, ValueTest } from './value-observer';
export type { ObservedTest, ValueObservation } from './value-observer';
export type { PolicyXmlAttribute, PolicyXmlDocument, PolicyXmlElement } from './policy-xml-reader';
export { compilePolicyExpression, compilePolicyStatements, PolicyExpressionException } from './csharp-interpreter';
export type { CompiledPolicyExpression, ExpressionHost } from './csharp-interpreter';
export { APIM_POLICY_ELEMENTS } from './policy-catalogue';
export { InvalidPolicyError, PolicySimulationError, UnknownNamedValueError, UnsupportedExpressionError } from './simulation-errors';
/** For the access matrix: which header names a request can carry, and how APIM compares them. */
export { HEADER_NAME } from './simulation-environment';
export { headerKey } from './dotnet/text-rules';
