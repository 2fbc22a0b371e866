import { useState } from 'react';
import { api, must, Schemas } from '../api/client';
import { useUnitName } from '../context';
import { date, num } from '../format';
import { label, TASK_STATUS } from '../labels';
import { cutKey, cutQuery, navigate, useCut, useLoad, useLocation } from '../route';
import { Card, ChangeTag, compareRows, Loaded } from '../ui';
import { TaskPage } from './task';

type Task = Schemas['TaskBoard']['tasks'][number];

/** Done after its due day: marked wherever a task is listed. */
export const LateTag = ({ task }: { task: Pick<Task, 'completedOn' | 'dueOn'> }) =>
  task.completedOn && task.completedOn > task.dueOn ? <span className="tag late">hoàn thành trễ hạn</span> : null;

export const taskLink = (taskId: string) => `/nhiem-vu/${encodeURIComponent(taskId)}`;

const Board = ({ planId }: { planId: string }) => {
  const { cut, compare, unitId } = useCut();
  const unitName = useUnitName();
  const [field, setField] = useState('');
  const [status, setStatus] = useState('');
  const query = (c: typeof cut) => ({ ...cutQuery(c), ...(unitId && { unitId }) });
  const now = useLoad(() => must(api.GET('/api/v1/plans/{planId}/tasks', { params: { path: { planId }, query: query(cut) } })), `${planId}|${cutKey(cut)}|${unitId}`);
  const was = useLoad(async () => (compare ? must(api.GET('/api/v1/plans/{planId}/tasks', { params: { path: { planId }, query: query(compare) } })) : null),
    `${planId}|${cutKey(compare)}|${unitId}`);
  return (
    <Loaded state={now}>
      {(board) => {
        const fields = [...new Map(board.tasks.map((t) => [t.field, t.fieldName])).entries()].sort((a, b) => a[1].localeCompare(b[1], 'vi'));
        const keep = (t: Task) => (!field || t.field === field) && (!status || t.status === status);
        const rows = compareRows(board.tasks.filter(keep), was.data?.tasks.filter(keep), (t) => t.taskId);
        return (
          <>
            <div className="filters">
              <label>Lĩnh vực{' '}
                <select value={field} onChange={(e) => setField(e.target.value)} data-testid="field-filter">
                  <option value="">Tất cả lĩnh vực</option>
                  {fields.map(([code, name]) => <option key={code} value={code}>{name}</option>)}
                </select>
              </label>
              <label>Trạng thái{' '}
                <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="status-filter">
                  <option value="">Tất cả</option>
                  {Object.entries(TASK_STATUS).map(([code, name]) => <option key={code} value={code}>{name}</option>)}
                </select>
              </label>
              <span className="muted" data-testid="task-count">{num(rows.filter((r) => r.change !== 'removed').length)} nhiệm vụ</span>
            </div>
            <table data-testid="task-board">
              <thead><tr><th>Nhiệm vụ</th><th>Lĩnh vực</th><th>Đơn vị chủ trì</th><th>Hạn</th><th>Trạng thái</th><th>Hoàn thành</th><th className="n">Tiến độ</th></tr></thead>
              <tbody>
                {rows.map(({ row: t, change }) => (
                  <tr key={`${t.taskId}-${change ?? ''}`} className={change ? `change-${change}` : ''} data-task={t.taskId}>
                    <td><a href={taskLink(t.taskId)} onClick={(e) => { e.preventDefault(); navigate(taskLink(t.taskId)); }}>{t.taskId}</a> — {t.title}<ChangeTag change={change} /></td>
                    <td>{t.fieldName}</td>
                    <td>{unitName(t.leadUnitId)}</td>
                    <td>{date(t.dueOn)}</td>
                    <td>{label(TASK_STATUS, t.status)}</td>
                    <td>{date(t.completedOn)}<LateTag task={t} /></td>
                    <td className="n">{t.progress ? `${num(t.progress.numerator)}/${num(t.progress.denominator)}` : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        );
      }}
    </Loaded>
  );
};

/** Nhiệm vụ: the task board of each plan, filtered by unit, field and status; /nhiem-vu/<id> is a task's page. */
export const Tasks = () => {
  const { path } = useLocation();
  const { cut } = useCut();
  const plans = useLoad(() => must(api.GET('/api/v1/plans', { params: { query: cutQuery(cut) } })), cutKey(cut));
  const taskId = path.startsWith('/nhiem-vu/') ? decodeURIComponent(path.slice('/nhiem-vu/'.length)) : null;
  if (taskId) return <TaskPage taskId={taskId} />;
  return (
    <Loaded state={plans}>
      {({ plans: list }) => list.map((p) => <Card key={p.planId} title={p.title} testId={`board-${p.planId}`}><Board planId={p.planId} /></Card>)}
    </Loaded>
  );
};
