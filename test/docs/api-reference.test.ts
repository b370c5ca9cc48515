import { join } from 'node:path';
import { projectApiReference, readCommitted, renderApiReference } from '../../tools/docs/api-reference';

/** The first line where two texts differ, for a message that says where to look. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}: generated ${JSON.stringify(a[at] ?? '(end of file)')}, committed ${JSON.stringify(b[at] ?? '(end of file)')}`;
}

test('docs/API.md is what `npm run docs` generates from the sources', () => {
  const generated = projectApiReference();
  const committed = readCommitted();
  if (generated !== committed) {
    throw new Error(`docs/API.md is out of date with the sources: run \`npm run docs\` and commit the result (${firstDifference(generated, committed)}).`);
  }
});

describe('the API reference generator', () => {
  let reference: string;
  beforeAll(() => {
    reference = renderApiReference({ entry: join(__dirname, 'fixtures', 'api-reference', 'index.ts'), title: 'Fixture API' });
  }, 30000);

  const section = (name: string) => {
    const start = reference.indexOf(`### ${name}\n`);
    expect(start).toBeGreaterThanOrEqual(0);
    const end = reference.indexOf('\n### ', start + 1);
    return reference.slice(start, end === -1 ? undefined : end);
  };

  test('lists every export by kind, linked to its section', () => {
    expect(reference).toContain('- Constructs: [Widget](#widget)');
    expect(reference).toContain('- Interfaces: [WidgetOptions](#widgetoptions), [WidgetProps](#widgetprops)');
    expect(reference).toContain('- Enums: [Volume](#volume)');
    expect(reference).toContain('- Functions: [add](#add)');
    expect(reference).toContain('- Types: [MaybeName](#maybename)');
    expect(reference).toContain('- Constants: [MAX_WIDGETS](#max_widgets)');
  });

  test('documents a construct: constructor, static factories with their parameters, public properties and methods', () => {
    const widget = section('Widget');
    expect(widget).toContain('A widget construct.');
    expect(widget).toContain('new Widget(scope: Construct, id: string, props: WidgetProps)');
    expect(widget).toContain('- `static fromName(scope: Construct, id: string, name: string): Widget`\n\n  A widget created elsewhere.\n\n  Parameters:\n\n  - `name`: its name in Azure\n\n  Returns a widget reference');
    expect(widget).toContain('- `readonly name: string`\n\n  Its name.');
    expect(widget).toContain('- `louder(): Volume`\n\n  Turns it up.');
  });

  test('documents every prop with its doc comment and default, inherited props included', () => {
    const props = section('WidgetProps');
    expect(props).toContain('Extends `WidgetOptions`.');
    expect(props).toContain('- `readonly name: string`\n\n  The widget\'s name in Azure.');
    expect(props).toContain('- `readonly replicas?: number`\n\n  How many replicas run.\n\n  Default: `2` (one per zone)');
    expect(props).toContain('- `readonly location?: string`\n\n  Where it runs.\n\n  Default: the resource group\'s location');
    expect(props).toContain('- `readonly volume?: Volume`\n\n  How loudly the widget reports.\n\n  Default: `Volume.QUIET`\n\n  Inherited from [WidgetOptions](#widgetoptions).');
  });

  test('leaves out what is internal, private, protected or inherited from constructs', () => {
    for (const hidden of ['secretHandle', '_plumbing', 'hidden', 'guarded', 'internalHelper', 'InternalShape', 'node', 'toString']) {
      expect({ hidden, shown: reference.includes(hidden) }).toEqual({ hidden, shown: false });
    }
  });

  test('documents enum members, functions with parameters and returns, types and constants', () => {
    expect(section('Volume')).toContain("- `QUIET = 'quiet'`\n\n  Says nothing.");
    expect(section('add')).toContain('function add(a: number, b: number): number');
    expect(section('add')).toContain('- `a`: the first\n- `b`: the second');
    expect(section('add')).toContain('Returns their sum');
    expect(section('MaybeName')).toContain('type MaybeName = string | undefined');
    expect(section('MAX_WIDGETS')).toContain('const MAX_WIDGETS: 10');
  });
});
