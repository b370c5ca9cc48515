import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SaxesParser } from 'saxes';

/** Parses with a strict XML 1.0 parser; throws on anything that is not well-formed. */
export function assertWellFormedXml(xml: string): void {
  const parser = new SaxesParser({ xmlns: false });
  let failure: Error | undefined;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.write(xml).close();
  if (failure) throw new Error(`not well-formed XML: ${failure.message}\n${xml}`);
}

/** Attribute values of every element named `name`, as a strict parser decodes them. */
export function attributesOf(xml: string, name: string): Array<Record<string, string>> {
  const parser = new SaxesParser({ xmlns: false });
  const found: Array<Record<string, string>> = [];
  parser.on('opentag', (tag) => {
    if (tag.name === name) found.push({ ...(tag.attributes as Record<string, string>) });
  });
  parser.write(xml).close();
  return found;
}

/**
 * Compares `xml` with `test/<dir>/__snapshots__/<name>.xml`, a plain XML file that reads well
 * in review. A missing file is written, except on CI; `jest -u` rewrites changed ones.
 */
export function expectXmlSnapshot(testDir: string, name: string, xml: string): void {
  const file = join(testDir, '__snapshots__', `${name}.xml`);
  const state = expect.getState().snapshotState as unknown as { _updateSnapshot: 'all' | 'new' | 'none' };
  const update = state._updateSnapshot;
  if (!existsSync(file) || update === 'all') {
    if (update === 'none' && !existsSync(file)) {
      throw new Error(`XML snapshot ${file} is missing and snapshots are not written on CI. Run the tests locally and commit it.`);
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, xml);
    return;
  }
  expect(xml).toBe(readFileSync(file, 'utf8'));
}

/**
 * The element tree of `xml` without any values: one line per element, indented by depth, with
 * its attribute names. Two policies with the same shape differ only in attribute values, so a
 * value that reached one of them changed no structure.
 */
export function xmlShape(xml: string): string[] {
  const parser = new SaxesParser({ xmlns: false });
  const shape: string[] = [];
  let depth = 0;
  parser.on('opentag', (tag) => {
    shape.push(`${'  '.repeat(depth)}${tag.name}(${Object.keys(tag.attributes).join(' ')})`);
    depth += 1;
  });
  parser.on('closetag', () => {
    depth -= 1;
  });
  parser.write(xml).close();
  return shape;
}
