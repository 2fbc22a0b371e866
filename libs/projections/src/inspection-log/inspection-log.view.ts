import { dayOf, IsoDate, yearOf } from '@reform-ledger/calendar';
import { inspection } from '@reform-ledger/domain';
import { dataOf, recordOf, Routed, View, withDomain } from '../view';

/** A finding at a unit: the notes of a visit (requiresAction unknown) or a finding recorded on its own. */
export type VisitFinding = { on: IsoDate; finding: string; requiresAction: boolean | null };
export type UnitVisits = { unitId: string; visits: { date: IsoDate; findings?: string }[]; findings: VisitFinding[] };

/** Inspections (listed by the year their period starts, folded by the domain's evolve) and, per inspection, the visits to each unit. */
export const inspectionLogView = {
  name: 'inspection-log',
  version: 2,
  types: ['InspectionPlanned', 'InspectionTeamFormed', 'UnitInspected', 'FindingRecorded', 'InspectionConcluded'],
  route: (e) => {
    const { id } = recordOf(e.streamId);
    const routed: Routed[] = [{ kind: 'inspection', entity: id, scope: e.type === 'InspectionPlanned' ? String(yearOf(dataOf(e).periodFrom)) : undefined }];
    if (e.type === 'UnitInspected' || e.type === 'FindingRecorded') routed.push({ kind: 'visits', entity: `${id}/${dataOf(e).unitId}`, scope: id });
    return routed;
  },
  evolve: (kind, state, e) => {
    if (kind === 'inspection') return withDomain(inspection)(state, e);
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
