import { ReactNode, useState } from 'react';
import { api } from '../api/client';
import { useSession, useUnitName } from '../context';
import { date, num } from '../format';
import { label, TASK_STATUS } from '../labels';
import { cutKey, cutQuery, navigate, useCut, useLoad } from '../route';
import { Card, Loaded } from '../ui';
import { isoOf, optional, RecordForm } from '../forms';
import { must } from '../api/client';
import { LateTag, taskLink } from './tasks';


const TaskRow = ({ task, onDone }: { task: { taskId: string; title: string; status: string; dueOn: string; completedOn: string | null; progress: { numerator: number; denominator: number } | null }; onDone: (position: number) => void }) => {
  const [open, setOpen] = useState<'progress' | 'complete' | null>(null);
  return (
    <tr data-task={task.taskId}>
      <td><a href={taskLink(task.taskId)} onClick={(e) => { e.preventDefault(); navigate(taskLink(task.taskId)); }}>{task.taskId}</a> — {task.title}</td>
      <td>{date(task.dueOn)}</td>
      <td data-testid="status">{label(TASK_STATUS, task.status)}{task.completedOn && ` ngày ${date(task.completedOn)}`}<LateTag task={task} /></td>
      <td>
        {task.status === 'open' && (
          <>
            <button type="button" onClick={() => setOpen(open === 'progress' ? null : 'progress')}>Báo cáo tiến độ</button>{' '}
            <button type="button" onClick={() => setOpen(open === 'complete' ? null : 'complete')} data-testid="open-complete">Ghi nhận hoàn thành</button>
          </>
        )}
        {open === 'progress' && (
          <RecordForm collection="tasks" id={task.taskId} type="TaskProgressReported" title="Báo cáo tiến độ" onDone={onDone}
            fields={[{ name: 'occurredAt', label: 'Ngày báo cáo', kind: 'date' }, { name: 'numerator', label: 'Đã làm (số phần việc)', kind: 'number' },
              { name: 'denominator', label: 'Tổng số phần việc', kind: 'number' }, { name: 'note', label: 'Ghi chú' }]}
            build={(v) => ({ occurredAt: isoOf(v.occurredAt), data: { progress: { numerator: Number(v.numerator), denominator: Number(v.denominator) }, ...(optional(v.note) && { note: optional(v.note) }) } })} />
        )}
        {open === 'complete' && (
          <RecordForm collection="tasks" id={task.taskId} type="TaskCompleted" title="Ghi nhận hoàn thành" onDone={onDone}
            fields={[{ name: 'occurredAt', label: 'Ngày hoàn thành', kind: 'date' }, { name: 'evidenceDocumentId', label: 'Văn bản minh chứng (không bắt buộc)', kind: 'document' },
              { name: 'note', label: 'Ghi chú' }]}
            build={(v) => ({ occurredAt: isoOf(v.occurredAt), data: { ...(optional(v.evidenceDocumentId) && { evidenceDocumentId: optional(v.evidenceDocumentId) }), ...(optional(v.note) && { note: optional(v.note) }) } })} />
        )}
      </td>
    </tr>
  );
};

const Section = ({ title, children, testId }: { title: string; children: ReactNode; testId: string }) => <Card title={title} testId={testId}>{children}</Card>;

