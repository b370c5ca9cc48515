import { apiPathProblem } from '../../src/apis/api-path';
import { ClientCertGatedApi, ClientCertificateTrust } from '../../src';
import { newService, newStack } from '../support/stack';

describe('apiPathProblem', () => {
  test.each(['.', '..', './orders', 'orders/..', 'partners/./orders', 'partners/../admin'])('refuses the dot segment in %s', (path) => {
    expect(apiPathProblem(path)).toMatch(/^has a "\.\.?" segment, which URLs resolve away, so callers would reach the API under another path\. Remove it$/);
  });

  test.each(['orders', 'partners/v1.2', '...', 'orders/.well-known', 'a..b'])('accepts %s', (path) => {
    expect(apiPathProblem(path)).toBeUndefined();
  });

  test('the construct names itself, the path and the fix', () => {
    const stack = newStack();
    expect(
      () => new ClientCertGatedApi(stack, 'Api', {
        apiManagement: newService(stack), displayName: 'A', path: 'partners/../admin', serviceUrl: 'https://a.example.com',
        trust: ClientCertificateTrust.thumbprints(['A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4']),
      }),
    ).toThrow('test/Api: path "partners/../admin" has a ".." segment, which URLs resolve away, so callers would reach the API under another path. Remove it.');
  });
});
