import { pfxFix, PfxFixNames } from './pfx-fix';
import { checkPfxProtection, inspectPfx, PfxInspection, PfxInspectionError } from './pfx-inspection';
import { Secret } from './secret';
import { SYNTH_WITHOUT_SECRETS, synthWithoutSecrets } from './synth-secrets';

/** A PFX as synth sees it. */
export interface PfxAtSynth {
  /** How messages name it: `PFX file "certs/partner.pfx"`. */
  readonly what: string;
  /** The bytes, when available at synth. */
  readonly content?: Uint8Array;
  /** The secret that holds the bytes (a PFX given as a secret), for messages when they are missing. */
  readonly contentSecret?: Secret;
  readonly password: Secret;
  /** Names the re-export commands use. */
  readonly fixNames: PfxFixNames;
  /** Warn when the certificate expires within this many days. */
  readonly expiryWarningDays: number;
  /** The time validity is measured at (milliseconds since the epoch). */
  readonly now: number;
}

/** What synth concludes about a PFX: the inspection when it could open it, and the problems. */
export interface PfxSynthCheck {
  readonly inspection?: PfxInspection;
  /** Each fails synth. */
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Checks a PFX at synth. The protection of its private key is checked whenever its bytes are
 * available, even without the password; the rest (password, key, certificate, validity) when
 * the password is available too. A secret that is missing from the environment fails synth
 * unless it can never be known at synth (a Terraform variable) or the synth declared that it
 * runs without secrets (`APIM_MTLS_SYNTH_WITHOUT_SECRETS`).
 */
export function checkPfxAtSynth(pfx: PfxAtSynth): PfxSynthCheck {
  const password = pfx.password.valueAtSynth();
  // With the password, inspection checks the protection itself, more cheaply.
  if (pfx.content !== undefined && password === undefined) {
    try {
      checkPfxProtection(pfx.content);
    } catch (error) {
      if (error instanceof PfxInspectionError) return { errors: [problemText(pfx, error)], warnings: [] };
      throw error;
    }
  }
  if (pfx.content === undefined || password === undefined) return missingSecrets(pfx, password === undefined);
  let inspection: PfxInspection;
  try {
    inspection = inspectPfx(pfx.content, password);
  } catch (error) {
    if (error instanceof PfxInspectionError) return { errors: [problemText(pfx, error)], warnings: [] };
    throw error;
  }
  return { inspection, ...validity(pfx, inspection) };
}

function problemText(pfx: PfxAtSynth, error: PfxInspectionError): string {
  // No full stop after a fix: it may end with a command to copy.
  const fix = error.problem === 'wrong-password' ? `Check ${pfx.password.description}.` : pfxFix(error.problem, pfx.fixNames, error.legacyEncryption);
  return `${pfx.what} ${error.diagnosis}.${fix === undefined ? '' : ` ${fix}`}`;
}

function missingSecrets(pfx: PfxAtSynth, passwordMissing: boolean): PfxSynthCheck {
  const missing = [...(pfx.content === undefined && pfx.contentSecret ? [pfx.contentSecret] : []), ...(passwordMissing ? [pfx.password] : [])];
  const names = missing.map((secret) => secret.description).join(' and ');
  const consequence = 'The thumbprint then comes from the uploaded certificate at apply, and expiry, key and password are not checked before then.';
  if (missing.every((secret) => secret.unknownAtSynth)) {
    return { errors: [], warnings: [`${pfx.what} was not inspected: ${names} is not known at synth. ${consequence}`] };
  }
  if (synthWithoutSecrets()) {
    return { errors: [], warnings: [`${pfx.what} was not inspected: ${SYNTH_WITHOUT_SECRETS} is set and ${names} is not. ${consequence}`] };
  }
  const unset = missing.filter((secret) => !secret.unknownAtSynth).map((secret) => secret.description).join(' and ');
  return {
    errors: [
      `${pfx.what} cannot be inspected: ${unset} is not set. Export it before running cdktf synth (which passes every variable except TF_VAR_* to the app); ` +
        `for a synth without secrets on purpose (a CI job that only reviews the plan), set ${SYNTH_WITHOUT_SECRETS}=1.`,
    ],
    warnings: [],
  };
}

function validity(pfx: PfxAtSynth, inspection: PfxInspection): { errors: string[]; warnings: string[] } {
  const describe = `${pfx.what} (${inspection.subject}, thumbprint ${inspection.thumbprint})`;
  if (inspection.notAfter.getTime() <= pfx.now) {
    return { errors: [`${describe} expired on ${inspection.notAfter.toISOString()}. Renew it and point the construct at the new certificate.`], warnings: [] };
  }
  if (inspection.notBefore.getTime() > pfx.now) {
    return { errors: [`${describe} is not valid before ${inspection.notBefore.toISOString()}. Check the issuing CA's clock or wait until then.`], warnings: [] };
  }
  const daysLeft = Math.floor((inspection.notAfter.getTime() - pfx.now) / DAY_MS);
  // No day count in the text: warnings land in manifest.json, which must not change daily.
  const warnings =
    daysLeft < pfx.expiryWarningDays
      ? [`${describe} expires on ${inspection.notAfter.toISOString()}, within expiryWarningDays (${pfx.expiryWarningDays}). Renew it soon.`]
      : [];
  return { errors: [], warnings };
}
