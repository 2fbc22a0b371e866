import type { StoredEvent } from '@reform-ledger/ledger';
import { inspectionLogQuery, unitVisits } from './inspection-log/inspection-log.query';
import { legalDocumentsQuery } from './legal-register/legal-register.query';
import { progressQuery, tasksQuery } from './plan-progress/plan-progress.query';
import type { At, CutQuery, ViewReader } from './reader';
import { applicationsOf, pipelineQuery } from './recruitment-pipeline/recruitment-pipeline.query';
import type { View } from './view';

/** How a view is compared between two cuts: the parameter that names what is compared, its entities, the streams that feed them. */
type Diffable = {
  views: readonly View[];
  /** The query parameter naming the compared thing: a plan, an inspection, a drive, a year. */
  key: string;
  /** The name of an entity's id in `changed`. */
  entity: string;
  answer(at: At, id: string): Promise<unknown | null>;
  entities(at: At, id: string): Promise<Map<string, unknown>>;
  streams(id: string, entityIds: string[]): string[];
};

const byId = <T>(items: T[], id: (item: T) => string) => new Map(items.map((item) => [id(item), item as unknown]));

/** The views an audit diff compares, keyed by view name. */
export const DIFFABLE = {
  'plan-progress': {
    views: progressQuery.views, key: 'planId', entity: 'taskId',
    answer: (at, planId) => progressQuery.run(at, planId),
    entities: async (at, planId) => byId((await tasksQuery.run(at, planId))?.tasks ?? [], (t) => t.taskId),
    streams: (planId, taskIds) => [`plan:${planId}`, ...taskIds.map((t) => `task:${t}`)],
  },
  'inspection-log': {
    views: inspectionLogQuery.views, key: 'inspectionId', entity: 'unitId',
    answer: (at, inspectionId) => inspectionLogQuery.run(at, inspectionId),
    entities: (at, inspectionId) => unitVisits(at, inspectionId),
    streams: (inspectionId) => [`inspection:${inspectionId}`],
  },
  'recruitment-pipeline': {
    views: pipelineQuery.views, key: 'recruitmentId', entity: 'applicationId',
    answer: (at, recruitmentId) => pipelineQuery.run(at, recruitmentId),
    entities: (at, recruitmentId) => applicationsOf(at, recruitmentId),
    streams: (recruitmentId) => [`recruitment:${recruitmentId}`],
  },
  'legal-register': {
    views: legalDocumentsQuery.views, key: 'year', entity: 'legalDocumentId',
    answer: (at, year) => legalDocumentsQuery.run(at, { year: Number(year) }),
    entities: async (at, year) => byId((await legalDocumentsQuery.run(at, { year: Number(year) })).documents, (d) => d.legalDocumentId),
    streams: (_year, ids) => ids.map((id) => `legal-document:${id}`),
  },
} as const satisfies Record<string, Diffable>;
export type DiffableView = keyof typeof DIFFABLE;

/**
 * What changed in a view between two cuts (positions or moments, read at the same `asOf`): the view
 * at both cuts, the entities that changed (tasks, visits per unit, applications, documents) with
 * their state before and after, and the events recorded in between on the streams that feed them.
 * Null when the compared thing does not exist at the later cut.
 */
export const diffView = async (reader: ViewReader, view: DiffableView, id: string, from: CutQuery, to: CutQuery) => {
  const spec: Diffable = DIFFABLE[view];
  const [before, after] = [await reader.at(spec.views, from), await reader.at(spec.views, to)];
  const later = await spec.answer(after, id);
  if (later === null) return null;
  const earlier = await spec.answer(before, id);
  const [was, is] = [await spec.entities(before, id), await spec.entities(after, id)];
  const ids = [...new Set([...was.keys(), ...is.keys()])].sort();
  const changed = ids
    .map((entity) => ({ [spec.entity]: entity, before: was.get(entity) ?? null, after: is.get(entity) ?? null }))
    .filter((c) => JSON.stringify(c.before) !== JSON.stringify(c.after));
  const [fromPosition, toPosition] = [before.answered.position, after.answered.position];
  const events: StoredEvent[] = (await Promise.all(spec.streams(id, ids).map((s) => reader.ledger.readStream(s))))
    .flat()
    .filter((e) => e.globalPosition > fromPosition && e.globalPosition <= toPosition)
    .sort((a, b) => a.globalPosition - b.globalPosition);
  return { view, [spec.key]: id, from: earlier ?? { cut: before.answered }, to: later, changed, events };
};
