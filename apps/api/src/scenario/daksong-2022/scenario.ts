/**
 * The seed district: UBND huyện Đắk Song, 2022, as events. What comes from the seed report and what is
 * made up is said next to each part and in README.md beside this file.
 */
import { documentId, EventType, RecordKind, resolveDocument } from '@reform-ledger/domain';
import type { Submission } from '../../events/validate';

/** A submission the report got wrong: the API refuses it as a user would see, then its correction is recorded. */
export type Anomaly = { anomaly: string; wrong: Submission; expect: { status: number; code: string }; correction: Submission | null; note: string };

const e = (kind: RecordKind, id: string, type: EventType, occurredAt: string, data: Record<string, unknown>): Submission => ({ kind, id, type, occurredAt, data });
const DISTRICT = 'ubnd-dak-song';

// Units. Communes and the Chỉ thị 01 units are from the seed (with the seed's spellings as aliases);
// Thuận Hạnh, the ninth commune, is not named in the seed. Of the departments, Phòng Giáo dục và Đào tạo and
// Phòng Tài nguyên và Môi trường are made up (plausible lead units); the others are named in the seed.
const unit = (id: string, name: string, kind: string, aliases: string[] = [], parentUnitId?: string) =>
  e('unit', id, 'UnitRegistered', '2020-01-01', { name, kind, ...(aliases.length && { aliases }), ...(parentUnitId && { parentUnitId }),
    ...(id === REGISTER_KEEPER && { keepsRegister: true }) });
/** The Văn phòng keeps the district's register of incoming documents: it registers the documents of other bodies. */
export const REGISTER_KEEPER = 'van-phong-hdnd-ubnd';
export const COMMUNES: [string, string, string[]][] = [
  ['ubnd-tt-duc-an', 'UBND thị trấn Đức An', []],
  ['ubnd-xa-nam-binh', 'UBND xã Nam Bình', []],
  // Decomposed (NFD) on purpose, as the seed mixes NFC and NFD: stored NFC.
  ['ubnd-xa-nam-n-jang', 'UBND xã Nâm N’Jang'.normalize('NFD'), []],
  ['ubnd-xa-dak-n-drung', 'UBND xã Đắk N’Drung', ['UBND xã Đăk N’Drung']],
  ['ubnd-xa-thuan-ha', 'UBND xã Thuận Hà', []],
  ['ubnd-xa-dak-mol', 'UBND xã Đắk Môl', ['UBND xã Đăk Mol']],
  ['ubnd-xa-dak-hoa', 'UBND xã Đắk Hòa', ['UBND xã Đăk Hòa']],
  ['ubnd-xa-truong-xuan', 'UBND xã Trường Xuân', []],
  ['ubnd-xa-thuan-hanh', 'UBND xã Thuận Hạnh', []],
];
export const DEPARTMENTS: [string, string][] = [
  ['phong-noi-vu', 'Phòng Nội vụ'],
  ['phong-tu-phap', 'Phòng Tư pháp'],
  ['van-phong-hdnd-ubnd', 'Văn phòng HĐND và UBND huyện'],
  ['phong-van-hoa-thong-tin', 'Phòng Văn hóa – Thông tin'],
  ['phong-giao-duc', 'Phòng Giáo dục và Đào tạo'],
  ['phong-tai-chinh-ke-hoach', 'Phòng Tài chính – Kế hoạch'],
  ['phong-tai-nguyen-moi-truong', 'Phòng Tài nguyên và Môi trường'],
];
/** Chỉ thị 01 visits per unit, exactly as the seed counts them (20 units, 24 visits). */
export const CT01_VISITS: [string, string, string, number][] = [
  ['ubnd-tt-duc-an', '', 'commune', 2], ['ubnd-xa-nam-binh', '', 'commune', 2], ['phong-van-hoa-thong-tin', '', 'department', 1],
  ['hoi-chu-thap-do', 'Hội Chữ thập đỏ huyện', 'mass_organisation', 1], ['ubnd-xa-nam-n-jang', '', 'commune', 1],
  ['ubnd-xa-dak-n-drung', '', 'commune', 2], ['ubnd-xa-thuan-ha', '', 'commune', 2], ['ubnd-xa-dak-mol', '', 'commune', 1],
  ['ubnd-xa-dak-hoa', '', 'commune', 1], ['mn-huong-duong', 'Trường Mầm non Hướng Dương', 'school', 1],
  ['thcs-ly-thuong-kiet', 'Trường THCS Lý Thường Kiệt', 'school', 1], ['th-nguyen-dinh-chieu', 'Trường TH Nguyễn Đình Chiểu', 'school', 1],
  ['thcs-le-quy-don', 'Trường THCS Lê Quý Đôn', 'school', 1], ['th-kim-dong', 'Trường TH Kim Đồng', 'school', 1],
  ['th-trung-vuong', 'Trường TH Trưng Vương', 'school', 1], ['mn-hoa-hong', 'Trường Mầm non Hoa Hồng', 'school', 1],
  ['th-vo-thi-sau', 'Trường TH Võ Thị Sáu', 'school', 1], ['mn-hoa-ban', 'Trường Mầm non Hoa Ban', 'school', 1],
  ['th-thcs-be-van-dan', 'Trường TH&THCS Bế Văn Đàn', 'school', 1], ['thcs-nguyen-du', 'Trường THCS Nguyễn Du', 'school', 1],
];

