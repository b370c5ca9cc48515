import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CDKTF_EDITION, cliEdition } from '../../src/cli/cli-edition';
import { runCli, usage } from '../../src/cli/cdktf-apim-mtls';
import { cdktnPackageJson } from '../../tools/editions/cdktn-package-json';

const ROOT = resolve(__dirname, '../..');
const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

function packageJsonFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'apim-mtls-cli-edition-')), 'package.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('the edition the command belongs to', () => {
  test('is read from the package.json it ships in: command from bin, framework from the peers', () => {
    expect(cliEdition(packageJsonFile(rootPackage))).toEqual({ command: 'cdktf-apim-mtls', framework: 'cdktf' });
    expect(cliEdition(packageJsonFile(cdktnPackageJson(rootPackage)))).toEqual({ command: 'cdktn-apim-mtls', framework: 'cdktn' });
  });

  test('is the repository package when the command runs from the sources', () => {
    expect(cliEdition()).toEqual({ command: rootPackage.name, framework: 'cdktf' });
  });

  test('falls back to the package name without one bin entry, and to the cdktf edition without a readable package.json', () => {
    expect(cliEdition(packageJsonFile({ name: 'renamed-apim-mtls', peerDependencies: { cdktn: '^0.24.0' } }))).toEqual({ command: 'renamed-apim-mtls', framework: 'cdktn' });
    expect(cliEdition(packageJsonFile('{ not json'))).toEqual(CDKTF_EDITION);
    expect(cliEdition(join(tmpdir(), 'no-such-dir', 'package.json'))).toEqual(CDKTF_EDITION);
  });
});

describe('the usage text of the CDK Terrain edition', () => {
  const cdktn = { command: 'cdktn-apim-mtls', framework: 'cdktn' };

  test('names its own command and cdktn synth, and keeps the cdktf.out directory name CDK Terrain keeps', () => {
    const text = usage(cdktn);
    expect(text).toMatch(/^Usage: cdktn-apim-mtls review <cdktf\.out dir>/);
    expect(text).toContain('written by "cdktn synth"');
    expect(text).not.toMatch(/cdktf-apim-mtls|cdktf synth/);
  });

  test('prefixes errors with its own command', () => {
    let stderr = '';
    expect(runCli(['review'], { stdout: () => undefined, stderr: (t) => (stderr += t) }, cdktn)).toBe(2);
    expect(stderr).toMatch(/^cdktn-apim-mtls: missing the synthesized directory/);
    expect(stderr).not.toContain('cdktf-apim-mtls');
  });
});
