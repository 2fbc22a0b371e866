import { RECORD_KINDS, RecordKind } from '@reform-ledger/domain';

/** The URL collection of each kind of record: POST /api/v1/{collection}/{id}/events. */
export const COLLECTIONS: Record<string, RecordKind> = {
  units: 'unit', documents: 'document', plans: 'plan', tasks: 'task', inspections: 'inspection',
  'legal-documents': 'legal-document', recruitments: 'recruitment',
};

export const collectionOf = (kind: RecordKind): string => Object.keys(COLLECTIONS).find((c) => COLLECTIONS[c] === kind)!;

/** A kind from its name or its collection: `task` or `tasks`. */
export const kindNamed = (name: unknown): RecordKind | undefined => {
  if (typeof name !== 'string') return undefined;
  if ((RECORD_KINDS as readonly string[]).includes(name)) return name as RecordKind;
  return Object.hasOwn(COLLECTIONS, name) ? COLLECTIONS[name] : undefined;
};
