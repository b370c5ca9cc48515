/**
 * Set to `1` (or `true`) for a synth that has no secrets on purpose, such as a CI job that only
 * synthesizes the plan for review: PFX files whose password (or content) is not in the
 * environment are then left uninspected with a warning instead of failing synth. Without it, a
 * missing environment variable is taken for a mistake and fails synth.
 */
export const SYNTH_WITHOUT_SECRETS = 'APIM_MTLS_SYNTH_WITHOUT_SECRETS';

/** Whether this synth was told that secrets are absent on purpose. */
export function synthWithoutSecrets(): boolean {
  const value = process.env[SYNTH_WITHOUT_SECRETS]?.trim().toLowerCase();
  return value === '1' || value === 'true';
}
