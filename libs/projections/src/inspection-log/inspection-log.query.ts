import { At, defineQuery, UnitFilter } from '../reader';
import { unitNames } from '../registry/registry.query';
import { registryView } from '../registry/registry.view';
import { InspectionEntry, inspectionLogView, UnitVisits } from './inspection-log.view';

/**
 * Inspections of a year (by the start of their period), with status, coverage and the documents they
 * cite (plan, team, concluding report) and the conclusion; with `unitId`, those it leads, is on the
 * team of (`memberUnitIds`: it records visits and findings with the lead) or visits.
 */
export const inspectionsQuery = defineQuery([inspectionLogView], async (at, filter: UnitFilter & { year?: number } = {}) => {
  const items = await at.list<InspectionEntry>(inspectionLogView, 'inspection', filter.year === undefined ? null : String(filter.year));
  return {
    inspections: items
      .filter(({ state }) => filter.unitId === undefined || state.leadUnitId === filter.unitId || state.memberUnitIds.includes(filter.unitId)
        || state.targetUnitIds.includes(filter.unitId))
      .map(({ entity, state }) => ({
        inspectionId: entity, title: state.title, leadUnitId: state.leadUnitId, memberUnitIds: state.memberUnitIds, periodFrom: state.periodFrom, periodTo: state.periodTo,
        status: state.status, targets: state.targetUnitIds.length, inspected: state.visited.length,
        documentId: state.documentId ?? null, teamDocumentId: state.teamDocumentId ?? null,
        concludedOn: state.status === 'concluded' ? state.concludedOn : null, reportDocumentId: state.reportDocumentId ?? null, summary: state.summary ?? null,
      })),
    cut: at.answered,
  };
});

/** Each visited unit's visits and findings under an inspection, keyed by unit. */
export const unitVisits = async (at: At, inspectionId: string): Promise<Map<string, UnitVisits>> =>
  new Map((await at.list<UnitVisits>(inspectionLogView, 'visits', inspectionId))
    .filter(({ state }) => state.visits.length > 0 || state.findings.length > 0)
    .map(({ state }) => [state.unitId, state]));

/**
 * The inspection log: visits in date order, the visits and findings of each unit, coverage of the
 * targets. With `unitId`, that unit's part only (its visits, and whether it was covered).
 */
export const inspectionLogQuery = defineQuery([inspectionLogView, registryView], async (at, inspectionId: string, filter: UnitFilter = {}) => {
  const inspection = await at.one<InspectionEntry | { status: 'absent' }>(inspectionLogView, 'inspection', inspectionId);
  if (!inspection || inspection.status === 'absent') return null;
  const mine = (unitId: string) => filter.unitId === undefined || unitId === filter.unitId;
  const units = [...(await unitVisits(at, inspectionId)).values()].filter((u) => mine(u.unitId));
  const names = await unitNames(at);
  const nameOf = (unitId: string) => names.get(unitId) ?? unitId;
  const visits = units
    .flatMap((u) => u.visits.map((v) => ({ unitId: u.unitId, unitName: nameOf(u.unitId), date: v.date, findings: v.findings ?? null })))
    .sort((a, b) => a.date.localeCompare(b.date) || a.unitId.localeCompare(b.unitId));
  const visitsByUnit = units
    .filter((u) => u.visits.length > 0)
    .map((u) => ({ unitId: u.unitId, unitName: nameOf(u.unitId), visits: u.visits.length, findings: u.findings }));
  const visited = new Set(visitsByUnit.map((u) => u.unitId));
  const targets = inspection.targetUnitIds.filter(mine);
  return {
    inspectionId,
    unitId: filter.unitId ?? null,
    title: inspection.title,
    status: inspection.status,
    visits,
    visitsByUnit,
    coverage: { targets: targets.length, inspected: targets.filter((u) => visited.has(u)).length },
    cut: at.answered,
  };
});
