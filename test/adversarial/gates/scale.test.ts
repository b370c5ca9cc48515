import { GateTarget } from '../../../src';
import { newService, newStack } from '../../support/stack';
import { ANSWER_200, gate, inboundOnly, link, operationPolicy, plainApi, plainOperation, product, synthError } from './support';

/*
 * Performance traps, judged for correctness only (their cost is measured by
 * benchmarks/gate-scale-bench.js, never timed here): one gate over 2,000 operations, and 500
 * gated products. Expected verdict: the one bypass hidden among them fails synth, named.
 */

test('one operation among 2,000 under one gate answering before <base /> fails synth, naming that operation policy', () => {
  const stack = newStack();
  const apim = newService(stack, 'Developer_1');
  const api = plainApi(stack, apim);
  for (let i = 0; i < 2000; i++) plainOperation(stack, apim, api.name, `Op${i}`, `/items-${i}`);
  operationPolicy(stack, apim, api.name, 'op1234', inboundOnly(`${ANSWER_200}<base />`));
  gate(stack, 'Gate', { target: GateTarget.api(api, apim) });
  expect(synthError(stack)).toMatch(/test\/Gate: a caller without a client certificate and a caller with an unknown client certificate are answered by the gateway .* on GET \/items-1234 of API \/orders because test\/TheirOperationPolicy/);
});

test('500 gated products, one of whose APIs is also linked to an open product, fail synth naming the open product only', () => {
  const stack = newStack();
  const apim = newService(stack, 'Developer_1');
  for (let i = 0; i < 500; i++) {
    const gated = product(stack, apim, `Product${i}`, `product-${i}`);
    const api = plainApi(stack, apim, `Api${i}`, `api-${i}`);
    plainOperation(stack, apim, api.name, `Get${i}`, '/');
    link(stack, apim, gated.productId, api.name, `Link${i}`);
    gate(stack, `Gate${i}`, { target: GateTarget.product(gated) });
  }
  product(stack, apim, 'Open', 'open', false);
  link(stack, apim, 'open', 'api317', 'OpenLink');
  const error = synthError(stack);
  expect(error).toMatch(/test\/Gate317: .*test\/Open/);
  expect(error.match(/\[test\] /g)).toHaveLength(1);
});
