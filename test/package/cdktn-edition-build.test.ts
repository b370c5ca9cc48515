import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { declarationErrors, EditionBuildError, missingInCdktn, rewriteFile } from '../../tools/editions/build-cdktn-edition';
import { cdktnPackageJson } from '../../tools/editions/cdktn-package-json';
import { cdktnReadme } from '../../tools/editions/cdktn-readme';

const ROOT = resolve(__dirname, '../..');

describe('rewriting a compiled file to cdktn', () => {
  test('rewrites every form of import tsc emits', () => {
    const js = [
      'const cdktf_1 = require("cdktf");',
      'const api_1 = require("@cdktf/provider-azurerm/lib/api-management-api");',
      '__exportStar(require("cdktf"), exports);',
      'const lazy = () => import("cdktf");',
    ].join('\n');
    expect(rewriteFile('a.js', js).text).toBe(
      [
        'const cdktf_1 = require("cdktn");',
        'const api_1 = require("@cdktn/provider-azurerm/lib/api-management-api");',
        '__exportStar(require("cdktn"), exports);',
        'const lazy = () => import("cdktn");',
      ].join('\n'),
    );
    const dts = "import { Token } from 'cdktf';\nexport { Fn } from 'cdktf';\nexport declare const x: import('@cdktf/provider-azurerm/lib/provider').AzurermProvider;\n";
    expect(rewriteFile('a.d.ts', dts).text).toBe(
      "import { Token } from 'cdktn';\nexport { Fn } from 'cdktn';\nexport declare const x: import('@cdktn/provider-azurerm/lib/provider').AzurermProvider;\n",
    );
  });

  test('leaves comments, strings and other packages alone', () => {
    const js = [
      '// runs under `cdktf synth`; see require("cdktf")',
      'const message = "install cdktf and @cdktf/provider-azurerm";',
      'const constructs_1 = require("constructs");',
      'const cli = require("cdktf-cli");',
      'const fs = require("node:fs");',
    ].join('\n');
    expect(rewriteFile('a.js', js)).toEqual({ text: js, uses: [] });
  });

  test('records which names each file takes from which cdktn module', () => {
    const js = 'const cdktf_1 = require("cdktf");\ncdktf_1.Token.isUnresolved(x);\n(0, cdktf_1.Fn.join)("", []);\n';
    expect(rewriteFile('a.js', js).uses).toEqual([{ file: 'a.js', module: 'cdktn', names: new Set(['Token', 'Fn']) }]);
  });

  test('refuses a cdktf package it has no cdktn counterpart for', () => {
    expect(() => rewriteFile('a.js', 'const azapi_1 = require("@cdktf/provider-azapi/lib/update-resource");')).toThrow(
      /lib\/a\.js still imports "@cdktf\/provider-azapi\/lib\/update-resource" after the rewrite to cdktn: add its CDK Terrain counterpart/,
    );
  });

  test('refuses a module name computed at run time, which no rewrite can follow', () => {
    expect(() => rewriteFile('lib/a.js', 'const name = "cdktf";\nconst m = require(name);')).toThrow(EditionBuildError);
    expect(() => rewriteFile('lib/a.js', 'const name = "cdktf";\nconst m = require(name);')).toThrow(/a\.js:2 loads a module whose name is computed/);
  });
});

