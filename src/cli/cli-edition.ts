import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the command calls itself and the framework CLI that writes its input. Both editions ship
 * the same compiled command; each one's package.json says which it is, so the text is read from
 * there rather than rewritten by the edition build.
 */
export interface CliEdition {
  /** The name users type, e.g. `cdktf-apim-mtls`. */
  readonly command: string;
  /** The framework CLI that writes the synthesized directory, e.g. `cdktf`. */
  readonly framework: string;
}

/** The cdktf edition: what a package.json that cannot be read is taken for. */
export const CDKTF_EDITION: CliEdition = { command: 'cdktf-apim-mtls', framework: 'cdktf' };

/** The package.json of the package this file was compiled into (`lib/cli/` → the package root). */
const OWN_PACKAGE_JSON = join(__dirname, '..', '..', 'package.json');

/**
 * The edition of the package at `packageJsonPath`: its command is the one `bin` entry (else
 * the package name), its framework `cdktn` when it declares a `cdktn` peer, else `cdktf`.
 */
export function cliEdition(packageJsonPath: string = OWN_PACKAGE_JSON): CliEdition {
  let manifest: { name?: unknown; bin?: unknown; peerDependencies?: unknown };
  try {
    manifest = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
  } catch {
    return CDKTF_EDITION;
  }
  const commands = manifest.bin !== null && typeof manifest.bin === 'object' ? Object.keys(manifest.bin) : [];
  const command = commands.length === 1 ? commands[0] : typeof manifest.name === 'string' ? manifest.name : CDKTF_EDITION.command;
  const peers = manifest.peerDependencies !== null && typeof manifest.peerDependencies === 'object' ? manifest.peerDependencies : {};
  return { command, framework: 'cdktn' in peers ? 'cdktn' : 'cdktf' };
}
