import { dayOf, IsoDate, yearOf } from '@reform-ledger/calendar';
import { Inspection, inspection } from '@reform-ledger/domain';
import type { FeedEvent } from '@reform-ledger/ledger';
import { dataOf, recordOf, Routed, View, withDomain } from '../view';

/** A finding at a unit: the notes of a visit (requiresAction unknown) or a finding recorded on its own. */
export type VisitFinding = { on: IsoDate; finding: string; requiresAction: boolean | null };
export type UnitVisits = { unitId: string; visits: { date: IsoDate; findings?: string }[]; findings: VisitFinding[] };

/** The documents an inspection's events cite: its plan or basis, the team's decision, the report or notice that concludes it, and the conclusion's summary. */
export type InspectionDocuments = { documentId?: string; teamDocumentId?: string; reportDocumentId?: string; summary?: string };
/** An inspection as the view keeps it: the domain's state, with the documents its events cite. */
export type InspectionEntry = Exclude<Inspection, { status: 'absent' }> & InspectionDocuments;

const documentsOf = (e: FeedEvent): InspectionDocuments => {
  const d = dataOf(e);
  if (e.type === 'InspectionPlanned') return d.documentId ? { documentId: d.documentId } : {};
  if (e.type === 'InspectionTeamFormed') return d.documentId ? { teamDocumentId: d.documentId } : {};
  if (e.type === 'InspectionConcluded') return { ...(d.reportDocumentId && { reportDocumentId: d.reportDocumentId }), ...(d.summary && { summary: d.summary }) };
  return {};
};

/**
 * Inspections (listed by the year their period starts, folded by the domain's evolve, with the
 * documents their events cite) and, per inspection, the visits to each unit.
 */
export const inspectionLogView = {
  name: 'inspection-log',
  version: 4,
  types: ['InspectionPlanned', 'InspectionTeamFormed', 'UnitInspected', 'FindingRecorded', 'InspectionConcluded'],
  route: (e) => {
    const { id } = recordOf(e.streamId);
    const routed: Routed[] = [{ kind: 'inspection', entity: id, scope: e.type === 'InspectionPlanned' ? String(yearOf(dataOf(e).periodFrom)) : undefined }];
    if (e.type === 'UnitInspected' || e.type === 'FindingRecorded') routed.push({ kind: 'visits', entity: `${id}/${dataOf(e).unitId}`, scope: id });
    return routed;
  },
  evolve: (kind, state, e) => {
    if (kind === 'inspection') {
      // The domain's state, which the view does not change, keeps the links of the events before it; an event the domain ignores adds none.
      const next = withDomain(inspection)(state, e);
      return next === state ? state : { ...next, ...documentsOf(e) };
    }
    const d = dataOf(e);
    const visits = (state as UnitVisits | null) ?? { unitId: d.unitId, visits: [], findings: [] };
    const on = dayOf(e.occurredAt);
    if (e.type === 'UnitInspected') {
      return {
        ...visits,
        visits: [...visits.visits, { date: on, ...(d.findings && { findings: d.findings }) }],
        findings: d.findings ? [...visits.findings, { on, finding: d.findings, requiresAction: null }] : visits.findings,
      } satisfies UnitVisits;
    }
    if (e.type === 'FindingRecorded') return { ...visits, findings: [...visits.findings, { on, finding: d.finding, requiresAction: d.requiresAction === true }] };
    return visits;
  },
} as const satisfies View<'inspection-log'>;
