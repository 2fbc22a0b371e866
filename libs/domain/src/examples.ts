import type { DocumentEvent } from './documents/document';
import type { InspectionEvent } from './inspections/inspection';
import type { LegalDocumentEvent } from './legal-documents/legal-document';
import type { PlanEvent } from './plans/plan';
import type { TaskEvent } from './plans/task';
import type { RecruitmentEvent } from './recruitment/recruitment';
import type { UnitEvent } from './units/unit';
import type { OccurredAt } from '@reform-ledger/calendar';

type Overrides<E extends { data: unknown }> = Partial<E['data']> & { occurredAt?: OccurredAt };
type Builder<E extends { type: string; occurredAt: OccurredAt; data: unknown }> = (overrides?: Overrides<E>) => E;

/**
 * Example events of the seed district, as builders: sensible defaults, any field overridable,
 * `occurredAt` too. Specs build their histories with them; the API shows them as OpenAPI examples.
 */
const builder = <E extends { type: string; occurredAt: OccurredAt; data: unknown }>(
  type: E['type'], occurredAt: OccurredAt, defaults: E['data'],
): Builder<E> =>
  ({ occurredAt: at = occurredAt, ...data } = {}) => ({ type, occurredAt: at, data: { ...(defaults as object), ...data } }) as E;

type Of<U extends { type: string }, T extends U['type']> = Extract<U, { type: T }>;

/** When the specs' ledger receives their commands: 27/11/2026, 10:00 in Vietnam. */
export const RECEIVED_AT = '2026-11-27T10:00:00+07:00';

/** Seed units used by the builders' defaults (ids as the demo keys use them). */
export const UNITS = {
  district: 'ubnd-dak-song',
  homeAffairs: 'phong-noi-vu',
  justice: 'phong-tu-phap',
  culture: 'phong-van-hoa-thong-tin',
  namBinh: 'ubnd-xa-nam-binh',
  ducAn: 'ubnd-tt-duc-an',
  province: 'ubnd-tinh-dak-nong',
  /** Keeps the register of incoming documents. */
  office: 'van-phong-hdnd-ubnd',
} as const;

export const unitRegistered = builder<Of<UnitEvent, 'UnitRegistered'>>('UnitRegistered', '2020-01-01', {
  name: 'Phòng Nội vụ huyện Đắk Song', kind: 'department', parentUnitId: UNITS.district,
});
export const unitRenamed = builder<Of<UnitEvent, 'UnitRenamed'>>('UnitRenamed', '2022-07-01', { name: 'Phòng Nội vụ' });
export const unitAliasAdded = builder<Of<UnitEvent, 'UnitAliasAdded'>>('UnitAliasAdded', '2022-01-01', { alias: 'Phòng Nội vụ huyện Đăk Song' });
export const unitMerged = builder<Of<UnitEvent, 'UnitMerged'>>('UnitMerged', '2025-07-01', { intoUnitId: UNITS.district });
export const unitDissolved = builder<Of<UnitEvent, 'UnitDissolved'>>('UnitDissolved', '2025-07-01', {});

export const documentRegistered = builder<Of<DocumentEvent, 'DocumentRegistered'>>('DocumentRegistered', '2022-01-10', {
  reference: '39/QĐ-UBND', issuerUnitId: UNITS.district, documentType: 'quyet_dinh',
  title: 'Phê duyệt Kế hoạch Cải cách hành chính năm 2022',
});
export const documentCorrected = builder<Of<DocumentEvent, 'DocumentCorrected'>>('DocumentCorrected', '2022-01-11', {
  title: 'Về việc phê duyệt Kế hoạch Cải cách hành chính năm 2022', reason: 'Trích yếu ghi thiếu',
});

/** Seed document ids (see documentId). */
export const DOCUMENTS = {
  plan2022: 'ubnd-dak-song.2022.39.qd-ubnd',
  inspectionReport: 'ubnd-dak-song.2022.399.bc-dkt',
  appraisal01: 'phong-tu-phap.2022.1.bctd-ptp',
  qppl01: 'ubnd-dak-song.2022.1.qd-ubnd',
  recruitmentPlan: 'ubnd-dak-song.2022.239.kh-ubnd',
} as const;

export const planIssued = builder<Of<PlanEvent, 'PlanIssued'>>('PlanIssued', '2022-01-10', {
  title: 'Kế hoạch Cải cách hành chính năm 2022', year: 2022, ownerUnitId: UNITS.district, documentId: DOCUMENTS.plan2022,
});
export const planAmended = builder<Of<PlanEvent, 'PlanAmended'>>('PlanAmended', '2022-04-19', { reason: 'Bổ sung nhiệm vụ cải thiện chỉ số CCHC' });

export const taskDefined = builder<Of<TaskEvent, 'TaskDefined'>>('TaskDefined', '2022-01-10', {
  planId: 'cchc-2022', title: 'Rà soát, đánh giá thủ tục hành chính', field: 'thu_tuc_hanh_chinh',
  leadUnitId: UNITS.homeAffairs, supportingUnitIds: [UNITS.justice], dueOn: '2022-11-30',
});
export const taskReassigned = builder<Of<TaskEvent, 'TaskReassigned'>>('TaskReassigned', '2022-07-01', {
  leadUnitId: UNITS.justice, reason: 'Phân công lại',
});
export const taskDueChanged = builder<Of<TaskEvent, 'TaskDueChanged'>>('TaskDueChanged', '2022-06-01', { dueOn: '2022-12-15' });
export const taskProgressReported = builder<Of<TaskEvent, 'TaskProgressReported'>>('TaskProgressReported', '2022-06-30', {
  progress: { numerator: 3, denominator: 5 },
});
export const taskCompleted = builder<Of<TaskEvent, 'TaskCompleted'>>('TaskCompleted', '2022-11-20', {});
export const taskReopened = builder<Of<TaskEvent, 'TaskReopened'>>('TaskReopened', '2022-11-25', { reason: 'Sản phẩm chưa đạt' });
export const taskCancelled = builder<Of<TaskEvent, 'TaskCancelled'>>('TaskCancelled', '2022-09-01', { reason: 'Không còn phù hợp' });

