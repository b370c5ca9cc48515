// @ts-check
/**
 * The one table that turns the cdktf edition into the CDK Terrain (cdktn) edition. The edition
 * build rewrites compiled module specifiers with it, the cdktn jest run maps test imports with
 * it, and the require hook redirects processes started by tests with it: three uses, one list.
 */

/** Framework packages of the cdktf edition and their CDK Terrain counterparts. */
const CDKTN_PACKAGES = Object.freeze({
  cdktf: 'cdktn',
  '@cdktf/provider-azurerm': '@cdktn/provider-azurerm',
});

/**
 * The cdktn module for a cdktf module specifier (`cdktf`, `@cdktf/provider-azurerm/lib/x`), or
 * undefined when the specifier names none of the framework packages (`constructs`, `node:fs`,
 * relative paths, and look-alikes such as `cdktf-cli` are left alone).
 * @param {string} specifier
 * @returns {string | undefined}
 */
function toCdktnModule(specifier) {
  for (const [from, to] of Object.entries(CDKTN_PACKAGES)) {
    if (specifier === from) return to;
    if (specifier.startsWith(`${from}/`)) return to + specifier.slice(from.length);
  }
  return undefined;
}

/**
 * Whether a specifier names a cdktf framework package at all (`cdktf`, `cdktf/...`, any
 * `@cdktf/...`), listed above or not: none may be left in the cdktn edition.
 * @param {string} specifier
 */
function isCdktfModule(specifier) {
  return /^(cdktf|@cdktf\/[^/]+)(\/|$)/.test(specifier);
}

/** @param {string} text */
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * The same table as jest `moduleNameMapper` entries.
 * @returns {Record<string, string>}
 */
function cdktnModuleNameMapper() {
  /** @type {Record<string, string>} */
  const mapper = {};
  for (const [from, to] of Object.entries(CDKTN_PACKAGES)) {
    mapper[`^${escapeRegExp(from)}(/.*)?$`] = `${to}$1`;
  }
  return mapper;
}

module.exports = { CDKTN_PACKAGES, toCdktnModule, isCdktfModule, cdktnModuleNameMapper };
