import type { IsoDate } from '@reform-ledger/calendar';
import type { DocumentType } from '@reform-ledger/domain';
import {
  At, dataQualityQuery, inspectionLogQuery, inspectionsQuery, legalDocumentsQuery, pipelineQuery, plansQuery, progressQuery, recruitmentsQuery,
  registeredDocuments, RegisteredUnit, registeredUnits, tasksQuery, View, ViewQuery, ViewReader,
} from '@reform-ledger/projections';

/**
 * What a report is made from: the views' answers at one cut (read through their own queries), the
 * registry's names, and the ledger's signed tree head.
 */

/** A signed Merkle tree head (RFC 9162) over the ledger, as GET /api/v1/audit/tree-head gives it (the ledger's TreeHead). */
export type SignedTreeHead = { treeSize: number; rootHash: string; lastPosition: number; keyId: string; signature: string; timestamp: string };
/** The signed head that covers a cut's position (null when none does yet): the report's last page carries it. */
export type TreeHeadSource = (position: number) => Promise<SignedTreeHead | null>;

export type ReportSources = { reader: ViewReader; treeHead: TreeHeadSource };

/** A query's answer, when there is one. */
type AnswerOf<Q> = Q extends ViewQuery<any, infer R> ? NonNullable<R> : never;
export type PlansAnswer = AnswerOf<typeof plansQuery>;
export type ProgressAnswer = AnswerOf<typeof progressQuery>;
export type TasksAnswer = AnswerOf<typeof tasksQuery>;
export type InspectionsAnswer = AnswerOf<typeof inspectionsQuery>;
export type InspectionLogAnswer = AnswerOf<typeof inspectionLogQuery>;
export type RecruitmentsAnswer = AnswerOf<typeof recruitmentsQuery>;
export type PipelineAnswer = AnswerOf<typeof pipelineQuery>;
export type LegalDocumentsAnswer = AnswerOf<typeof legalDocumentsQuery>;
export type DataQualityAnswer = AnswerOf<typeof dataQualityQuery>;
export type Finding = DataQualityAnswer['findings'][number];

/** Every view the CCHC report reads: its cut is resolved once over all of them. */
export const REPORT_VIEWS: readonly View[] = [...new Set([plansQuery, progressQuery, tasksQuery, inspectionsQuery, inspectionLogQuery, recruitmentsQuery,
  pipelineQuery, legalDocumentsQuery, dataQualityQuery].flatMap((q) => q.views))];

export type UnitInfo = RegisteredUnit;
export type DocumentInfo = { id: string; reference: string; date: IsoDate; documentType: DocumentType; title?: string; issuerUnitId: string };
export type Registry = { units: Map<string, UnitInfo>; documents: Map<string, DocumentInfo> };

/** Units and documents as the registry view holds them at a cut. */
export const readRegistry = async (at: At): Promise<Registry> => ({
  units: await registeredUnits(at),
  documents: new Map((await registeredDocuments(at)).map((d) => [d.documentId, {
    id: d.documentId, reference: d.reference, date: d.date, documentType: d.documentType, title: d.title, issuerUnitId: d.issuerUnitId,
  }])),
});
