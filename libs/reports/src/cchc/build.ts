import { daysBetween, yearOf } from '@reform-ledger/calendar';
import { REFORM_FIELDS, ReformField } from '@reform-ledger/domain';
import type { Appendix, Block, CutNote, Figure, ReportModel, Run, TableRow, Unnumbered } from '../model';
import { numberSections } from '../model';
import { nextPeriodLabel, periodLabel } from '../periods';
import type { PipelineAnswer, TasksAnswer } from '../sources';
import { citeFull, citeShort, upper, viCount, viDate, viNumber, viPercent } from '../vietnamese';
import type { CchcInput } from './gather';

/**
 * The CCHC report (Nghị định 30/2020/NĐ-CP, Phụ lục I layout; the outline of the CCHC reporting regime)
 * from the views' answers at one cut. Pure: the same input gives the same model. Every number in it is
 * read from `input`, and each paragraph that states numbers ends with a footnote naming its cut and source.
 * What the ledger cannot know is left as a marked place to write.
 */

type Task = TasksAnswer['tasks'][number];

const text = (t: string): Run => ({ text: t });
const blank = (prompt: string): Run => ({ text: `[${prompt}]`, placeholder: true });
const para = (...runs: Run[]): Block => ({ kind: 'paragraph', runs });
const toWrite = (prompt: string): Block => para(blank(prompt));
const section = (title: string, blocks: Block[], sections: Unnumbered[] = []): Unnumbered => ({ title, blocks, sections });

const byId = (a: string, b: string) => a.localeCompare(b, 'vi', { numeric: true });
const FIELD_ORDER = Object.keys(REFORM_FIELDS) as ReformField[];

const taskOutcome = (t: Task, day: string): string => {
  if (t.status === 'cancelled') return 'Đã hủy';
  if (t.status === 'done') return t.completedOn! <= t.dueOn ? 'Đúng hạn' : `Chậm ${viNumber(daysBetween(t.dueOn, t.completedOn!))} ngày`;
  return t.dueOn < day ? 'Quá hạn, chưa hoàn thành' : 'Đang thực hiện';
};

/** Where a drive stands at the cut's day, as the report says it. */
const stageSentence = (stage: PipelineAnswer['status'], window: PipelineAnswer['window'], day: string): string => {
  switch (stage) {
    case 'open':
      if (!window) return 'Chưa thông báo tuyển dụng tại lát cắt này.';
      return day < window.from ? 'Chưa đến thời gian nhận phiếu đăng ký dự tuyển.' : 'Đang trong thời gian nhận phiếu đăng ký dự tuyển.';
    case 'applications_closed': return 'Đã hết thời hạn nhận phiếu đăng ký dự tuyển; quy trình tuyển dụng đang tiếp tục thực hiện theo quy định.';
    case 'council_formed': return 'Quy trình tuyển dụng đang tiếp tục thực hiện theo quy định.';
    case 'results_approved': return 'Đang thực hiện các bước tiếp theo đối với người trúng tuyển theo quy định.';
    case 'closed': return 'Đợt tuyển dụng đã kết thúc.';
  }
};

const FINDING_RULES: Record<string, string> = {
  'document.dated_before_reported_period': 'Văn bản ghi ngày trước kỳ báo cáo',
  'document.number_reused': 'Số, ký hiệu văn bản trùng nhau',
  'plan.done_but_late': 'Hoàn thành 100 % nhưng có nhiệm vụ chậm',
};