const units: Submission[] = [
  unit('ubnd-tinh-dak-nong', 'UBND tỉnh Đắk Nông', 'province', ['UBND tỉnh Đăk Nông']),
  // The district is in Đắk Nông: its reports follow the province's cut-offs (annual: 30/11).
  unit(DISTRICT, 'UBND huyện Đắk Song', 'district', ['UBND huyện Đăk Song'], 'ubnd-tinh-dak-nong'),
  unit('vp-chinh-phu', 'Văn phòng Chính phủ', 'central'),
  unit('huyen-uy-dak-song', 'Huyện ủy Đắk Song', 'party_committee', ['Huyện ủy Đăk Song']),
  unit('tinh-uy-dak-nong', 'Tỉnh ủy Đắk Nông', 'party_committee', ['Tỉnh ủy Đăk Nông']),
  ...DEPARTMENTS.map(([id, name]) => unit(id, name, 'department', [], DISTRICT)),
  unit('bo-phan-mot-cua', 'Bộ phận tiếp nhận và trả kết quả huyện', 'other', ['Bộ phận một cửa'], DISTRICT),
  unit('doan-kiem-tra-cchc', 'Đoàn kiểm tra cải cách hành chính huyện', 'inspection_team', [], DISTRICT),
  unit('trung-tam-vhtt-tt', 'Trung tâm Văn hóa thể thao và truyền thông', 'public_service_unit', [], DISTRICT),
  unit('trung-tam-gdnn-gdtx', 'Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên', 'public_service_unit', [], DISTRICT),
  ...COMMUNES.map(([id, name, aliases]) => unit(id, name, 'commune', aliases, DISTRICT)),
  ...CT01_VISITS.filter(([, name]) => name).map(([id, name, kind]) => unit(id, name, kind, [], DISTRICT)),
];

// Documents, as the seed cites them (number forms kept as written: the parser canonicalises them).
const doc = (reference: string, date: string, issuerUnitId: string, documentType: string, title: string, extra: Record<string, unknown> = {}) =>
  e('document', documentId(resolveDocument(reference, date, issuerUnitId)), 'DocumentRegistered', date, { reference, issuerUnitId, documentType, title, ...extra });
