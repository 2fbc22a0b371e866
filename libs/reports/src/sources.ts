import type { Document, DocumentType, IsoDate, Unit, UnitKind } from '@reform-ledger/domain';
import type { Ledger } from '@reform-ledger/ledger';
import type { AnsweredCut, CutQuery, TemporalStore, ViewName, ViewQueries } from '@reform-ledger/projections';

/**
 * What a report is made from: the views' answers at one cut, the registry's names, the document links
 * that the views do not carry yet (read from the record's own stream at the same cut), and the
 * ledger's signed tree head.
 */

/** A signed Merkle tree head (RFC 9162 style) over the whole ledger, as issue 11 will publish it. */
export type SignedTreeHead = { treeSize: number; rootHash: string; keyId: string; signature: string; timestamp: string };
export type TreeHeadSource = () => Promise<SignedTreeHead | null>;
/** Until the ledger signs tree heads, there is none: the report says so on its last page. */
export const noSignedTreeHead: TreeHeadSource = async () => null;

export type ReportSources = { queries: ViewQueries; store: TemporalStore; ledger: Ledger; treeHead: TreeHeadSource };

type Answer<K extends 'plans' | 'progress' | 'tasks' | 'inspections' | 'inspectionLog' | 'recruitments' | 'pipeline' | 'legalDocuments' | 'dataQuality'> =
  NonNullable<Awaited<ReturnType<ViewQueries[K]>>>;
export type PlansAnswer = Answer<'plans'>;
export type ProgressAnswer = Answer<'progress'>;
export type TasksAnswer = Answer<'tasks'>;
export type InspectionsAnswer = Answer<'inspections'>;
export type InspectionLogAnswer = Answer<'inspectionLog'>;
export type RecruitmentsAnswer = Answer<'recruitments'>;
export type PipelineAnswer = Answer<'pipeline'>;
export type LegalDocumentsAnswer = Answer<'legalDocuments'>;
export type DataQualityAnswer = Answer<'dataQuality'>;
export type Finding = DataQualityAnswer['findings'][number];

export type UnitInfo = { id: string; name: string; kind: UnitKind; parentUnitId?: string };
export type DocumentInfo = { id: string; reference: string; date: IsoDate; documentType: DocumentType; title?: string; issuerUnitId: string };
export type Registry = { units: Map<string, UnitInfo>; documents: Map<string, DocumentInfo> };

/** Units and documents as the registry view holds them at a cut. */
export const readRegistry = async ({ queries, store }: Pick<ReportSources, 'queries' | 'store'>, query: CutQuery): Promise<Registry> => {
  const { cut, generations } = await queries.cut(['registry'], query);
  const registry: Registry = { units: new Map(), documents: new Map() };
  if (!generations.registry) return registry;
  for (const { entity, state } of await store.list<Unit>('registry', generations.registry, 'unit', 'all', cut)) {
    if (state.status === 'absent') continue;
    registry.units.set(entity, { id: entity, name: state.name, kind: state.kind, ...(state.status === 'active' && state.parentUnitId && { parentUnitId: state.parentUnitId }) });
  }
  for (const { entity, state } of await store.list<Document>('registry', generations.registry, 'document', 'all', cut)) {
    if (state.status !== 'registered') continue;
    registry.documents.set(entity, { id: entity, reference: state.reference, date: state.date, documentType: state.documentType, title: state.title, issuerUnitId: state.issuerUnitId });
  }
  return registry;
};

export const ancestorsOf = (unitId: string, units: Map<string, UnitInfo>): UnitInfo[] => {
  const chain: UnitInfo[] = [];
  for (let id = units.get(unitId)?.parentUnitId; id && chain.length < 20; id = units.get(id)?.parentUnitId) {
    const unit = units.get(id);
    if (!unit) break;
    chain.push(unit);
  }
  return chain;
};

/** The unit itself and every unit below it. */
export const subtreeOf = (unitId: string, units: Map<string, UnitInfo>): Set<string> =>
  new Set([...units.keys()].filter((id) => id === unitId || ancestorsOf(id, units).some((a) => a.id === unitId)));

/** A document a record links to through one of its events (a plan's decision, an inspection's report). */
export type Link = { event: string; on: IsoDate; documentId: string };
/** A record's own events at the cut: for the links the views do not carry (yet), and a drive's owner. */
export type RecordFacts = { links: Link[]; ownerUnitId?: string; summary?: string; window?: { from: IsoDate; to: IsoDate } };

const endOfDay = (asOf: string) => (asOf.length === 10 ? `${asOf}T23:59:59.999Z` : asOf);

export const recordFacts = async (ledger: Ledger, streamId: string, cut: AnsweredCut): Promise<RecordFacts> => {
  const events = (await ledger.readStream(streamId, { validUntil: cut.asOf ? endOfDay(cut.asOf) : undefined })).filter((e) => e.globalPosition <= cut.position);
  const facts: RecordFacts = { links: [] };
  for (const e of events) {
    const data = e.data as Record<string, unknown>;
    for (const key of ['documentId', 'reportDocumentId']) {
      if (typeof data[key] === 'string') facts.links.push({ event: e.type, on: e.occurredAt.slice(0, 10), documentId: data[key] as string });
    }
    if (typeof data.ownerUnitId === 'string') facts.ownerUnitId = data.ownerUnitId;
    if (e.type === 'InspectionConcluded' && typeof data.summary === 'string') facts.summary = data.summary;
    if (e.type === 'NoticePublished') facts.window = { from: data.applicationsOpenOn as IsoDate, to: data.applicationsCloseOn as IsoDate };
  }
  return facts;
};

export const REPORT_VIEWS: ViewName[] = ['plan-progress', 'inspection-log', 'recruitment-pipeline', 'legal-register', 'registry'];
