// The plan reader: a Terraform JSON configuration in, services/APIs/scopes/certificates out.
export { readPlan, normalizedThumbprint, sourceIdentity } from './read-plan';
export type { ReadPlanOptions } from './read-plan';
export * from './plan';
export * from './plan-value';
export type { TerraformJson } from './terraform-configuration';
export { CLAIMS_KEY } from './claims';
export type { BackendClaims, CertificateClaims, ResourceClaims, ServiceClaims } from './claims';
export { ClientCertificateNegotiation } from '../service/sku';