export const DOC = {
  plan: doc('39/QĐ-UBND', '2022-01-10', DISTRICT, 'quyet_dinh', 'Phê duyệt Kế hoạch Cải cách hành chính năm 2022'),
  parIndex: doc('108a/KH-UBND', '2022-04-19', DISTRICT, 'ke_hoach', 'Cải thiện chỉ số cải cách hành chính năm 2022'),
  digital: doc('số100/KH-UBND', '2022-04-02', DISTRICT, 'ke_hoach', 'Chuyển đổi số và đảm bảo an toàn thông tin mạng trên địa bàn huyện Đăk Song'),
  party: doc('70 – KH/HU', '2022-01-21', 'huyen-uy-dak-song', 'ke_hoach', 'Triển khai Nghị quyết 09-NQ/TU về chuyển đổi số huyện Đắk Song đến năm 2025'),
  resolution: doc('09-NQ/TU', '2021-11-01', 'tinh-uy-dak-nong', 'nghi_quyet', 'Về chuyển đổi số tỉnh Đăk Nông đến năm 2025, định hướng đến năm 2030'),
  inspectionReport: doc('399/BC-ĐKT', '2022-11-29', 'doan-kiem-tra-cchc', 'bao_cao', 'Kết quả kiểm tra cải cách hành chính năm 2022'),
  legalPlan: doc('81/KH-UBND', '2022-03-28', DISTRICT, 'ke_hoach', 'Kiểm tra công tác tư pháp năm 2022'),
  legalTeam: doc('735/QĐ-UBND', '2022-07-08', DISTRICT, 'quyet_dinh', 'Thành lập Đoàn kiểm tra công tác tư pháp'),
  legalConclusion2: doc('02/TB-TP', '2022-11-12', 'phong-tu-phap', 'thong_bao', 'Thông báo kết luận kiểm tra công tác tư pháp'),
  legalConclusion3: doc('03/TB-TP', '2022-11-12', 'phong-tu-phap', 'thong_bao', 'Thông báo kết luận kiểm tra công tác tư pháp'),
  directive2017: doc('01/CT-UBND', '2017-01-05', 'ubnd-tinh-dak-nong', 'chi_thi', 'Chỉ thị 01/CT-UBND năm 2017 của UBND tỉnh'),
  directive2022: doc('01/CT-UBND', '2022-01-11', 'ubnd-tinh-dak-nong', 'chi_thi', 'Chỉ thị 01/CT-UBND năm 2022 của UBND tỉnh'),
  recruitmentPlan: doc('239/KH-UBND', '2022-09-28', DISTRICT, 'ke_hoach', 'Xét tuyển viên chức sự nghiệp huyện Đắk Song năm 2022'),
  recruitmentNotice: doc('546/TB-UBND', '2022-10-28', DISTRICT, 'thong_bao', 'Tuyển dụng viên chức sự nghiệp công lập huyện Đắk Song năm 2022'),
  recruitmentCouncil: doc('1307/QĐ-UBND', '2022-12-01', DISTRICT, 'quyet_dinh', 'Thành lập Hội đồng tuyển dụng viên chức'),
  communeRecruitment: doc('1192/QĐ-UBND', '2022-11-01', DISTRICT, 'quyet_dinh', 'Phê duyệt kế hoạch tuyển dụng công chức cấp xã năm 2022'),
  // dated in 2021 as the seed writes them, though they report on 2022 — accepted, and flagged by /data-quality.
  q1Report: doc('122/BC-UBND', '2021-03-17', DISTRICT, 'bao_cao', 'Báo cáo kiểm soát TTHC quý I/2022', { reportsOn: { from: '2022-01-01', to: '2022-03-31' } }),
  q2Report: doc('292/BC-UBND', '2021-06-17', DISTRICT, 'bao_cao', 'Báo cáo kiểm soát TTHC quý II/2022', { reportsOn: { from: '2022-04-01', to: '2022-06-30' } }),
  q3Report: doc('427/BC-UBND', '2022-09-15', DISTRICT, 'bao_cao', 'Báo cáo kiểm soát TTHC quý III/2022', { reportsOn: { from: '2022-07-01', to: '2022-09-30' } }),
};
const QPPL_DATES = ['2022-02-22', '2022-04-07', '2022-09-19', '2022-09-19', '2022-09-21', '2022-11-14'];
const APPRAISAL_DATES = ['2022-01-19', '2022-03-08', '2022-04-29', '2022-08-05', '2022-08-11', '2022-11-07'];
const qpplDocs = QPPL_DATES.map((d, i) => doc(`0${i + 1}/2022/QĐ-UBND`, d, DISTRICT, 'quyet_dinh', `Quyết định QPPL số 0${i + 1}/2022`));
const appraisalDocs = APPRAISAL_DATES.map((d, i) => doc(`0${i + 1}/BCTĐ-PTP`, d, 'phong-tu-phap', 'bao_cao_tham_dinh', `Báo cáo thẩm định số 0${i + 1}`));
// The 6 documents that expired by 30/11/2022 are not named in the seed: made up, issued 2016–2019.
const OLD_QPPL_DATES = ['2016-05-10', '2017-03-02', '2017-08-15', '2018-06-20', '2019-02-11', '2019-10-03'];
const oldQpplDocs = OLD_QPPL_DATES.map((d, i) => doc(`0${i + 1}/${d.slice(0, 4)}/QĐ-UBND`, d, DISTRICT, 'quyet_dinh', `Quyết định QPPL ${d.slice(0, 4)} (hết hiệu lực năm 2022)`));

