import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { markdownCodeBlocks } from '../../tools/docs/markdown-code-blocks';
import { cdktnPackageJson } from '../../tools/editions/cdktn-package-json';

/*
 * The README's install lines are what a new user copies: each must name the edition's package,
 * every peer it declares, and the TypeScript the typings are tested with. The packed-package
 * test installs the same packages (at the versions this repository locks) and proves them.
 */

const ROOT = resolve(__dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const EDITIONS = [
  { edition: 'cdktf', packageJson: rootPackage },
  { edition: 'cdktn', packageJson: cdktnPackageJson(rootPackage) },
];

/** The shell block whose `npm install` line installs `name`. */
function installBlock(name: string): string {
  const blocks = markdownCodeBlocks(README).filter((b) => b.language === 'sh' && new RegExp(`^npm install ${name}\\b`, 'm').test(b.code));
  expect({ name, blocks: blocks.length }).toEqual({ name, blocks: 1 });
  return blocks[0].code;
}

/** Package names an `npm install` command line names (version ranges dropped). */
function installed(block: string): string[] {
  return block
    .split('\n')
    .filter((line) => line.startsWith('npm install'))
    .flatMap((line) => line.split(/\s+/).slice(2))
    .filter((word) => !word.startsWith('-'))
    .map((word) => word.replace(/(?<=.)@.*$/, ''));
}

describe.each(EDITIONS)('the README install lines for the $edition edition', ({ packageJson }) => {
  const block = installBlock(packageJson.name);

  test('name the package and every peer it declares', () => {
    const names = installed(block);
    for (const name of [packageJson.name, ...Object.keys(packageJson.peerDependencies)]) {
      expect({ name, listed: names.includes(name) }).toEqual({ name, listed: true });
    }
  });

  test('pin TypeScript to the version the typings are tested with', () => {
    const tested = rootPackage.devDependencies.typescript.replace(/^~/, '').split('.').slice(0, 2).join('.');
    expect(block).toMatch(new RegExp(`\\btypescript@~${tested.replace('.', '\\.')}\\b`));
  });
});

test('the cdktn install lines override the cdktn peer of @cdktn/provider-azurerm with the range the edition declares', () => {
  const cdktnRange = (cdktnPackageJson(rootPackage).peerDependencies as Record<string, string>).cdktn;
  expect(installBlock('cdktn-apim-mtls')).toContain(`npm pkg set "overrides[@cdktn/provider-azurerm][cdktn]=${cdktnRange}"`);
});