const issuerLines = (name: string): string[] => (name.startsWith('UBND ') ? ['ỦY BAN NHÂN DÂN', upper(name.slice(5))] : [upper(name)]);
const placeOf = (name: string): string => name.replace(/^(UBND|Ủy ban nhân dân)\s+(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s+/i, '');
const symbolOf = (name: string) => (name.startsWith('UBND ') ? 'BC-UBND' : 'BC');

export const buildCchcReport = (input: CchcInput): ReportModel => {
  const { cut, registry, unit, year, period, day } = input;
  const asOf = encodeURIComponent(cut.asOf ?? day);
  const until = `tính đến hết ngày ${viDate(day)}`;
  const unitName = unit.name;
  const nameOf = (id: string) => registry.units.get(id)?.name ?? id;
  const figures: Figure[] = [];
  const route = (path: string) => `GET /api/v1/${path}${path.includes('?') ? '&' : '?'}asOf=${asOf}&position=${cut.position}`;
  const note = (source: string, path: string): CutNote => ({ cut, source, route: route(path) });
  /** States a figure: records it with its source, returns it as written. */
  const fig = (id: string, value: number, n: CutNote, format: (v: number) => string = viCount) => {
    figures.push({ id, value, note: n });
    return format(value);
  };
  const ending = (t: string, n: CutNote): Run => ({ text: t, footnote: n });

  // Citations: the registry's type, number, date, issuer and subject at first mention; type and number after.
  const mentioned = new Set<string>();
  const cite = (documentId: string | null | undefined): string => {
    const doc = documentId ? registry.documents.get(documentId) : undefined;
    if (!doc) return documentId ? `văn bản ${documentId}` : 'văn bản (chưa đăng ký)';
    if (mentioned.has(doc.id)) return citeShort(doc);
    mentioned.add(doc.id);
    return citeFull({ ...doc, issuerName: nameOf(doc.issuerUnitId) });
  };
  const KIND_ORDER = ['commune', 'department', 'other', 'public_service_unit', 'mass_organisation', 'school'];
  const kindRank = (id: string) => {
    const rank = KIND_ORDER.indexOf(registry.units.get(id)?.kind ?? 'other');
    return rank < 0 ? KIND_ORDER.length : rank;
  };

  const planTasks = input.plans.flatMap((p) => p.tasks.tasks.filter((t) => t.status !== 'cancelled'));
  const planNote = (planId: string) => note(`tiến độ kế hoạch ${planId}`, `plans/${planId}/progress`);
  const tasksNote = (planId: string) => note(`danh sách nhiệm vụ kế hoạch ${planId}`, `plans/${planId}/tasks`);

  // I. Chỉ đạo, điều hành
  const planIssuance: Block[] = input.plans.length
    ? input.plans.map(({ plan }) => para(text(`${unitName} đã ban hành ${plan.documentId ? cite(plan.documentId) : `${plan.title} ngày ${viDate(plan.issuedOn)}`}.`)))
    : [para(text(`Sổ cái chưa ghi nhận kế hoạch cải cách hành chính năm ${year} của ${unitName}.`))];
  planIssuance.push(toWrite('Bổ sung các văn bản chỉ đạo, điều hành khác về cải cách hành chính đã ban hành trong kỳ'));

  const planResults: Block[] = [];
  for (const { plan, progress } of input.plans) {
    const n = planNote(plan.planId);
    const id = (k: string) => `plan.${plan.planId}.${k}`;
    const late = progress.completed - progress.completedOnTime;
    const runs: Run[] = [text(`Theo ${plan.documentId ? cite(plan.documentId) : plan.title}, kế hoạch có tổng số ${fig(id('total'), progress.total, n)} nhiệm vụ. `
      + `Tính đến hết ngày ${viDate(day)}, đã hoàn thành ${fig(id('completed'), progress.completed, n, viNumber)}/${viNumber(progress.total)} nhiệm vụ, `
      + `đạt ${viPercent(progress.completed, progress.total)} kế hoạch; trong đó ${fig(id('completedOnTime'), progress.completedOnTime, n)} nhiệm vụ hoàn thành đúng hạn`
      + `${late > 0 ? `, ${fig(id('completedLate'), late, n)} nhiệm vụ hoàn thành chậm so với thời hạn` : ''}.`)];
    const [overdue, inProgress] = [fig(id('overdue'), progress.overdue, n), fig(id('inProgress'), progress.inProgress, n)];
    runs.push(ending(progress.overdue && progress.inProgress ? ` Còn ${overdue} nhiệm vụ quá hạn chưa hoàn thành và ${inProgress} nhiệm vụ đang thực hiện trong thời hạn.`
      : progress.inProgress ? ` Còn ${inProgress} nhiệm vụ đang thực hiện trong thời hạn; không có nhiệm vụ quá hạn.`
        : progress.overdue ? ` Còn ${overdue} nhiệm vụ quá hạn chưa hoàn thành.` : ' Không còn nhiệm vụ quá hạn hoặc đang thực hiện.', n));
    planResults.push(para(...runs));
    const tn = tasksNote(plan.planId);
    planResults.push(para(text('Kết quả theo từng lĩnh vực (chi tiết từng nhiệm vụ tại Phụ lục I):')));
    planResults.push({
      kind: 'list',
      items: [...progress.byField].sort((a, b) => FIELD_ORDER.indexOf(a.field as ReformField) - FIELD_ORDER.indexOf(b.field as ReformField)).map((f, i, all) => {
        const last = i === all.length - 1;
        const item = `${f.fieldName}: hoàn thành ${fig(`plan.${plan.planId}.field.${f.field}.completed`, f.completed, tn, viNumber)}/${fig(`plan.${plan.planId}.field.${f.field}.total`, f.total, tn, viNumber)} nhiệm vụ`;
        return last ? [ending(`${item}.`, tn)] : [text(`${item};`)];
      }),
    });
  }
  if (!planResults.length) planResults.push(toWrite('Kết quả thực hiện kế hoạch cải cách hành chính'));

  const inspectionSections = input.inspections.map(({ summary, log }) => {
    const n = note(`nhật ký kiểm tra ${summary.inspectionId}`, `inspections/${summary.inspectionId}/log`);
    const id = (k: string) => `inspection.${summary.inspectionId}.${k}`;
    const blocks: Block[] = [];
    const [basis, team] = [summary.documentId, summary.teamDocumentId];
    const units = log.visitsByUnit.length;
    blocks.push(para(
      text(`${basis ? `Thực hiện ${cite(basis)}, ` : ''}${nameOf(summary.leadUnitId)} chủ trì kiểm tra từ ngày ${viDate(summary.periodFrom)} đến ngày ${viDate(summary.periodTo)}`
        + `${team ? `; Đoàn kiểm tra được thành lập theo ${cite(team)}` : ''}. `),
      ending(`${until[0].toUpperCase()}${until.slice(1)}, đã kiểm tra ${fig(id('units'), units, n)} đơn vị với ${fig(id('visits'), log.visits.length, n)} lượt kiểm tra, `
        + `đạt ${fig(id('inspected'), log.coverage.inspected, n, viNumber)}/${fig(id('targets'), log.coverage.targets, n, viNumber)} đơn vị theo kế hoạch `
        + `(${viPercent(log.coverage.inspected, log.coverage.targets)}).`, n),
    ));
    if (log.visitsByUnit.length) {
      const byKind = [...log.visitsByUnit].sort((a, b) => kindRank(a.unitId) - kindRank(b.unitId) || a.unitName.localeCompare(b.unitName, 'vi'));
      blocks.push(para(ending(`Số lượt kiểm tra theo đơn vị: ${byKind.map((u) => `${u.unitName} ${fig(id(`unit.${u.unitId}`), u.visits, n)} lần`).join(', ')} (chi tiết tại Phụ lục II).`, n)));
    }
    const report = summary.reportDocumentId;
    if (log.status === 'concluded') {
      blocks.push(para(text(`Đợt kiểm tra đã kết thúc${summary.concludedOn ? ` ngày ${viDate(summary.concludedOn)}` : ''}`
        + `${report ? `; kết quả kiểm tra tại ${cite(report)}` : ''}${summary.summary ? `; tóm tắt kết luận: “${summary.summary.replace(/\.$/, '')}”` : ''}.`)));
    } else if (log.status === 'in_progress') {
      blocks.push(para(text('Đợt kiểm tra đang tiến hành, chưa có kết luận tại lát cắt này.')));
    } else {
      blocks.push(para(text('Đợt kiểm tra chưa tiến hành lượt kiểm tra nào tại lát cắt này.')));
    }
    // The findings recorded on their own (a visit's notes are in Phụ lục II), those that call for action marked.
    const findings = log.visitsByUnit.flatMap((u) => u.findings.filter((f) => f.requiresAction !== null)
      .map((f) => `${u.unitName} (${viDate(f.on)}): ${f.finding.replace(/\.$/, '')}${f.requiresAction ? ' — yêu cầu khắc phục' : ''}`));
    if (findings.length) blocks.push(para(text(`Các phát hiện, kiến nghị: ${findings.join('; ')}.`)));
    return section(summary.title, blocks);
  });

  // II. Per reform field
  const fieldTasks = (field: ReformField): Block[] => {
    if (!input.plans.length) return [];
    const blocks: Block[] = [];
    for (const { plan, tasks } of input.plans) {
      const inField = tasks.tasks.filter((t) => t.field === field && t.status !== 'cancelled');
      const n = tasksNote(plan.planId);
      const done = inField.filter((t) => t.status === 'done');
      const onTime = done.filter((t) => t.completedOn! <= t.dueOn).length;
      const overdue = inField.filter((t) => t.status === 'open' && t.dueOn < day).length;
      const id = (k: string) => `plan.${plan.planId}.field.${field}.${k}`;
      blocks.push(para(inField.length === 0
        ? text(`${citeShortOr(plan.documentId, plan.title)} không giao nhiệm vụ thuộc lĩnh vực này.`)
        : ending(`${citeShortOr(plan.documentId, plan.title)} giao ${viCount(inField.length)} nhiệm vụ thuộc lĩnh vực này; ${until}, đã hoàn thành `
          + `${viNumber(done.length)}/${viNumber(inField.length)} nhiệm vụ (${fig(id('onTime'), onTime, n)} đúng hạn`
          + `${done.length - onTime > 0 ? `, ${fig(id('late'), done.length - onTime, n)} chậm so với thời hạn` : ''})`
          + `${overdue > 0 ? `; ${fig(id('overdue'), overdue, n)} nhiệm vụ quá hạn chưa hoàn thành` : ''}.`, n)));
    }
    return blocks;
  };
  function citeShortOr(documentId: string | undefined | null, title: string) {
    const doc = documentId ? registry.documents.get(documentId) : undefined;
    return doc ? `Kế hoạch ban hành kèm theo ${citeShort(doc)}` : title;
  }

  const legal = input.legal;
  const legalNote = note('sổ văn bản quy phạm pháp luật', `legal-documents?year=${year}`);
  const issued = legal.documents.filter((d) => d.issuedOn && yearOf(d.issuedOn) === year).sort((a, b) => a.issuedOn!.localeCompare(b.issuedOn!) || byId(a.reference ?? '', b.reference ?? ''));
  const lawSections = [
    section('Xây dựng, thẩm định và ban hành văn bản quy phạm pháp luật', [para(
      text(`Trong năm ${year}, ${until}, đã thẩm định ${fig('legal.appraised', legal.counts.appraised, legalNote)} dự thảo văn bản quy phạm pháp luật; `
        + `${unitName} đã ban hành theo thẩm quyền ${fig('legal.issued', legal.counts.issued, legalNote)} văn bản quy phạm pháp luật${issued.length ? ': ' : '.'}`),
      // The issuer is named by the sentence: type, number and date for each.
      ending(issued.map((d, i) => {
        const doc = d.documentId ? registry.documents.get(d.documentId) : undefined;
        if (doc) mentioned.add(doc.id);
        figures.push({ id: `legal.issued.${d.legalDocumentId}`, value: `${d.reference ?? d.title}|${d.issuedOn}`, note: legalNote });
        return `${doc ? citeShort(doc) : d.title} ngày ${viDate(d.issuedOn!)}${i === issued.length - 1 ? '.' : ';'}`;
      }).join(' '), legalNote),
    )]),
    section('Kiểm tra, rà soát, hệ thống hóa văn bản quy phạm pháp luật', [
      para(ending(`${until[0].toUpperCase()}${until.slice(1)}, ${unitName} có ${fig('legal.inForce', legal.counts.inForce, legalNote)} văn bản quy phạm pháp luật đang còn hiệu lực; `
        + `trong năm ${year} có ${fig('legal.expired', legal.counts.expired, legalNote)} văn bản hết hiệu lực toàn bộ (chi tiết tại Phụ lục III).`, legalNote)),
      toWrite('Kết quả tự kiểm tra, kiểm tra theo thẩm quyền, rà soát, hệ thống hóa văn bản quy phạm pháp luật'),
    ]),
    section('Theo dõi thi hành pháp luật', [toWrite('Kết quả theo dõi tình hình thi hành pháp luật, phổ biến, giáo dục pháp luật')]),
  ];

  const recruitmentSections = input.recruitments.map(({ summary, pipeline }, _i, all) => {
    const kindName = pipeline.kind === 'vien_chuc' ? 'Tuyển dụng viên chức' : 'Tuyển dụng công chức cấp xã';
    const sameKind = all.filter((r) => r.pipeline.kind === pipeline.kind).length > 1;
    const n = note(`quy trình tuyển dụng ${summary.recruitmentId}`, `recruitments/${summary.recruitmentId}/pipeline`);
    const id = (k: string) => `recruitment.${summary.recruitmentId}.${k}`;
    const t = pipeline.totals;
    const blocks: Block[] = [
      para(text(`Thực hiện ${summary.documentId ? cite(summary.documentId) : summary.title}, `),
        ending(`tuyển dụng ${fig(id('quota'), t.quota, n)} chỉ tiêu cho ${viCount(pipeline.positions.length)} vị trí, trong đó:`, n)),
      { kind: 'list', items: pipeline.positions.map((p, i, ps) => [text(`${p.title}: ${fig(id(`position.${p.positionId}.quota`), p.quota, n)} chỉ tiêu${i === ps.length - 1 ? '.' : ';'}`)]) },
    ];
    const { window } = pipeline;
    if (summary.noticeDocumentId || window) {
      blocks.push(para(text(`${summary.noticeDocumentId ? `Đã thông báo tuyển dụng tại ${cite(summary.noticeDocumentId)}` : 'Đã thông báo tuyển dụng'}`
        + `${window ? `; thời gian nhận phiếu đăng ký dự tuyển từ ngày ${viDate(window.from)} đến ngày ${viDate(window.to)}` : ''}.`)));
    }
    // Applications are every one received; those withdrawn are among them, and said so.
    const withdrawn = (count: number, key: string, whole: boolean) => (count === 0 ? ''
      : whole ? ` (kể cả ${fig(key, count, n)} phiếu của thí sinh đã rút hồ sơ)` : ` (${fig(key, count, n)} thí sinh rút hồ sơ)`);
    blocks.push(para(ending(`Số phiếu đăng ký dự tuyển: ${fig(id('applications'), t.applications, n)} phiếu${withdrawn(t.withdrawn, id('withdrawn'), true)}`
      + `${t.applications ? ', trong đó:' : '.'}`, n)));
    if (t.applications) {
      blocks.push({ kind: 'list', items: pipeline.positions.map((p, i, ps) => [text(`${p.title}: ${fig(id(`position.${p.positionId}.applications`), p.applications, n)} phiếu`
        + `${withdrawn(p.withdrawn, id(`position.${p.positionId}.withdrawn`), false)}${i === ps.length - 1 ? '.' : ';'}`)]) });
    }
    const decided = t.eligible + t.ineligible;
    blocks.push(para(decided
      ? ending(`Kết quả xét điều kiện dự tuyển: ${fig(id('eligible'), t.eligible, n)} thí sinh đủ điều kiện, ${fig(id('ineligible'), t.ineligible, n)} thí sinh không đủ điều kiện`
        + `${t.pending > 0 ? `; ${fig(id('pending'), t.pending, n)} phiếu chưa xét` : ''}.`, n)
      : text('Chưa có kết quả xét điều kiện dự tuyển tại lát cắt này.')));
    // Where the drive stands at the cut, in the words of its steps.
    const stage = pipeline.status;
    if (stage === 'council_formed' || stage === 'results_approved' || (stage === 'closed' && summary.councilDocumentId)) {
      blocks.push(para(text(`Hội đồng tuyển dụng ${summary.councilDocumentId ? `được thành lập theo ${cite(summary.councilDocumentId)}` : 'đã được thành lập'}.`)));
    }
    if (stage === 'results_approved' || (stage === 'closed' && summary.resultDocumentId)) {
      blocks.push(para(text(`Kết quả tuyển dụng ${summary.resultDocumentId ? `được phê duyệt theo ${cite(summary.resultDocumentId)}` : 'đã được phê duyệt'}.`)));
    }
    if (t.passed || t.appointed) {
      blocks.push(para(ending(`Đã có ${fig(id('passed'), t.passed, n)} thí sinh trúng tuyển, ${fig(id('appointed'), t.appointed, n)} người đã được tuyển dụng.`, n)));
    }
    blocks.push(para(text(stageSentence(stage, window, day))));
    return section(sameKind ? `${kindName}: ${summary.title}` : kindName, blocks);
  });

  const fieldSections: Record<Exclude<ReformField, 'chi_dao_dieu_hanh'>, Unnumbered[]> = {
    the_che: lawSections,
    thu_tuc_hanh_chinh: [
      section('Kiểm soát, rà soát, công bố, công khai thủ tục hành chính', [toWrite('Số thủ tục hành chính được công bố, công khai; kết quả rà soát, đơn giản hóa thủ tục hành chính')]),
      section('Thực hiện cơ chế một cửa, một cửa liên thông', [
        para(text('Sổ cái chưa ghi nhận hồ sơ thủ tục hành chính tại Bộ phận một cửa; số liệu dưới đây lấy từ Hệ thống thông tin giải quyết thủ tục hành chính: ')),
        para(text('Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng hẹn: '), blank('…… % (số hồ sơ đúng hẹn/tổng số hồ sơ đã giải quyết)'), text('; '),
          blank('mức độ hài lòng của người dân, tổ chức; số hồ sơ quá hạn và văn bản xin lỗi'), text('.')),
      ]),
    ],
    to_chuc_bo_may: [
      section('Sắp xếp tổ chức bộ máy, quản lý biên chế', [toWrite('Số cơ quan chuyên môn, đơn vị sự nghiệp; biên chế được giao và có mặt năm ' + year + ' (sổ cái chưa ghi nhận số liệu biên chế)')]),
      ...(recruitmentSections.length ? recruitmentSections : [section('Tuyển dụng viên chức, công chức', [para(text(`Sổ cái chưa ghi nhận đợt tuyển dụng nào của ${unitName} trong năm ${year} tại lát cắt này.`))])]),
    ],
    che_do_cong_vu: [
      section('Vị trí việc làm và cơ cấu ngạch công chức', [toWrite('Kết quả bố trí cán bộ, công chức theo vị trí việc làm')]),
      section('Đào tạo, bồi dưỡng cán bộ, công chức, viên chức', [toWrite('Số lớp, số lượt cán bộ, công chức, viên chức được đào tạo, bồi dưỡng')]),
      section('Kỷ luật, kỷ cương hành chính', [toWrite('Kết quả thực hiện kỷ luật, kỷ cương hành chính')]),
    ],
    tai_chinh_cong: [section('Cơ chế tự chủ tài chính', [toWrite('Kết quả thực hiện cơ chế tự chủ đối với cơ quan hành chính và đơn vị sự nghiệp công lập')])],
    chinh_quyen_so: [section('Ứng dụng công nghệ thông tin, chuyển đổi số', [toWrite('Kết quả xây dựng chính quyền điện tử, chính quyền số; dịch vụ công trực tuyến')])],
  };

  const opening = [para(text('Thực hiện '), blank('văn bản hướng dẫn chế độ báo cáo cải cách hành chính của cấp trên'),
    text(`, ${unitName} báo cáo kết quả công tác cải cách hành chính ${periodLabel(year, period)} (số liệu ${until}) như sau:`))];

  // Sections in reading order: citations resolve first mention in this order.
  const sectionI = section('CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH', [], [
    section('Ban hành kế hoạch và văn bản chỉ đạo, điều hành', planIssuance),
    section('Kết quả thực hiện kế hoạch cải cách hành chính', planResults),
    section('Công tác kiểm tra cải cách hành chính', inspectionSections.length ? [] : [para(text(`Sổ cái chưa ghi nhận đợt kiểm tra nào trong năm ${year} tại lát cắt này.`))], inspectionSections),
    section('Công tác tuyên truyền cải cách hành chính', [toWrite('Kết quả thông tin, tuyên truyền về cải cách hành chính')]),
  ]);
  const sectionII = section('KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH', [],
    (Object.keys(fieldSections) as (keyof typeof fieldSections)[]).map((field) => section(REFORM_FIELDS[field], fieldTasks(field), fieldSections[field])));

  const late = planTasks.filter((t) => t.status === 'done' && t.completedOn! > t.dueOn).length;
  const overdue = planTasks.filter((t) => t.status === 'open' && t.dueOn < day).length;
  const shortcomings: Block[] = [];
  if (late || overdue) {
    const n = input.plans.length === 1 ? tasksNote(input.plans[0].plan.planId) : note('danh sách nhiệm vụ', 'plans');
    shortcomings.push(para(ending(`Theo số liệu của sổ cái, ${late ? `${fig('tasks.late', late, n)} nhiệm vụ hoàn thành chậm so với thời hạn` : ''}`
      + `${late && overdue ? '; ' : ''}${overdue ? `${fig('tasks.overdue', overdue, n)} nhiệm vụ quá hạn chưa hoàn thành` : ''} (chi tiết tại Phụ lục I).`, n)));
  }
  if (input.findings.length) {
    shortcomings.push(para(ending(`Có ${fig('findings', input.findings.length, note('kiểm tra chất lượng số liệu', 'data-quality'))} điểm về số liệu cần được kiểm tra, làm rõ trước khi ký ban hành báo cáo (chi tiết tại Phụ lục V).`,
      note('kiểm tra chất lượng số liệu', 'data-quality'))));
  }
  shortcomings.push(toWrite('Tồn tại, hạn chế trong công tác cải cách hành chính'));
  const sectionIII = section('ĐÁNH GIÁ CHUNG', [], [
    section('Ưu điểm', [toWrite('Ưu điểm, kết quả nổi bật')]),
    section('Tồn tại, hạn chế', shortcomings),
    section('Nguyên nhân', [toWrite('Nguyên nhân của tồn tại, hạn chế (khách quan, chủ quan)')]),
  ]);
  const sectionIV = section(`PHƯƠNG HƯỚNG, NHIỆM VỤ ${upper(nextPeriodLabel(year, period))}`, [toWrite(`Nhiệm vụ trọng tâm ${nextPeriodLabel(year, period)}`)]);
  const sectionV = section('ĐỀ XUẤT, KIẾN NGHỊ', [toWrite('Đề xuất, kiến nghị với cơ quan cấp trên (nếu có)')]);
  const sections = numberSections([sectionI, sectionII, sectionIII, sectionIV, sectionV]);

  const closing = [para(text(`Trên đây là báo cáo công tác cải cách hành chính ${periodLabel(year, period)} của ${unitName}./.`))];
  const isCommittee = unitName.startsWith('UBND ');
  const symbol = symbolOf(unitName);
  const issueYear = yearOf(day);
  const attached = `(Kèm theo Báo cáo số        /${symbol} ngày      tháng      năm ${issueYear} của ${unitName})`;

  return {
    title: `Báo cáo công tác cải cách hành chính ${periodLabel(year, period)} — ${unitName} (dự thảo)`,
    heading: {
      issuer: issuerLines(unitName),
      numberLine: `Số:        /${symbol}`,
      placeAndDate: `${placeOf(unitName)}, ngày       tháng       năm ${issueYear}`,
      kind: 'BÁO CÁO',
      subject: `Công tác cải cách hành chính ${periodLabel(year, period)}`,
      draft: true,
    },
    opening,
    sections,
    closing,
    signature: {
      recipients: [
        ...(input.parent ? [[text(`- ${input.parent.name} (b/c);`)]] : []),
        [text('- '), blank('bổ sung nơi nhận'), text(';')],
        [text('- Lưu: VT.')],
      ],
      capacity: isCommittee ? 'TM. ỦY BAN NHÂN DÂN' : null,
      position: isCommittee ? 'CHỦ TỊCH' : '[CHỨC VỤ NGƯỜI KÝ]',
      name: blank('Họ và tên người ký'),
    },
    appendices: appendices(input, { day, attached, nameOf }),
    ledger: { cut, treeHead: input.treeHead },
    figures,
  };
};

const appendices = (input: CchcInput, { day, attached, nameOf }: { day: string; attached: string; nameOf: (id: string) => string }): Appendix[] => {
  const { year, registry } = input;
  const none = (columns: number): TableRow[] => [{ cells: ['', 'Không có dữ liệu tại lát cắt này', ...Array(columns - 2).fill('')] }];
  const numbered = (rows: (string[] | { group: string } | { cells: string[]; bold: true })[]): TableRow[] => {
    let n = 0;
    return rows.map((r) => (Array.isArray(r) ? { cells: [String(++n), ...r] } : r));
  };

  const taskRows = input.plans.flatMap(({ plan, tasks }) => [
    ...(input.plans.length > 1 ? [{ group: plan.title }] : []),
    ...FIELD_ORDER.flatMap((field, i) => {
      const inField = tasks.tasks.filter((t) => t.field === field).sort((a, b) => byId(a.taskId, b.taskId));
      if (!inField.length) return [];
      const done = inField.filter((t) => t.status === 'done').length;
      return [
        { group: `${i + 1}. ${REFORM_FIELDS[field]} (${viCount(inField.length)} nhiệm vụ; đã hoàn thành ${viCount(done)})` },
        ...inField.map((t) => [t.title, nameOf(t.leadUnitId), viDate(t.dueOn), t.completedOn ? viDate(t.completedOn) : '', taskOutcome(t, day)]),
      ];
    }),
  ]);

  const visitRows = input.inspections.flatMap(({ summary, log }) => [
    { group: `${summary.title} (${viCount(log.visitsByUnit.length)} đơn vị, ${viCount(log.visits.length)} lượt kiểm tra)` },
    ...log.visits.map((v) => [v.unitName, viDate(v.date), v.findings ?? '']),
  ]);

  const legalRows = [...input.legal.documents]
    .sort((a, b) => (a.issuedOn ?? a.draftedOn).localeCompare(b.issuedOn ?? b.draftedOn) || byId(a.legalDocumentId, b.legalDocumentId))
    .map((d) => {
      const doc = d.documentId ? registry.documents.get(d.documentId) : undefined;
      const status = d.status === 'draft' ? 'Dự thảo' : d.status === 'expired' ? `Hết hiệu lực toàn bộ từ ${viDate(d.expiredOn!)}`
        : d.partlyExpired ? 'Còn hiệu lực (hết hiệu lực một phần)' : 'Còn hiệu lực';
      return [d.reference ?? '', d.issuedOn ? viDate(d.issuedOn) : '', doc?.title ?? d.title, nameOf(d.draftingUnitId), d.appraisedOn.map(viDate).join(', '), status];
    });

  const recruitmentRows = input.recruitments.flatMap(({ summary, pipeline }) => [
    { group: summary.title },
    ...pipeline.positions.map((p) => [p.title, ...[p.quota, p.applications, p.withdrawn, p.eligible, p.ineligible, p.passed, p.appointed].map(viNumber)]),
    { cells: ['', 'Cộng', ...[pipeline.totals.quota, pipeline.totals.applications, pipeline.totals.withdrawn, pipeline.totals.eligible, pipeline.totals.ineligible,
      pipeline.totals.passed, pipeline.totals.appointed].map(viNumber)], bold: true as const },
  ]);

  const severity = (s: string) => (s === 'warning' ? 'Cần kiểm tra lại' : 'Lưu ý');
  const recordName = (record: string) => {
    const [kind, id] = [record.slice(0, record.indexOf(':')), record.slice(record.indexOf(':') + 1)];
    const doc = kind === 'document' ? registry.documents.get(id) : undefined;
    if (doc) return `${doc.reference} (${viDate(doc.date)})`;
    return kind === 'plan' ? `Kế hoạch ${id}` : record;
  };
  const findingRows = input.findings.map((f) => [FINDING_RULES[f.rule] ?? f.rule, f.detail, severity(f.severity), f.record.split(', ').map(recordName).join('; ')]);

  const table = (columns: Appendix['table']['columns'], rows: (string[] | { group: string } | { cells: string[]; bold: true })[]) =>
    ({ columns, rows: rows.length ? numbered(rows) : none(columns.length) });
  const center = 'center' as const;
  const right = 'right' as const;
  return [
    { number: 'I', title: `KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ THEO KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM ${year}`, subtitle: attached, notes: [],
      table: table([{ header: 'STT', width: 5, align: center }, { header: 'Nhiệm vụ', width: 32 }, { header: 'Đơn vị chủ trì', width: 24 },
        { header: 'Thời hạn', width: 11, align: center }, { header: 'Ngày hoàn thành', width: 12, align: center }, { header: 'Kết quả', width: 16, align: center }], taskRows) },
    { number: 'II', title: `CÁC LƯỢT KIỂM TRA CẢI CÁCH HÀNH CHÍNH NĂM ${year}`, subtitle: attached, notes: [],
      table: table([{ header: 'STT', width: 6, align: center }, { header: 'Đơn vị được kiểm tra', width: 38 }, { header: 'Ngày kiểm tra', width: 14, align: center },
        { header: 'Kết quả kiểm tra', width: 42 }], visitRows) },
    { number: 'III', title: `SỔ VĂN BẢN QUY PHẠM PHÁP LUẬT NĂM ${year}`, subtitle: attached, notes: [],
      table: table([{ header: 'STT', width: 5, align: center }, { header: 'Số, ký hiệu', width: 14, align: center }, { header: 'Ngày ban hành', width: 11, align: center },
        { header: 'Trích yếu', width: 24 }, { header: 'Đơn vị soạn thảo', width: 16 }, { header: 'Ngày thẩm định', width: 11, align: center },
        { header: 'Tình trạng hiệu lực', width: 19 }], legalRows) },
    { number: 'IV', title: `KẾT QUẢ TUYỂN DỤNG THEO VỊ TRÍ NĂM ${year}`, subtitle: attached, notes: [],
      table: table([{ header: 'STT', width: 5, align: center }, { header: 'Vị trí tuyển dụng', width: 31 }, { header: 'Chỉ tiêu', width: 8, align: right },
        { header: 'Phiếu đăng ký', width: 9, align: right }, { header: 'Trong đó rút hồ sơ', width: 9, align: right },
        { header: 'Đủ điều kiện', width: 9, align: right }, { header: 'Không đủ điều kiện', width: 10, align: right },
        { header: 'Trúng tuyển', width: 10, align: right }, { header: 'Đã tuyển dụng', width: 10, align: right }], recruitmentRows) },
    { number: 'V', title: 'CÁC ĐIỂM CẦN LƯU Ý', subtitle: attached,
      notes: [{ kind: 'paragraph', runs: [{ text: 'Các số liệu đã được ghi nhận đúng như báo cáo của đơn vị nhưng có dấu hiệu cần xem lại (kiểm tra chất lượng số liệu của sổ cái tại cùng lát cắt). Đề nghị kiểm tra, làm rõ trước khi ký ban hành.', italic: true }] }],
      table: findingRows.length
        ? table([{ header: 'STT', width: 5, align: center }, { header: 'Loại', width: 18 }, { header: 'Nội dung', width: 51 }, { header: 'Mức độ', width: 10, align: center },
          { header: 'Văn bản, kế hoạch', width: 16 }], findingRows)
        : { columns: [{ header: 'STT', width: 5, align: center }, { header: 'Nội dung', width: 95 }], rows: [{ cells: ['', 'Không có điểm cần lưu ý tại lát cắt này.'] }] } },
  ];
};
