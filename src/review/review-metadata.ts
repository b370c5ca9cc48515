import { TerraformResource } from 'cdktf';
import { CLAIMS_KEY, ResourceClaims } from '../plan/claims';

/*
 * Constructs leave public facts for the review under `//` in cdk.tf.json. The formats live in
 * `plan/claims.ts`, next to the reader that treats them as claims, not proof.
 */
export { CLAIMS_KEY as REVIEW_METADATA_KEY } from '../plan/claims';
export type {
  BackendClaims as BackendReviewMetadata,
  CertificateClaims as CertificateReviewMetadata,
  ResourceClaims as ReviewMetadata,
  ServiceClaims as ServiceReviewMetadata,
} from '../plan/claims';

export function writeReviewMetadata(resource: TerraformResource, metadata: ResourceClaims): void {
  resource.addOverride(`//.${CLAIMS_KEY}`, metadata);
}
