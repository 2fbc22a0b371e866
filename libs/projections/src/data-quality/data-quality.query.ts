import { defineQuery, UnitFilter } from '../reader';
import { plansQuery, progressQuery } from '../plan-progress/plan-progress.query';
import { planProgressView } from '../plan-progress/plan-progress.view';
import { registeredDocuments, unitNames } from '../registry/registry.query';
import { registryView } from '../registry/registry.view';
import { doneButLate, PlanTally, reportsDatedBeforeTheirPeriod, reusedNumbers } from './data-quality.rules';

/** The data-quality findings at a cut (data-quality.rules.ts); with `unitId`, about the documents it issued and the plans it owns. */
export const dataQualityQuery = defineQuery([registryView, planProgressView], async (at, filter: UnitFilter = {}) => {
  const documents = await registeredDocuments(at);
  const mine = documents.filter((d) => filter.unitId === undefined || d.issuerUnitId === filter.unitId);
  const tallies: PlanTally[] = [];
  for (const { planId, title } of (await plansQuery.run(at, { unitId: filter.unitId })).plans) {
    const progress = await progressQuery.run(at, planId);
    if (progress) tallies.push({ ...progress, title });
  }
  const names = await unitNames(at);
  // A number reused by this unit and another is worth seeing from either side.
  const reused = reusedNumbers(documents, (id) => names.get(id) ?? id).filter((f) => filter.unitId === undefined || mine.some((d) => f.record.split(', ').includes(`document:${d.documentId}`)));
  return { findings: [...reportsDatedBeforeTheirPeriod(mine), ...reused, ...doneButLate(tallies)], cut: at.answered };
});