// The plan's 55 tasks. The seed gives only the total; fields, lead units, due and completion dates are made up.
const FIELDS: [string, number][] = [['chi_dao_dieu_hanh', 8], ['the_che', 7], ['thu_tuc_hanh_chinh', 10], ['to_chuc_bo_may', 6],
  ['che_do_cong_vu', 7], ['tai_chinh_cong', 5], ['chinh_quyen_so', 12]];
const LEADS = ['van-phong-hdnd-ubnd', 'phong-noi-vu', 'phong-tu-phap', 'phong-tai-chinh-ke-hoach', 'phong-van-hoa-thong-tin', 'phong-giao-duc', 'phong-tai-nguyen-moi-truong'];
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
export type PlannedTask = { id: string; field: string; lead: string; dueOn: string; completedOn: string; late: boolean; reportedLate: boolean };
export const TASKS: PlannedTask[] = FIELDS.flatMap(([field, count], f) => Array.from({ length: count }, (_, i) => {
  const n = FIELDS.slice(0, f).reduce((s, [, c]) => s + c, 0) + i + 1;
  const dueOn = addDays('2022-03-31', (n * 37) % 240); // 31/03 … 26/11
  const late = n % 9 === 0; // 6 tasks finished after their due date
  const completedOn = late ? addDays(dueOn, 5 + (n % 4)) : addDays(dueOn, -((n * 13) % 40) - 1);
  return { id: `NV-${String(n).padStart(2, '0')}`, field, lead: LEADS[n % LEADS.length], dueOn, completedOn: completedOn > '2022-11-30' ? '2022-11-30' : completedOn, late, reportedLate: n % 11 === 0 };
}));
const taskTitles: Record<string, string> = {
  chi_dao_dieu_hanh: 'Chỉ đạo, điều hành công tác CCHC', the_che: 'Xây dựng, rà soát văn bản', thu_tuc_hanh_chinh: 'Rà soát, đơn giản hóa TTHC',
  to_chuc_bo_may: 'Sắp xếp tổ chức bộ máy', che_do_cong_vu: 'Quản lý cán bộ, công chức', tai_chinh_cong: 'Quản lý tài chính công', chinh_quyen_so: 'Chuyển đổi số',
};

// Recruitment. Quotas and application counts are from the seed; applicants, dates inside the window and the
// five commune titles are made up. Applicants are opaque references only.
const VC_POSITIONS = [
  { positionId: 'gv-mam-non', title: 'Giáo viên mầm non', quota: 2, applications: 1 },
  { positionId: 'gv-tieu-hoc', title: 'Giáo viên tiểu học', quota: 31, applications: 12 },
  { positionId: 'gv-thcs', title: 'Giáo viên THCS', quota: 8, applications: 12 },
  { positionId: 'vien-chuc-vhtt-tt', title: 'Viên chức Trung tâm Văn hóa thể thao và truyền thông', quota: 1, applications: 0 },
  { positionId: 'vien-chuc-gdnn-gdtx', title: 'Viên chức Trung tâm GDNN-GDTX', quota: 1, applications: 1 },
];
const CX_POSITIONS = ['Văn phòng – Thống kê', 'Tài chính – Kế toán', 'Tư pháp – Hộ tịch', 'Địa chính – Xây dựng', 'Văn hóa – Xã hội']
  .map((title, i) => ({ positionId: `cc-xa-${i + 1}`, title, quota: 3 }));

