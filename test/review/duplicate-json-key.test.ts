import { firstDuplicateJsonKey } from '../../src/review/duplicate-json-key';

describe('a key written twice in one JSON object', () => {
  test('is found with the path of its object', () => {
    expect(firstDuplicateJsonKey('{"resource": {"a": {"x": 1, "y": [1, {"k": 1, "k": 2}]}}}')).toEqual({ key: 'k', path: '"resource"."a"."y"."1"' });
    expect(firstDuplicateJsonKey('{"resource": {}, "resource": {}}')).toEqual({ key: 'resource', path: '(root)' });
  });

  test('is found when one spelling escapes a character (JSON reads both as the same key)', () => {
    expect(firstDuplicateJsonKey('{"resource": {}, "resourc\\u0065": {}}')).toEqual({ key: 'resource', path: '(root)' });
  });

  test('is not confused by equal keys in different objects, or braces and quotes inside strings', () => {
    expect(firstDuplicateJsonKey('{"a": {"k": 1}, "b": {"k": "}{\\"k\\": 2"}, "c": [{"k": true}, {"k": null}]}')).toBeUndefined();
  });

  test('names its path with each key quoted, so a key holding a newline cannot start a line of the message', () => {
    const found = firstDuplicateJsonKey('{"a\\n::error::forged": {"k": 1, "k": 2}}');
    expect(found?.path).toBe('"a\\n::error::forged"');
    expect(found?.path).not.toContain('\n');
  });
});
