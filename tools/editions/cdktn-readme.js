// @ts-check
/**
 * The CDK Terrain edition's README: the project README, whose code is rewritten the way the
 * edition build rewrites the library (framework imports to cdktn, the package and its command
 * to their cdktn names), under a short note on what differs. One README to maintain, two to ship.
 */
const { toCdktnModule } = require('./cdktn-modules');
const { CDKTN_EDITION_NAME } = require('./cdktn-package-json');
const { markdownCodeBlocks } = require('../docs/markdown-code-blocks');
const { rewriteModuleSpecifiers } = require('./module-specifiers');

const TYPESCRIPT_LANGUAGES = new Set(['ts', 'typescript', 'tsx']);

/**
 * @param {string} readme the project README
 * @param {string} cdktfName the cdktf edition's package name
 */
function cdktnReadme(readme, cdktfName) {
  let out = '';
  let at = 0;
  for (const block of markdownCodeBlocks(readme)) {
    out += readme.slice(at, block.start) + cdktnCode(block.code, block.language, cdktfName);
    at = block.end;
  }
  out += readme.slice(at);

  const body = out.replace(/^# .*\n+/, '');
  return [
    `# ${CDKTN_EDITION_NAME}`,
    '',
    `The CDK Terrain (cdktn) edition of \`${cdktfName}\`: the same constructs, built from the same`,
    'source, loading `cdktn` and `@cdktn/provider-azurerm` instead of `cdktf` and',
    '`@cdktf/provider-azurerm`. Code below is written for this edition. CDK Terrain keeps',
    '`cdktf.json`, `cdktf.out` and the `CDKTF_*` variables: where the text says `cdktf synth`, run',
    `\`cdktn synth\`; its command is \`npx ${CDKTN_EDITION_NAME}\`.`,
    '',
    body,
  ].join('\n');
}

/**
 * A README code block as a cdktn user writes it: TypeScript imports moved to cdktn and to the
 * edition's package, and the package's command (`npx cdktf-apim-mtls`) to the edition's.
 * Install lines are left alone: the README already gives each edition its own.
 * @param {string} code
 * @param {string} language the block's language (`ts`, `sh`, ...)
 * @param {string} cdktfName the cdktf edition's package name
 */
function cdktnCode(code, language, cdktfName) {
  if (TYPESCRIPT_LANGUAGES.has(language)) {
    /** @param {string} specifier */
    const toEdition = (specifier) => (specifier === cdktfName ? CDKTN_EDITION_NAME : toCdktnModule(specifier));
    return rewriteModuleSpecifiers('snippet.ts', code, toEdition).text;
  }
  return code.replace(new RegExp(`\\bnpx ${cdktfName}\\b`, 'g'), `npx ${CDKTN_EDITION_NAME}`);
}

module.exports = { cdktnReadme, cdktnCode };