/** Phase 1: what had been reported by the 30/11/2022 cut-off. */
export const phaseOne = (): Submission[] => {
  const entries: Submission[] = [...units, ...Object.values(DOC), ...qpplDocs, ...appraisalDocs, ...oldQpplDocs];
  entries.push(e('plan', 'cchc-2022', 'PlanIssued', '2022-01-10', { title: 'Kế hoạch Cải cách hành chính năm 2022', year: 2022, ownerUnitId: DISTRICT, documentId: DOC.plan.id }));
  for (const t of TASKS) {
    entries.push(e('task', t.id, 'TaskDefined', '2022-01-10', { planId: 'cchc-2022', title: `${taskTitles[t.field]} (${t.id})`, field: t.field, leadUnitId: t.lead, dueOn: t.dueOn }));
  }
  for (const t of TASKS.filter((x) => !x.reportedLate).sort((a, b) => a.completedOn.localeCompare(b.completedOn))) {
    entries.push(e('task', t.id, 'TaskCompleted', t.completedOn, { note: t.late ? 'Hoàn thành chậm so với kế hoạch' : 'Hoàn thành' }));
  }
  // The annual CCHC inspection: 9 communes/towns and the one-stop desk (seed); visit dates made up.
  const annualTargets = [...COMMUNES.map(([id]) => id), 'bo-phan-mot-cua'];
  entries.push(e('inspection', 'kt-cchc-2022', 'InspectionPlanned', '2022-03-01', { title: 'Kiểm tra công tác cải cách hành chính năm 2022', leadUnitId: 'phong-noi-vu', targetUnitIds: annualTargets, periodFrom: '2022-03-01', periodTo: '2022-11-29' }));
  annualTargets.forEach((unitId, i) => entries.push(e('inspection', 'kt-cchc-2022', 'UnitInspected', addDays('2022-08-15', i * 9), { unitId, findings: 'Cơ bản thực hiện tốt nhiệm vụ cải cách hành chính' })));
  entries.push(e('inspection', 'kt-cchc-2022', 'InspectionConcluded', '2022-11-29', { reportDocumentId: DOC.inspectionReport.id, summary: 'Đạt 100% kế hoạch kiểm tra' }));
  // Chỉ thị 01 inspections: 20 units, 24 visits (seed counts); dates made up, from the start of 2022.
  entries.push(e('inspection', 'kt-ct01-2022', 'InspectionPlanned', '2022-01-15', { title: 'Kiểm tra thực hiện Chỉ thị 01/CT-UBND và 17/CT-UBND', leadUnitId: 'van-phong-hdnd-ubnd', targetUnitIds: CT01_VISITS.map(([id]) => id), periodFrom: '2022-01-15', periodTo: '2022-12-31', documentId: DOC.directive2022.id }));
  let visit = 0;
  for (const [unitId, , , visits] of CT01_VISITS) {
    for (let v = 0; v < visits; v++) entries.push(e('inspection', 'kt-ct01-2022', 'UnitInspected', addDays('2022-02-01', (visit++ * 11) % 290), { unitId, findings: 'Chấp hành tốt quy định' }));
  }
  // The legal-work inspection (81/KH-UBND, team 735/QĐ-UBND, conclusions 02/TB-TP and 03/TB-TP); the two units visited are made up.
  entries.push(e('inspection', 'kt-tu-phap-2022', 'InspectionPlanned', '2022-03-28', { title: 'Kiểm tra công tác tư pháp năm 2022', leadUnitId: 'phong-tu-phap', targetUnitIds: ['ubnd-xa-thuan-ha', 'ubnd-xa-truong-xuan'], periodFrom: '2022-07-08', periodTo: '2022-11-12', documentId: DOC.legalPlan.id }));
  entries.push(e('inspection', 'kt-tu-phap-2022', 'InspectionTeamFormed', '2022-07-08', { documentId: DOC.legalTeam.id, memberUnitIds: ['phong-noi-vu'] }));
  entries.push(e('inspection', 'kt-tu-phap-2022', 'UnitInspected', '2022-10-20', { unitId: 'ubnd-xa-thuan-ha' }));
  entries.push(e('inspection', 'kt-tu-phap-2022', 'UnitInspected', '2022-10-27', { unitId: 'ubnd-xa-truong-xuan' }));
  entries.push(e('inspection', 'kt-tu-phap-2022', 'InspectionConcluded', '2022-11-12', { reportDocumentId: DOC.legalConclusion2.id, summary: 'Kết luận tại Thông báo 02/TB-TP và 03/TB-TP' }));
  // QPPL: 6 drafts appraised by 01…06/BCTĐ-PTP and issued as 01…06/2022/QĐ-UBND (seed dates; pairing in order is an assumption).
  QPPL_DATES.forEach((issuedOn, i) => {
    const id = `qppl-2022-0${i + 1}`;
    entries.push(e('legal-document', id, 'DraftRegistered', addDays(APPRAISAL_DATES[i], -14), { title: `Dự thảo Quyết định QPPL số 0${i + 1}/2022`, draftingUnitId: LEADS[i % LEADS.length], appraisalUnitId: 'phong-tu-phap' }));
    entries.push(e('legal-document', id, 'DraftAppraised', APPRAISAL_DATES[i], { appraisingUnitId: 'phong-tu-phap', reportDocumentId: appraisalDocs[i].id, outcome: 'eligible' }));
    entries.push(e('legal-document', id, 'LegalDocumentIssued', issuedOn, { documentId: qpplDocs[i].id }));
  });
  OLD_QPPL_DATES.forEach((issuedOn, i) => {
    const id = `qppl-${issuedOn.slice(0, 4)}-0${i + 1}`;
    entries.push(e('legal-document', id, 'DraftRegistered', addDays(issuedOn, -40), { title: `Dự thảo Quyết định QPPL ${issuedOn.slice(0, 4)}`, draftingUnitId: 'phong-noi-vu', appraisalUnitId: 'phong-tu-phap' }));
    entries.push(e('legal-document', id, 'LegalDocumentIssued', issuedOn, { documentId: oldQpplDocs[i].id }));
    entries.push(e('legal-document', id, 'LegalDocumentExpired', addDays('2022-03-01', i * 40), { scope: 'whole', note: 'Hết hiệu lực toàn bộ' }));
  });
  // Viên chức 2022: 43 quotas, 26 applications (1/12/12/1).
  entries.push(e('recruitment', 'vien-chuc-2022', 'RecruitmentPlanApproved', '2022-09-28', { title: 'Xét tuyển viên chức sự nghiệp huyện Đắk Song năm 2022', recruitmentKind: 'vien_chuc', method: 'xet_tuyen', ownerUnitId: 'phong-noi-vu', documentId: DOC.recruitmentPlan.id, positions: VC_POSITIONS.map(({ applications: _a, ...p }) => p) }));
  entries.push(e('recruitment', 'vien-chuc-2022', 'NoticePublished', '2022-10-28', { applicationsOpenOn: '2022-10-28', applicationsCloseOn: '2022-11-27', documentId: DOC.recruitmentNotice.id }));
  let a = 0;
  for (const p of VC_POSITIONS) {
    for (let i = 0; i < p.applications; i++, a++) entries.push(e('recruitment', 'vien-chuc-2022', 'ApplicationReceived', addDays('2022-10-29', a % 29), { applicationId: `VC-${String(a + 1).padStart(3, '0')}`, positionId: p.positionId, applicantRef: `ung-vien-vc-${String(a + 1).padStart(3, '0')}` }));
  }
  // Công chức cấp xã 2022: 5 titles, 15 quotas; 28 candidates, 27 eligible, 1 not.
  entries.push(e('recruitment', 'cong-chuc-xa-2022', 'RecruitmentPlanApproved', '2022-11-01', { title: 'Tuyển dụng công chức cấp xã năm 2022', recruitmentKind: 'cong_chuc_cap_xa', method: 'xet_tuyen', ownerUnitId: 'phong-noi-vu', documentId: DOC.communeRecruitment.id, positions: CX_POSITIONS }));
  entries.push(e('recruitment', 'cong-chuc-xa-2022', 'NoticePublished', '2022-11-02', { applicationsOpenOn: '2022-11-02', applicationsCloseOn: '2022-11-25' }));
  for (let i = 0; i < 28; i++) entries.push(e('recruitment', 'cong-chuc-xa-2022', 'ApplicationReceived', addDays('2022-11-03', i % 22), { applicationId: `CX-${String(i + 1).padStart(3, '0')}`, positionId: CX_POSITIONS[i % 5].positionId, applicantRef: `ung-vien-cx-${String(i + 1).padStart(3, '0')}` }));
  for (let i = 0; i < 28; i++) entries.push(e('recruitment', 'cong-chuc-xa-2022', 'EligibilityDecided', '2022-11-28', { applicationId: `CX-${String(i + 1).padStart(3, '0')}`, eligible: i !== 13, ...(i === 13 && { reason: 'Không đáp ứng tiêu chuẩn về trình độ chuyên môn' }) }));
  return entries;
};

