import { ApiManagementCertificateA } from '@cdktf/provider-azurerm/lib/api-management-certificate';
import * as framework from 'cdktf';
import { execFileSync } from 'node:child_process';
import { resolve, sep } from 'node:path';
import { EDITION } from '../support/edition';

const ROOT = resolve(__dirname, '../..');
const onCdktn = EDITION === 'cdktn';

describe(`the suite runs on ${EDITION}`, () => {
  test("the module imported as cdktf is the edition's framework", () => {
    expect(framework === require('cdktn')).toBe(onCdktn);
    expect(framework === require('cdktf')).toBe(true);
  });

  test("provider classes come from the edition's provider package", () => {
    const cdktnClass = require('@cdktn/provider-azurerm/lib/api-management-certificate').ApiManagementCertificateA;
    expect(ApiManagementCertificateA === cdktnClass).toBe(onCdktn);
  });

  test("processes the tests start load the edition's framework too", () => {
    const resolved = execFileSync(process.execPath, ['-p', "require.resolve('cdktf')"], { cwd: ROOT, encoding: 'utf8' }).trim();
    expect(resolved).toContain(`${sep}node_modules${sep}${EDITION}${sep}`);
  });
});
