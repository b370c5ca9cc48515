// @ts-check
/** The package.json of the CDK Terrain edition, derived from the cdktf edition's. */
const { toCdktnModule } = require('./cdktn-modules');

/** The edition's name on the registry: CDK Terrain's own prefix, as `cdktn-cli` and `@cdktn/provider-*`. */
const CDKTN_EDITION_NAME = 'cdktn-apim-mtls';

/**
 * Peer ranges of the cdktn edition, from the versions its tests run on. cdktn accepts constructs
 * >=10.6.0 <10.8.0 and checks that itself; @cdktn/provider-azurerm 16 declares `cdktn ^0.23.0`,
 * which users of cdktn 0.24 satisfy with an npm override (see the README).
 */
const CDKTN_PEER_RANGES = Object.freeze({
  cdktn: '^0.24.0',
  '@cdktn/provider-azurerm': '^16.1.0',
  constructs: '^10.6.0',
});

/**
 * @param {Record<string, any>} root the cdktf edition's package.json
 * @returns {Record<string, unknown>}
 */
function cdktnPackageJson(root) {
  /** @type {Record<string, string>} */
  const peers = {};
  for (const [name, range] of Object.entries(root.peerDependencies ?? {})) {
    const cdktnName = toCdktnModule(name) ?? name;
    peers[cdktnName] = CDKTN_PEER_RANGES[/** @type {keyof typeof CDKTN_PEER_RANGES} */ (cdktnName)] ?? range;
  }
  const commands = Object.values(root.bin ?? {});
  if (commands.length > 1) throw new Error('the cdktn edition names one command; package.json lists several under "bin"');
  return {
    name: CDKTN_EDITION_NAME,
    version: root.version,
    description: `CDK Terrain (cdktn) edition of ${root.name}: constructs that secure Azure API Management with client certificates (mutual TLS)`,
    keywords: ['cdktn', 'cdk-terrain', 'terraform', 'azure', 'api-management', 'mtls', 'client-certificate'],
    license: root.license,
    ...(root.repository ? { repository: root.repository } : {}),
    main: root.main,
    types: root.types,
    ...(commands.length === 1 ? { bin: { [CDKTN_EDITION_NAME]: commands[0] } } : {}),
    files: root.files,
    engines: root.engines,
    ...(root.dependencies ? { dependencies: root.dependencies } : {}),
    peerDependencies: peers,
    ...(root.peerDependenciesMeta ? { peerDependenciesMeta: root.peerDependenciesMeta } : {}),
  };
}

module.exports = { CDKTN_EDITION_NAME, CDKTN_PEER_RANGES, cdktnPackageJson };