/** Phase 2: late entries and corrections, recorded after the cut-off (valid times mostly before it). */
export const phaseTwo = (): Submission[] => [
  ...TASKS.filter((t) => t.reportedLate).map((t) => e('task', t.id, 'TaskCompleted', t.completedOn, { note: 'Báo cáo muộn' })),
  e('recruitment', 'vien-chuc-2022', 'CouncilFormed', '2022-12-01', { documentId: DOC.recruitmentCouncil.id }),
];

/** The seed's mistakes, entered as reported, refused, then corrected (see README.md). */
export const anomalies = (): Anomaly[] => [
  {
    anomaly: 'A-05',
    wrong: e('document', 'vp-chinh-phu.2021.1.tt-vpcp', 'DocumentRegistered', '2021-10-21',
      { reference: '01/2020/TT-VPCP', issuerUnitId: 'vp-chinh-phu', documentType: 'thong_tu', title: 'Thông tư 01/2020/TT-VPCP' }),
    expect: { status: 422, code: 'document.year_mismatch' },
    correction: doc('01/2020/TT-VPCP', '2020-10-21', 'vp-chinh-phu', 'thong_tu', 'Thông tư 01/2020/TT-VPCP (ngày ban hành 21/10/2020)'),
    note: '“Thông tư số 01/2020/TT-VPCP, ngày 21/10/2021”: the year in the number contradicts the date.',
  },
  {
    anomaly: 'A-01',
    wrong: e('legal-document', 'qppl-2022-06', 'SelfCheckRecorded', '2022-11-31', { outcome: 'lawful', note: 'Tính đến ngày 31/11/2022' }),
    expect: { status: 400, code: 'request.invalid' },
    correction: e('legal-document', 'qppl-2022-06', 'SelfCheckRecorded', '2022-11-30', { outcome: 'lawful', note: 'Tính đến ngày 30/11/2022' }),
    note: '“Tính đến ngày 31/11/2022”: November has 30 days.',
  },
  {
    anomaly: 'A-07',
    wrong: e('task', 'NV-55', 'TaskProgressReported', '2022-10-15', { progress: { numerator: 10, denominator: 9 }, note: 'Băng rộng bao phủ trên 100% xã, thị trấn' }),
    expect: { status: 422, code: 'ratio.over_total' },
    correction: e('task', 'NV-55', 'TaskProgressReported', '2022-10-15', { progress: { numerator: 9, denominator: 9 }, note: 'Băng rộng bao phủ 9/9 xã, thị trấn' }),
    note: '“bao phủ trên 100% xã, thị trấn”: coverage is a count of the 9 communes, so 9/9 at most.',
  },
];
