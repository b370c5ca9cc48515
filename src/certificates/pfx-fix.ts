import type { PfxProblem } from './pfx-inspection';

/** Names a fix refers to. */
export interface PfxFixNames {
  /** The PFX file as the user knows it. */
  readonly file: string;
  /** The environment variable that holds (or will hold) the file's password. */
  readonly passwordVariable: string;
}

/**
 * How to fix a PFX problem, as a sentence with the commands to run; undefined when the fix is
 * not in the file (a wrong password). `legacyEncryption`: the file uses RC2/RC4 besides, so it
 * is read with `-legacy`.
 *
 * Re-exports never write a private key in clear (no `-nodes`): the first command writes the key
 * encrypted with the password into an intermediate PEM file, the second packs it into a new PFX
 * with AES-256 and a MAC. OpenSSL reads its `-in` file twice, so a pipe cannot replace that file.
 */
export function pfxFix(problem: PfxProblem, names: PfxFixNames, legacyEncryption = problem === 'legacy-encryption'): string | undefined {
  switch (problem) {
    case 'legacy-encryption':
      return `Re-export it with AES-256 (the key stays encrypted throughout): ${reexport(names, { legacy: true, emptyPassword: false })}`;
    case 'no-mac':
    case 'unprotected-key':
      return `Re-export it with an encrypted key and a MAC: ${reexport(names, { legacy: legacyEncryption, emptyPassword: false })}`;
    case 'empty-password':
      return `Re-export it with a password (set ${names.passwordVariable} first): ${reexport(names, { legacy: legacyEncryption, emptyPassword: true })}`;
    case 'no-private-key':
    case 'key-without-certificate':
    case 'no-certificate':
      return 'Export the certificate together with its private key (in Windows: "Yes, export the private key"; with openssl: pkcs12 -export -in certificate.pem -inkey key.pem)';
    case 'not-pfx':
      return 'Export the certificate with its private key as .pfx';
    default:
      return undefined;
  }
}

function reexport(names: PfxFixNames, options: { readonly legacy: boolean; readonly emptyPassword: boolean }): string {
  const base = names.file.replace(/\.(pfx|p12)$/i, '');
  const password = `env:${names.passwordVariable}`;
  const bundle = shellWord(`${base}-bundle.pem`);
  return [
    `openssl pkcs12 ${options.legacy ? '-legacy ' : ''}-in ${shellWord(names.file)} -passin ${options.emptyPassword ? 'pass:' : password} -passout ${password} -out ${bundle}`,
    `openssl pkcs12 -export -in ${bundle} -passin ${password} -passout ${password} -out ${shellWord(`${base}-protected.pfx`)}`,
    `rm ${bundle}`,
  ].join(' && ');
}

/** A file name as one shell word. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9._/-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