describe('checking the rewritten edition against the installed cdktn packages', () => {
  test('a provider submodule or a class missing from @cdktn/provider-azurerm is a problem naming the file', () => {
    const problems = missingInCdktn([
      { file: 'certificates/uploaded-certificate.js', module: '@cdktn/provider-azurerm/lib/api-management-certificate', names: new Set(['ApiManagementCertificateA', 'ApiManagementCertificate']) },
      { file: 'service/gone.js', module: '@cdktn/provider-azurerm/lib/no-such-resource', names: new Set(['NoSuchResource']) },
      { file: 'a.js', module: 'cdktn', names: new Set(['Token', 'NotInCdktn']) },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/^lib\/certificates\/uploaded-certificate\.js uses ApiManagementCertificate from "@cdktn\/provider-azurerm\/lib\/api-management-certificate", which @cdktn\/provider-azurerm 16\.\d+\.\d+ does not export\.$/),
      expect.stringMatching(/^lib\/service\/gone\.js uses "@cdktn\/provider-azurerm\/lib\/no-such-resource", which cannot be loaded from @cdktn\/provider-azurerm 16\./),
      expect.stringMatching(/^lib\/a\.js uses NotInCdktn from "cdktn", which cdktn 0\.24\.\d+ does not export\.$/),
    ]);
  });

  test('a module taken whole, whose names cannot be listed, is a problem', () => {
    expect(missingInCdktn([{ file: 'a.js', module: 'cdktn', names: undefined }])).toEqual([expect.stringContaining('takes "cdktn" whole')]);
  });

  test('declarations are type-checked against the cdktn typings', () => {
    // Under the repository, so that the cdktn packages resolve as they do for the edition.
    const dir = mkdtempSync(join(ROOT, 'dist', 'edition-check-'));
    try {
      const good = join(dir, 'good.d.ts');
      const bad = join(dir, 'bad.d.ts');
      writeFileSync(good, "import { ApiManagementCertificateA } from '@cdktn/provider-azurerm/lib/api-management-certificate';\nexport declare const c: ApiManagementCertificateA;\n");
      writeFileSync(bad, "import { ApiManagementCertificate } from '@cdktn/provider-azurerm/lib/api-management-certificate';\nexport declare const c: ApiManagementCertificate;\n");
      expect(declarationErrors([good])).toEqual([]);
      expect(declarationErrors([bad])).toEqual([expect.stringMatching(/bad\.d\.ts:1:\d+: .*has no exported member named 'ApiManagementCertificate'/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the cdktn package.json', () => {
  const root = {
    name: 'cdktf-apim-mtls',
    version: '1.2.3',
    license: 'MIT',
    main: 'lib/index.js',
    types: 'lib/index.d.ts',
    bin: { 'cdktf-apim-mtls': 'lib/cli/cdktf-apim-mtls.js' },
    files: ['lib/**/*.js'],
    engines: { node: '>=20' },
    peerDependencies: { '@cdktf/provider-azurerm': '^14.0.0', cdktf: '^0.21.0', constructs: '^10.4.2', '@types/node': '>=18' },
    peerDependenciesMeta: { '@types/node': { optional: true } },
    devDependencies: { jest: '^29' },
  };

  test('names CDK Terrain peers, its own command, and the same version and files', () => {
    const edition = cdktnPackageJson(root);
    expect(edition).toMatchObject({
      name: 'cdktn-apim-mtls',
      version: '1.2.3',
      bin: { 'cdktn-apim-mtls': 'lib/cli/cdktf-apim-mtls.js' },
      files: root.files,
      peerDependencies: { '@cdktn/provider-azurerm': '^16.1.0', cdktn: '^0.24.0', constructs: '^10.6.0', '@types/node': '>=18' },
      peerDependenciesMeta: root.peerDependenciesMeta,
    });
    expect(edition).not.toHaveProperty('devDependencies');
    expect(edition).not.toHaveProperty('scripts');
  });
});

describe('the cdktn README', () => {
  test('rewrites the imports of TypeScript blocks and the command, and no prose or install line', () => {
    const readme = [
      '# cdktf-apim-mtls',
      '',
      'Run `cdktf synth`; `cdktf-apim-mtls` is the cdktf package.',
      '',
      '```ts',
      "import { App } from 'cdktf';",
      "import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';",
      "import { ClientCertGatedApi } from 'cdktf-apim-mtls';",
      '```',
      '',
      '```sh',
      'npm install cdktf-apim-mtls cdktf@^0.21',
      'npx cdktf-apim-mtls review cdktf.out',
      '```',
      '',
    ].join('\n');
    const edition = cdktnReadme(readme, 'cdktf-apim-mtls');
    expect(edition).toMatch(/^# cdktn-apim-mtls\n/);
    expect(edition).toContain('Run `cdktf synth`; `cdktf-apim-mtls` is the cdktf package.');
    expect(edition).toContain("import { App } from 'cdktn';\nimport { AzurermProvider } from '@cdktn/provider-azurerm/lib/provider';\nimport { ClientCertGatedApi } from 'cdktn-apim-mtls';\n");
    expect(edition).toContain('npm install cdktf-apim-mtls cdktf@^0.21\nnpx cdktn-apim-mtls review cdktf.out');
  });
});

// mkdtempSync under dist/ needs the folder; the build creates it, a fresh checkout may not have it.
beforeAll(() => mkdirSync(join(ROOT, 'dist'), { recursive: true }));
