import { RevocationStatus } from './revocation-status';
import type { ValueObserver } from './value-observer';
import { SimulatedCertificate } from './simulated-certificate';

/** What chain validation can use: the CA certificates uploaded to the service, and the moment. */
export interface ChainEnvironment {
  /** CA certificates that can be trust anchors (the Root store, or a store not known). */
  readonly caCertificates: readonly SimulatedCertificate[];
  /** CA certificates of the CertificateAuthority store: they complete chains, never anchor them. */
  readonly intermediateCertificates?: readonly SimulatedCertificate[];
  readonly now: Date;
  readonly revocation: RevocationStatus;
  /** Told of every comparison of a watched value of the certificate. */
  readonly observer?: ValueObserver;
}

/** The outcome of a chain check; `problem` says why it failed. */
export interface ChainCheck {
  readonly valid: boolean;
  readonly problem?: string;
}

/** Chains longer than this are refused; real chains have two to four certificates. */
const MAX_CHAIN_LENGTH = 8;

/**
 * `X509Certificate2.Verify()` (with revocation) and `VerifyNoRevocation()` as APIM runs them,
 * which is also what `validate-client-certificate validate-trust` / `validate-revocation` check.
 *
 * The chain must end in a self-signed certificate uploaded as a CA to a store that anchors chains
 * (no public roots are trusted in the simulation), or the certificate itself must be such an
 * uploaded root. Intermediates only complete chains. Every certificate
 * must be within its validity period, including the leaf, and every issuer must be a CA.
 * Revocation is checked for every certificate but the root, as .NET does by default.
 */
export function checkChain(leaf: SimulatedCertificate, env: ChainEnvironment, checkRevocation: boolean): ChainCheck {
  const chain: SimulatedCertificate[] = [leaf];
  let current = leaf;
  for (;;) {
    if (!current.isValidAt(env.now)) {
      return failed(`${describe(current)} is outside its validity period (${current.notBefore.toISOString()} to ${current.notAfter.toISOString()})`);
    }
    if (current !== leaf && !current.isCertificateAuthority) {
      return failed(`${describe(current)} issued ${describe(chain[chain.length - 2])} but is not a certification authority`);
    }
    if (isUploadedRoot(current, env)) break;
    if (current.isSelfSigned) {
      const asIntermediate = (env.intermediateCertificates ?? []).some((ca) => ca.thumbprint === current.thumbprint);
      return failed(
        asIntermediate
          ? `${describe(current)} is self-signed and uploaded to the CertificateAuthority store only, which holds intermediates: no chain is anchored there`
          : `${describe(current)} is self-signed and not among the uploaded CA certificates`,
      );
    }
    const issuer = [...env.caCertificates, ...(env.intermediateCertificates ?? [])].find((ca) => !chain.includes(ca) && current.isIssuedBy(ca));
    if (!issuer) return failed(`no uploaded CA certificate issued ${describe(current)} (issuer ${current.issuer})`);
    chain.push(issuer);
    if (chain.length > MAX_CHAIN_LENGTH) return failed(`the chain of ${describe(leaf)} is longer than ${MAX_CHAIN_LENGTH}`);
    current = issuer;
  }
  const checkedForRevocation = chain.length - 1; // the root is not checked
  if (checkRevocation && checkedForRevocation > 0 && env.revocation !== RevocationStatus.GOOD) {
    return failed(`revocation check for ${describe(leaf)}: ${env.revocation}`);
  }
  return { valid: true };
}

function isUploadedRoot(certificate: SimulatedCertificate, env: ChainEnvironment): boolean {
  return certificate.isSelfSigned && env.caCertificates.some((ca) => (env.observer?.compared(certificate.thumbprint, ca.thumbprint, true), ca.thumbprint === certificate.thumbprint));
}

function describe(certificate: SimulatedCertificate): string {
  return `"${certificate.subject}" (${certificate.thumbprint})`;
}

function failed(problem: string): ChainCheck {
  return { valid: false, problem };
}
