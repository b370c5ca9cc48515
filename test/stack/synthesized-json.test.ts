import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { ApiManagementService, ClientCertGatedApi, ClientCertificateTrust } from '../../src';
import { newService } from '../support/stack';

const PINNED = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';

/** An app writing to a fresh directory, with one stack holding a gated API. */
function gatedApp(): { app: App; stack: TerraformStack; apim: ApiManagementService; written: () => any } {
  const outdir = mkdtempSync(join(tmpdir(), 'apim-mtls-synth-once-'));
  const app = Testing.app({ outdir });
  const stack = new TerraformStack(app, 'gateway');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const apim = newService(stack, 'Developer_1');
  new ClientCertGatedApi(stack, 'Orders', { apiManagement: apim, displayName: 'Orders', path: 'orders', serviceUrl: 'https://orders.example.com', trust: ClientCertificateTrust.thumbprints([PINNED]) });
  return { app, stack, apim, written: () => JSON.parse(readFileSync(join(outdir, 'stacks', 'gateway', 'cdk.tf.json'), 'utf8')) };
}

describe('a synth serializes the stack once', () => {
  afterEach(() => jest.restoreAllMocks());

  test('the stack checks and the written cdk.tf.json share one serialization', () => {
    const { app } = gatedApp();
    const serialize = jest.spyOn(TerraformStack.prototype, 'toTerraform');
    app.synth();
    expect(serialize).toHaveBeenCalledTimes(1);
  });

  test('the written cdk.tf.json equals a fresh toTerraform() of the stack', () => {
    const { app, stack, written } = gatedApp();
    app.synth();
    expect(written()).toEqual(JSON.parse(JSON.stringify(stack.toTerraform())));
  });

  test('a change after a synth is written by the next synth', () => {
    const { app, stack, apim, written } = gatedApp();
    app.synth();
    new ClientCertGatedApi(stack, 'Invoices', {
      apiManagement: apim,
      displayName: 'Invoices',
      path: 'invoices',
      serviceUrl: 'https://invoices.example.com',
      trust: ClientCertificateTrust.thumbprints([PINNED]),
    });
    app.synth();
    expect(Object.keys(written().resource.azurerm_api_management_api)).toHaveLength(2);
    expect(written()).toEqual(JSON.parse(JSON.stringify(stack.toTerraform())));
  });

  test('outside a synth, toTerraform() serializes afresh each time', () => {
    const { stack } = gatedApp();
    const first = stack.toTerraform();
    stack.addOverride('//.note', 'added');
    expect(stack.toTerraform()).not.toBe(first);
    expect((stack.toTerraform() as any)['//'].note).toBe('added');
  });
});
