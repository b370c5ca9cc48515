import { terraformArgumentProblem } from '../../src/policy/terraform-argument';

describe('terraformArgumentProblem', () => {
  test.each([
    'var.partner_thumbprint',
    'data.azurerm_key_vault_certificate.partner.thumbprint',
    'lower(local.thumbprints[0])',
    '"AB${var.rest}"',
    '"a \\" ) } quote and brackets inside a string"',
    '"$${not interpolated} %%{not a directive}"',
    '{"a" = [1, (2)]}',
    '"${lookup(var.m, "k}")}"',
  ])('accepts %s: it cannot close the call around it', (text) => {
    expect(terraformArgumentProblem(text)).toBeUndefined();
  });

  test.each([
    ['"A"))}" /><identity subject="CN=x', /closes a "\)" it did not open/],
    ['var.x) == "" ? "" : (var.y', /closes a "\)" it did not open/],
    ['[var.x}', /closes a "\}" it did not open/],
    ['"unterminated', /leaves a string or bracket open/],
    ['upper(var.x', /leaves a string or bracket open/],
    ['"${var.x"', /leaves a string or bracket open/],
    ['var.x # ))}', /holds a comment/],
    ['var.x // ))}', /holds a comment/],
    ['var.x /* ))} */', /holds a comment/],
    ['var.x\n', /spans lines/],
    ['"%{ if true }x%{ endif }"', /holds a template directive/],
    ['  ', /is empty/],
  ])('refuses %j', (text, problem) => {
    expect(terraformArgumentProblem(text)).toMatch(problem);
  });
});