/** Việc của đơn vị: the unit's own tasks with their status, and the forms to record what it did. */
export const MyUnit = () => {
  const { me } = useSession();
  const unitName = useUnitName();
  const { cut } = useCut();
  const unitId = me.unitId!;
  const activeUnits = useSessionUnits();
  // After a write, every read waits for it (minPosition): the unit sees what it just recorded.
  const [written, setWritten] = useState(0);
  const refresh = (position: number) => setWritten((w) => Math.max(w, position));
  const work = useLoad(async () => {
    const at = { ...cutQuery(cut), ...(written > 0 && { minPosition: written }) };
    const q = { params: { query: { ...at, unitId } } };
    const [plans, inspections, recruitments] = await Promise.all([
      must(api.GET('/api/v1/plans', { params: { query: at } })), must(api.GET('/api/v1/inspections', q)), must(api.GET('/api/v1/recruitments', q)),
    ]);
    const boards = await Promise.all(plans.plans.map((p) => must(api.GET('/api/v1/plans/{planId}/tasks', { params: { path: { planId: p.planId }, query: { ...at, unitId } } }))
      .then((b) => ({ plan: p, tasks: b.tasks }))));
    const pipelines = await Promise.all(recruitments.recruitments.filter((r) => r.ownerUnitId === unitId)
      .map((r) => must(api.GET('/api/v1/recruitments/{recruitmentId}/pipeline', { params: { path: { recruitmentId: r.recruitmentId }, query: at } }))));
    // The inspections it records visits for: those it leads and those whose team includes it (not merely those that visit it).
    const recordsVisits = (i: (typeof inspections.inspections)[number]) => i.leadUnitId === unitId || i.memberUnitIds.includes(unitId);
    return { boards, inspections: inspections.inspections.filter((i) => recordsVisits(i) && i.status !== 'concluded'), pipelines };
  }, `${cutKey(cut)}|${unitId}|${written}`, true);
  return (
    <Loaded state={work}>
      {({ boards, inspections, pipelines }) => (
        <>
          {boards.map(({ plan, tasks }) => (
            <Section key={plan.planId} title={`Nhiệm vụ của ${unitName(unitId)} — ${plan.title}`} testId={`my-tasks-${plan.planId}`}>
              {tasks.length === 0 ? <p className="muted">Đơn vị không chủ trì nhiệm vụ nào của kế hoạch này.</p> : (
                <table>
                  <thead><tr><th>Nhiệm vụ</th><th>Hạn</th><th>Trạng thái</th><th>Ghi nhận</th></tr></thead>
                  <tbody>{tasks.map((t) => <TaskRow key={t.taskId} task={t} onDone={refresh} />)}</tbody>
                </table>
              )}
            </Section>
          ))}
          {inspections.map((i) => (
            <Section key={i.inspectionId} title={`${i.leadUnitId === unitId ? 'Đợt kiểm tra do đơn vị chủ trì' : `Đơn vị là thành viên đoàn kiểm tra (${unitName(i.leadUnitId)} chủ trì)`}: ${i.title}`}
              testId={`my-inspection-${i.inspectionId}`}>
              <p className="muted">Đã kiểm tra {num(i.inspected)}/{num(i.targets)} đối tượng theo kế hoạch.</p>
              <RecordForm collection="inspections" id={i.inspectionId} type="UnitInspected" title="Ghi nhận một lượt kiểm tra" onDone={refresh}
                fields={[{ name: 'occurredAt', label: 'Ngày kiểm tra', kind: 'date' },
                  { name: 'unitId', label: 'Đơn vị được kiểm tra', kind: 'select', options: activeUnits }, { name: 'findings', label: 'Kết quả, ghi chú' }]}
                build={(v) => ({ occurredAt: isoOf(v.occurredAt), data: { unitId: v.unitId, ...(optional(v.findings) && { findings: optional(v.findings) }) } })} />
            </Section>
          ))}
          {pipelines.map((p) => (
            <Section key={p.recruitmentId} title={`Tuyển dụng của đơn vị: ${p.title}`} testId={`my-recruitment-${p.recruitmentId}`}>
              <p className="muted">Đã nhận {num(p.totals.applications)} hồ sơ cho {num(p.totals.quota)} chỉ tiêu.</p>
              <RecordForm collection="recruitments" id={p.recruitmentId} type="ApplicationReceived" title="Tiếp nhận hồ sơ dự tuyển" onDone={refresh}
                fields={[{ name: 'occurredAt', label: 'Ngày nhận', kind: 'date' }, { name: 'positionId', label: 'Vị trí', kind: 'select', options: p.positions.map((x) => [x.positionId, x.title]) },
                  { name: 'applicationId', label: 'Số hồ sơ', placeholder: 'ví dụ VC-027' }, { name: 'applicantRef', label: 'Mã người dự tuyển', placeholder: 'mã tham chiếu, không ghi họ tên' }]}
                build={(v) => ({ occurredAt: isoOf(v.occurredAt), data: { applicationId: v.applicationId.trim(), positionId: v.positionId, applicantRef: v.applicantRef.trim() } })} />
            </Section>
          ))}
        </>
      )}
    </Loaded>
  );
};

/** Active units by name, for a select. */
const useSessionUnits = (): [string, string][] => [...useSession().units.values()].filter((u) => u.status === 'active').map((u) => [u.unitId, u.name]);
