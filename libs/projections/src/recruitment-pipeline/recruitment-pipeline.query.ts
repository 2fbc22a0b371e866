import type { IsoDate } from '@reform-ledger/calendar';
import { At, defineQuery, UnitFilter } from '../reader';
import { Application, Drive, recruitmentPipelineView } from './recruitment-pipeline.view';

/** Where a drive stands, as a manager names it. */
export type Stage = 'open' | 'applications_closed' | 'council_formed' | 'results_approved' | 'closed';

/** The stage of a drive on `day`: closed, results approved, council formed, applications closed (the window is over), else open. */
export const stageOf = (drive: Drive, day: IsoDate): Stage => {
  if (drive.status === 'closed') return 'closed';
  if (drive.resultApprovedOn) return 'results_approved';
  if (drive.councilFormedOn) return 'council_formed';
  if (drive.window && day > drive.window.to) return 'applications_closed';
  return 'open';
};

export type ApplicationStatus = 'received' | 'withdrawn' | 'eligible' | 'ineligible' | 'passed' | 'appointed';
const statusOf = (a: Application): ApplicationStatus =>
  a.appointed ? 'appointed' : a.passed ? 'passed' : a.withdrawn ? 'withdrawn' : a.eligible === true ? 'eligible' : a.eligible === false ? 'ineligible' : 'received';

/**
 * Recruitment drives of a year, with kind, stage and the documents of their steps (the plan's approval,
 * the notice, the council, the result); with `unitId`, the drives it owns.
 */
export const recruitmentsQuery = defineQuery([recruitmentPipelineView], async (at, filter: UnitFilter & { year?: number } = {}) => {
  const drives = await at.list<Drive>(recruitmentPipelineView, 'drive', filter.year === undefined ? null : String(filter.year));
  return {
    recruitments: drives
      .filter(({ state }) => filter.unitId === undefined || state.ownerUnitId === filter.unitId)
      .map(({ entity, state }) => ({
        recruitmentId: entity, title: state.title, kind: state.recruitmentKind, method: state.method, documentId: state.documentId ?? null,
        ownerUnitId: state.ownerUnitId, approvedOn: state.approvedOn, status: stageOf(state, at.day),
        noticeDocumentId: state.noticeDocumentId ?? null, councilDocumentId: state.councilDocumentId ?? null, resultDocumentId: state.resultDocumentId ?? null,
      })),
    cut: at.answered,
  };
});

/** A drive's applications at the cut, each with its status, keyed by application id. */
export const applicationsOf = async (at: At, recruitmentId: string) =>
  new Map((await at.list<Application>(recruitmentPipelineView, 'application', recruitmentId)).map(({ entity, state }) => [
    entity.slice(recruitmentId.length + 1),
    { applicationId: entity.slice(recruitmentId.length + 1), positionId: state.positionId, receivedOn: state.receivedOn, status: statusOf(state) },
  ]));

/**
 * The pipeline per position and in total: quota; applications (every one received, withdrawn ones
 * included); of those withdrawn; eligible and ineligible (the decisions made); pending (received, not
 * withdrawn, not decided yet); passed; appointed.
 */
export const pipelineQuery = defineQuery([recruitmentPipelineView], async (at, recruitmentId: string) => {
  const drive = await at.one<Drive>(recruitmentPipelineView, 'drive', recruitmentId);
  if (!drive) return null;
  const applications = (await at.list<Application>(recruitmentPipelineView, 'application', recruitmentId)).map((a) => a.state);
  const count = (positionId: string | null) => {
    const apps = applications.filter((a) => positionId === null || a.positionId === positionId);
    return {
      applications: apps.length,
      withdrawn: apps.filter((a) => a.withdrawn).length,
      eligible: apps.filter((a) => a.eligible === true).length,
      ineligible: apps.filter((a) => a.eligible === false).length,
      pending: apps.filter((a) => !a.withdrawn && a.eligible === null).length,
      passed: apps.filter((a) => a.passed).length,
      appointed: apps.filter((a) => a.appointed).length,
    };
  };
  return {
    recruitmentId,
    title: drive.title,
    kind: drive.recruitmentKind,
    status: stageOf(drive, at.day),
    window: drive.window ?? null,
    positions: drive.positions.map((p) => ({ positionId: p.positionId, title: p.title, quota: p.quota, ...count(p.positionId) })),
    totals: { quota: drive.positions.reduce((sum, p) => sum + p.quota, 0), ...count(null) },
    cut: at.answered,
  };
});
