import { expect } from '@open-wc/testing';

interface Documented {
  name: string;
  description?: string;
  privacy?: string;
  static?: boolean;
  kind?: string;
}

interface Declaration {
  tagName?: string;
  customElement?: boolean;
  description?: string;
  attributes?: Documented[];
  members?: Documented[];
  events?: Documented[];
  slots?: Documented[];
  cssParts?: Documented[];
  cssProperties?: Documented[];
  cssStates?: Documented[];
}

interface Manifest {
  modules: { declarations?: Declaration[] }[];
}

const manifest: Manifest = await fetch('/custom-elements.json').then((r) => r.json());
const readme = await fetch('/README.md').then((r) => r.text());
const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement && d.tagName);

/** Public members: what a page can use. Lit's own and private members are not API. */
function publicMembers(declaration: Declaration): Documented[] {
  return (declaration.members ?? []).filter((m) => !m.privacy && !m.static && !m.name.startsWith('_'));
}

/** The README section of one element: from its `### \`<tag>\`` heading to the next heading. */
function sectionOf(tagName: string): string {
  const start = readme.indexOf(`### \`<${tagName}>\``);
  if (start < 0) return '';
  const end = readme.slice(start + 1).search(/\n##+ /);
  return readme.slice(start, end < 0 ? undefined : start + 1 + end);
}

describe('API reference', () => {
  it('covers the four elements', () => {
    expect(elements.map((e) => e.tagName).sort()).to.deep.equal(['call-button', 'call-panel', 'call-participants', 'video-call']);
  });

  for (const element of elements) {
    describe(`<${element.tagName}>`, () => {
      const groups: [string, Documented[]][] = [
        ['attribute', element.attributes ?? []],
        ['property or method', publicMembers(element)],
        ['event', element.events ?? []],
        ['slot', (element.slots ?? []).filter((s) => s.name !== '')],
        ['CSS part', element.cssParts ?? []],
        ['CSS custom property', element.cssProperties ?? []],
        ['CSS state', element.cssStates ?? []],
      ];

      it('has JSDoc for the element and every public attribute, member, event, slot, part, property and state', () => {
        expect(element.description, 'element description').to.be.a('string').and.not.equal('');
        const undocumented = groups.flatMap(([kind, items]) =>
          items.filter((item) => !item.description?.trim()).map((item) => `${kind} ${item.name}`),
        );
        expect(undocumented).to.deep.equal([]);
      });

      it('is described in the README, every name of the manifest included', () => {
        const section = sectionOf(element.tagName!);
        expect(section, `README section for <${element.tagName}>`).not.to.equal('');
        const mentions = (kind: string, name: string) =>
          section.includes(`\`${name}`) || (kind === 'CSS state' && section.includes(`:state(${name})`));
        const missing = groups.flatMap(([kind, items]) =>
          items.filter((item) => !mentions(kind, item.name)).map((item) => `${kind} ${item.name}`),
        );
        expect(missing).to.deep.equal([]);
      });
    });
  }
});
