import { DOMParser, Element as XmlElement } from '@xmldom/xmldom';
import { strFromU8, unzipSync } from 'fflate';

/** Reads a generated DOCX back as its XML parts, for tests: paragraphs' text, sections, headers, footnotes. */
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export type DocxPart = { xml: string; root: XmlElement };

const all = (node: XmlElement, name: string): XmlElement[] => Array.from(node.getElementsByTagNameNS(W, name)) as unknown as XmlElement[];
const attr = (node: XmlElement | undefined, name: string) => node?.getAttributeNS(W, name) ?? node?.getAttribute(`w:${name}`) ?? null;
/** A paragraph's text, with no-break spaces as plain ones. */
const textOf = (p: XmlElement) => all(p, 't').map((t) => t.textContent ?? '').join('').replace(/\u00a0/g, ' ');

export const readDocx = (buffer: Buffer) => {
  const files = unzipSync(new Uint8Array(buffer));
  const part = (name: string): DocxPart => {
    if (!files[name]) throw new Error(`no ${name} in the DOCX`);
    const xml = strFromU8(files[name]);
    return { xml, root: new DOMParser().parseFromString(xml, 'text/xml').documentElement as unknown as XmlElement };
  };
  const document = part('word/document.xml');
  const rels = part('word/_rels/document.xml.rels');
  const target = (id: string | null) => {
    const rel = (Array.from(rels.root.getElementsByTagName('Relationship')) as unknown as XmlElement[]).find((r) => r.getAttribute('Id') === id);
    return part(`word/${rel!.getAttribute('Target')}`);
  };
  const body = all(document.root, 'body')[0];
  const sections = all(body, 'sectPr').map((s) => ({
    size: { w: Number(attr(all(s, 'pgSz')[0], 'w')), h: Number(attr(all(s, 'pgSz')[0], 'h')), orient: attr(all(s, 'pgSz')[0], 'orient') },
    margins: Object.fromEntries(['top', 'bottom', 'left', 'right'].map((k) => [k, Number(attr(all(s, 'pgMar')[0], k))])),
    titlePage: all(s, 'titlePg').length > 0,
    headers: Object.fromEntries(all(s, 'headerReference').map((h) => [attr(h, 'type'), target(h.getAttributeNS(R, 'id') ?? h.getAttribute('r:id'))])) as Record<string, DocxPart>,
  }));
  const paragraphs = all(body, 'p').map((p) => ({
    text: textOf(p),
    footnotes: all(p, 'footnoteReference').map((f) => Number(attr(f, 'id'))),
    justified: attr(all(p, 'jc')[0], 'val') === 'both',
    firstLine: Number(attr(all(p, 'ind')[0], 'firstLine') ?? 0),
    highlighted: all(p, 'highlight').length > 0,
  }));
  const footnotes = new Map(all(part('word/footnotes.xml').root, 'footnote')
    .filter((f) => Number(attr(f, 'id')) > 0)
    .map((f) => [Number(attr(f, 'id')), all(f, 'p').map(textOf).join(' ').trim()]));
  const tables = all(body, 'tbl').map((t) => ({
    rows: all(t, 'tr').map((tr) => ({ header: all(tr, 'tblHeader').length > 0, cells: all(tr, 'tc').map((tc) => all(tc, 'p').map(textOf).join('\n')) })),
    borders: all(all(t, 'tblBorders')[0] ?? t, 'top').map((b) => attr(b, 'val')),
  }));
  const styles = part('word/styles.xml');
  const defaults = all(all(styles.root, 'rPrDefault')[0], 'rFonts')[0];
  const fontsUsed = new Set([document, styles, part('word/footnotes.xml'), ...sections.flatMap((s) => Object.values(s.headers))]
    .flatMap((p) => all(p.root, 'rFonts').flatMap((f) => ['ascii', 'hAnsi', 'eastAsia', 'cs'].map((k) => attr(f, k)).filter((v): v is string => !!v))));
  return {
    paragraphs,
    text: paragraphs.map((p) => p.text).join('\n'),
    sections,
    footnotes,
    tables,
    defaultFonts: Object.fromEntries(['ascii', 'hAnsi', 'eastAsia', 'cs'].map((k) => [k, attr(defaults, k)])),
    defaultSize: Number(attr(all(all(styles.root, 'rPrDefault')[0], 'sz')[0], 'val')),
    fontsUsed,
    headerText: (h: DocxPart) => all(h.root, 'p').map(textOf).join('\n'),
    hasPageField: (h: DocxPart) => /PAGE/.test(all(h.root, 'instrText').map((i) => i.textContent).join(' ')) || all(h.root, 'fldSimple').some((f) => /PAGE/.test(attr(f, 'instr') ?? '')),
  };
};