export const inspectionPlanned = builder<Of<InspectionEvent, 'InspectionPlanned'>>('InspectionPlanned', '2022-03-01', {
  title: 'Kiểm tra công tác cải cách hành chính năm 2022', leadUnitId: UNITS.homeAffairs,
  targetUnitIds: [UNITS.namBinh, UNITS.ducAn], periodFrom: '2022-03-01', periodTo: '2022-11-30',
});
export const inspectionTeamFormed = builder<Of<InspectionEvent, 'InspectionTeamFormed'>>('InspectionTeamFormed', '2022-03-05', { memberCount: 5, memberUnitIds: [UNITS.justice] });
export const unitInspected = builder<Of<InspectionEvent, 'UnitInspected'>>('UnitInspected', '2022-05-12', {
  unitId: UNITS.namBinh, findings: 'Chấp hành tốt quy định',
});
export const findingRecorded = builder<Of<InspectionEvent, 'FindingRecorded'>>('FindingRecorded', '2022-05-12', {
  unitId: UNITS.namBinh, finding: 'Hồ sơ quá hạn chưa có thư xin lỗi', requiresAction: true,
});
export const inspectionConcluded = builder<Of<InspectionEvent, 'InspectionConcluded'>>('InspectionConcluded', '2022-11-29', {
  reportDocumentId: DOCUMENTS.inspectionReport,
});

export const draftRegistered = builder<Of<LegalDocumentEvent, 'DraftRegistered'>>('DraftRegistered', '2022-01-05', {
  title: 'Dự thảo Quyết định ban hành quy chế', draftingUnitId: UNITS.homeAffairs, appraisalUnitId: UNITS.justice,
});
export const draftAppraised = builder<Of<LegalDocumentEvent, 'DraftAppraised'>>('DraftAppraised', '2022-01-19', {
  appraisingUnitId: UNITS.justice, outcome: 'eligible',
});
export const legalDocumentIssued = builder<Of<LegalDocumentEvent, 'LegalDocumentIssued'>>('LegalDocumentIssued', '2022-02-22', {
  documentId: DOCUMENTS.qppl01,
});
export const selfCheckRecorded = builder<Of<LegalDocumentEvent, 'SelfCheckRecorded'>>('SelfCheckRecorded', '2022-03-01', { outcome: 'lawful' });
export const reviewRecorded = builder<Of<LegalDocumentEvent, 'ReviewRecorded'>>('ReviewRecorded', '2022-10-01', { outcome: 'keep' });
export const legalDocumentExpired = builder<Of<LegalDocumentEvent, 'LegalDocumentExpired'>>('LegalDocumentExpired', '2022-11-30', { scope: 'whole' });

export const recruitmentPlanApproved = builder<Of<RecruitmentEvent, 'RecruitmentPlanApproved'>>('RecruitmentPlanApproved', '2022-09-28', {
  title: 'Tuyển dụng viên chức năm 2022', recruitmentKind: 'vien_chuc', method: 'xet_tuyen', ownerUnitId: UNITS.homeAffairs,
  positions: [
    { positionId: 'gv-mam-non', title: 'Giáo viên mầm non', quota: 2 },
    { positionId: 'gv-thcs', title: 'Giáo viên THCS', quota: 1 },
  ],
});
export const noticePublished = builder<Of<RecruitmentEvent, 'NoticePublished'>>('NoticePublished', '2022-10-28', {
  applicationsOpenOn: '2022-10-28', applicationsCloseOn: '2022-11-27',
});
export const applicationReceived = builder<Of<RecruitmentEvent, 'ApplicationReceived'>>('ApplicationReceived', '2022-11-02', {
  applicationId: 'VC-001', positionId: 'gv-mam-non', applicantRef: 'applicant-7f3a',
});
export const applicationWithdrawn = builder<Of<RecruitmentEvent, 'ApplicationWithdrawn'>>('ApplicationWithdrawn', '2022-11-10', { applicationId: 'VC-001' });
export const eligibilityDecided = builder<Of<RecruitmentEvent, 'EligibilityDecided'>>('EligibilityDecided', '2022-11-29', {
  applicationId: 'VC-001', eligible: true,
});
export const councilFormed = builder<Of<RecruitmentEvent, 'CouncilFormed'>>('CouncilFormed', '2022-12-01', {});
export const roundHeld = builder<Of<RecruitmentEvent, 'RoundHeld'>>('RoundHeld', '2022-12-10', { round: 1 });
export const resultApproved = builder<Of<RecruitmentEvent, 'ResultApproved'>>('ResultApproved', '2022-12-20', { passedApplicationIds: ['VC-001'] });
export const candidateAppointed = builder<Of<RecruitmentEvent, 'CandidateAppointed'>>('CandidateAppointed', '2022-12-25', { applicationId: 'VC-001' });
export const recruitmentClosed = builder<Of<RecruitmentEvent, 'RecruitmentClosed'>>('RecruitmentClosed', '2022-12-31', {});
