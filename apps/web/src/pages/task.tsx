import { api, must, Schemas } from '../api/client';
import { useSession, useUnitName } from '../context';
import { date, num } from '../format';
import { label, TASK_STATUS } from '../labels';
import { cutKey, cutQuery, navigate, useCut, useLoad } from '../route';
import { Card, Loaded } from '../ui';
import { LateTag } from './tasks';

type HistoryEvent = Schemas['TaskHistory']['events'][number];

/** What an event did, in words. */
export const EVENT_NAME: Record<string, string> = {
  TaskDefined: 'Giao nhiệm vụ', TaskReassigned: 'Chuyển đơn vị chủ trì', TaskDueChanged: 'Điều chỉnh hạn', TaskProgressReported: 'Báo cáo tiến độ',
  TaskCompleted: 'Hoàn thành', TaskReopened: 'Mở lại', TaskCancelled: 'Hủy nhiệm vụ',
  UnitRegistered: 'Đăng ký đơn vị', UnitRenamed: 'Đổi tên', UnitAliasAdded: 'Thêm tên gọi khác', UnitMerged: 'Sáp nhập', UnitDissolved: 'Giải thể',
  DocumentRegistered: 'Đăng ký văn bản', DocumentCorrected: 'Đính chính văn bản', PlanIssued: 'Ban hành kế hoạch', PlanAmended: 'Sửa đổi kế hoạch',
  InspectionPlanned: 'Lập kế hoạch kiểm tra', InspectionTeamFormed: 'Thành lập đoàn', UnitInspected: 'Kiểm tra tại đơn vị', FindingRecorded: 'Ghi nhận kết quả',
  InspectionConcluded: 'Kết luận kiểm tra', DraftRegistered: 'Đăng ký dự thảo', DraftAppraised: 'Thẩm định dự thảo', LegalDocumentIssued: 'Ban hành văn bản',
  LegalDocumentExpired: 'Hết hiệu lực', RecruitmentPlanApproved: 'Phê duyệt kế hoạch tuyển dụng', NoticePublished: 'Thông báo tuyển dụng',
  ApplicationReceived: 'Tiếp nhận hồ sơ', ApplicationWithdrawn: 'Rút hồ sơ', EligibilityDecided: 'Xét điều kiện', CouncilFormed: 'Thành lập hội đồng',
  ResultsApproved: 'Phê duyệt kết quả', CandidateAppointed: 'Tuyển dụng',
};

/** Recorded late: after a mark, though it happened on or before a day the ledger had reached then. */
export const LateEntry = ({ late }: { late: HistoryEvent['recordedLate'] }) =>
  late ? (
    <span className="tag late" data-testid="recorded-late" title={`Ghi sau mốc «${late.afterMark}», khi sổ cái đã có dữ liệu đến ngày ${date(late.ledgerReached)}`}>
      ghi muộn (sau mốc «{late.afterMark}»)
    </span>
  ) : null;

/** A task's page: where it stands at the cut, and its history (what happened, recorded when and by whom, late entries marked). */
export const TaskPage = ({ taskId }: { taskId: string }) => {
  const { cut, unitId } = useCut();
  const { me } = useSession();
  const unitName = useUnitName();
  const history = useLoad(() => must(api.GET('/api/v1/tasks/{taskId}/history', {
    params: { path: { taskId }, query: { ...(cut.knownAt && { knownAt: cut.knownAt }), ...(cut.position && { position: Number(cut.position) }) } },
  })), `${taskId}|${cutKey(cut)}`);
  const planId = (history.data?.events.find((e) => e.type === 'TaskDefined')?.data as { planId?: string } | undefined)?.planId;
  const board = useLoad(async () => (planId ? must(api.GET('/api/v1/plans/{planId}/tasks', { params: { path: { planId }, query: cutQuery(cut) } })) : null),
    `${planId}|${cutKey(cut)}|${unitId}`);
  const task = board.data?.tasks.find((t) => t.taskId === taskId);
  return (
    <>
      <p><a href="/nhiem-vu" onClick={(e) => { e.preventDefault(); navigate(me.role === 'department' ? '/don-vi' : '/nhiem-vu'); }}>← Danh sách nhiệm vụ</a></p>
      <Card title={task ? `${taskId} — ${task.title}` : taskId} testId="task">
        {task ? (
          <dl className="facts">
            <dt>Lĩnh vực</dt><dd>{task.fieldName}</dd>
            <dt>Đơn vị chủ trì</dt><dd>{unitName(task.leadUnitId)}</dd>
            <dt>Hạn</dt><dd>{date(task.dueOn)}</dd>
            <dt>Trạng thái</dt><dd data-testid="task-status">{label(TASK_STATUS, task.status)}{task.completedOn && ` ngày ${date(task.completedOn)}`}<LateTag task={task} /></dd>
            {task.progress && <><dt>Tiến độ</dt><dd>{num(task.progress.numerator)}/{num(task.progress.denominator)} (báo cáo ngày {date(task.progress.reportedOn)})</dd></>}
          </dl>
        ) : planId && board.data && <p className="muted">Nhiệm vụ chưa có tại thời điểm này.</p>}
      </Card>
      <Card title="Lịch sử" testId="task-history">
        <Loaded state={history}>
          {(h) => <HistoryTable events={h.events} />}
        </Loaded>
      </Card>
    </>
  );
};

export const HistoryTable = ({ events }: { events: HistoryEvent[] }) => {
  const unitName = useUnitName();
  return (
    <table>
      <thead><tr><th>Xảy ra ngày</th><th>Sự việc</th><th>Ghi nhận lúc</th><th>Người ghi</th></tr></thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.globalPosition} data-type={e.type} className={e.recordedLate ? 'late-row' : ''}>
            <td>{date(e.occurredAt.slice(0, 10))}</td>
            <td>{EVENT_NAME[e.type] ?? e.type}{describe(e.data)}<LateEntry late={e.recordedLate} /></td>
            <td>{date(e.recordedAt)} <span className="muted">(vị trí {num(e.globalPosition)})</span></td>
            <td>{e.unitId ? unitName(e.unitId) : e.keyId ?? '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

/** The few data fields worth a word in a list: a note, a due day, a unit, a completion day. */
const describe = (data: unknown) => {
  const d = (data ?? {}) as Record<string, unknown>;
  const parts = [d.note, d.reason, d.finding, d.findings].filter((x): x is string => typeof x === 'string');
  return parts.length ? <span className="muted">: {parts.join('; ')}</span> : null;
};
