import { useMemo } from 'react';
import { api, must, Schemas } from '../api/client';
import { Chart, ChartOption } from '../chart';
import { useUnitName } from '../context';
import { date, dayMonth, num, share, today } from '../format';
import { Cut, cutKey, cutQuery, navigate, useCut, useLoad } from '../route';
import { Card, ChangeTag, compareRows, Loaded, Num } from '../ui';

type Progress = Schemas['PlanProgress'];
type Series = Schemas['ProgressSeries'];
type Board = Schemas['TaskBoard'];

const loadPlan = async (planId: string, cut: Cut, unitId?: string) => {
  const query = { ...cutQuery(cut), ...(unitId && { unitId }) };
  const { asOf: _a, ...known } = query;
  const [progress, series, board] = await Promise.all([
    must(api.GET('/api/v1/plans/{planId}/progress', { params: { path: { planId }, query } })),
    must(api.GET('/api/v1/plans/{planId}/progress/series', { params: { path: { planId }, query: { ...known, step: 'week' } } })),
    must(api.GET('/api/v1/plans/{planId}/tasks', { params: { path: { planId }, query } })),
  ]);
  return { progress, series, board };
};

/** The compared cut's side of the burn-up: its series (as known at its knownAt or position) and its day. */
type Compared = { series: Series; day: string };

/**
 * The burn-up: scope as a line, done and done on time as areas, the cut's day marked. With a compared
 * cut, its completions as a dotted line and its day marked too.
 */
const burnUp = (series: Series, cutDay: string, compared: Compared | null): ChartOption => {
  const at = (s: Series, key: 'total' | 'completed' | 'completedOnTime') => s.points.map((p) => [p.asOf, p[key]]);
  const COMPARED = '#d97706';
  const marks = [
    { xAxis: cutDay, label: { formatter: date(cutDay), position: 'insideEndTop' } },
    ...(compared && compared.day !== cutDay ? [{ xAxis: compared.day, label: { formatter: `so sánh ${date(compared.day)}`, position: 'insideEndBottom' }, lineStyle: { color: COMPARED, type: 'dashed' } }] : []),
  ];
  return {
    grid: { left: 40, right: 16, top: compared ? 56 : 40, bottom: 28 },
    legend: { top: 0, itemGap: 24 }, // room between an entry's text and the next one's icon (they touched)
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'time', axisLabel: { formatter: (v: number) => dayMonth(v), hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: 'Tổng số nhiệm vụ', type: 'line', data: at(series, 'total'), showSymbol: false, step: 'end', lineStyle: { width: 2, type: 'dashed' }, color: '#555',
        markLine: { symbol: 'none', silent: true, lineStyle: { color: '#b00020' }, data: marks } },
      { name: 'Đã hoàn thành', type: 'line', data: at(series, 'completed'), showSymbol: false, areaStyle: { opacity: 0.35 }, color: '#1f6fb2' },
      { name: 'Hoàn thành đúng hạn', type: 'line', data: at(series, 'completedOnTime'), showSymbol: false, areaStyle: { opacity: 0.5 }, color: '#2e8b57' },
      ...(compared ? [{ name: 'Đã hoàn thành (mốc so sánh)', type: 'line', data: at(compared.series, 'completed'), showSymbol: false, lineStyle: { width: 2, type: 'dotted' }, color: COMPARED }] : []),
    ],
  };
};

/** Rows by their key: what a compared row's numbers were. */
const keyed = <T,>(rows: T[] | undefined, id: (row: T) => string) => new Map((rows ?? []).map((r) => [id(r), r]));

/** The overdue tasks of a board on a day. */
const overdueOn = (board: Board, day: string) => board.tasks.filter((t) => t.status === 'open' && t.dueOn < day);

/** A breakdown (by field, by lead unit) with each row's change against the compared cut. */
const Breakdown = <T extends { total: number; completed: number },>({ title, head, rows, was, id, name }: {
  title: string; head: string; rows: T[]; was: T[] | undefined; id: (row: T) => string; name: (row: T) => string;
}) => {
  const before = keyed(was, id);
  return (
    <div>
      <h3>{title}</h3>
      <table>
        <thead><tr><th>{head}</th><th className="n">Nhiệm vụ</th><th className="n">Hoàn thành</th><th className="n">Tỷ lệ</th></tr></thead>
        <tbody>{compareRows(rows, was, id).map(({ row, change }) => {
          const then = change === 'removed' ? undefined : before.get(id(row));
          return (
            <tr key={`${id(row)}${change ?? ''}`} className={change ? `change-${change}` : ''}>
              <td>{name(row)}<ChangeTag change={change} /></td>
              <td className="n"><Num value={row.total} was={then?.total} /></td>
              <td className="n"><Num value={row.completed} was={then?.completed} /></td>
              <td className="n">{share(row.completed, row.total)}</td>
            </tr>
          );
        })}</tbody>
      </table>
    </div>
  );
};

const Tile = ({ label, value, was, of, testId }: { label: string; value: number; was?: number; of?: number; testId: string }) => (
  <div className="tile" data-testid={testId}>
    <span className="tile-label">{label}</span>
    <span className="tile-value"><Num value={value} was={was} />{of !== undefined && <>/{num(of)}</>}</span>
    {of !== undefined && <span className="tile-share">{share(value, of)}</span>}
  </div>
);

const PlanCard = ({ planId, title }: { planId: string; title: string }) => {
  const { cut, compare, unitId } = useCut();
  const unitName = useUnitName();
  const state = useLoad(() => loadPlan(planId, cut, unitId), `${planId}|${cutKey(cut)}|${unitId}`);
  // The compared cut: the same plan, series and board (none if the plan did not exist then: everything is new).
  const before = useLoad(async () => (compare ? loadPlan(planId, compare, unitId).catch(() => null) : null), `${planId}|${cutKey(compare)}|${unitId}`);
  const was: Partial<Progress> = before.data?.progress ?? {};
  const day = cut.asOf ?? today();
  const wasDay = compare?.asOf ?? today();
  const compared = useMemo(() => (before.data ? { series: before.data.series, day: wasDay } : null), [before.data, wasDay]);
  const option = useMemo(() => (state.data ? burnUp(state.data.series, day, compared) : null), [state.data, day, compared]);
  return (
    <Card title={title} testId={`plan-${planId}`}>
      <Loaded state={state}>
        {({ progress, board }) => {
          const overdue = overdueOn(board, day);
          const wasOverdue = before.data ? overdueOn(before.data.board, wasDay) : undefined;
          const overdueRows = compareRows(overdue, compare ? wasOverdue ?? [] : undefined, (t) => t.taskId);
          return (
            <>
              <div className="tiles">
                <Tile label="Tổng số nhiệm vụ" value={progress.total} was={was.total} testId="kpi-total" />
                <Tile label="Đã hoàn thành" value={progress.completed} was={was.completed} of={progress.total} testId="kpi-completed" />
                <Tile label="Hoàn thành đúng hạn" value={progress.completedOnTime} was={was.completedOnTime} of={progress.total} testId="kpi-on-time" />
                <Tile label="Quá hạn" value={progress.overdue} was={was.overdue} testId="kpi-overdue" />
                <Tile label="Đang thực hiện" value={progress.inProgress} was={was.inProgress} testId="kpi-in-progress" />
              </div>
              {option && <Chart option={option} label={`Biểu đồ tiến độ ${title}`} testId="burn-up" />}
              <div className="columns">
                <Breakdown title="Theo lĩnh vực" head="Lĩnh vực" rows={progress.byField} was={before.data?.progress.byField} id={(f) => f.field} name={(f) => f.fieldName} />
                <Breakdown title="Theo đơn vị chủ trì" head="Đơn vị" rows={progress.byUnit} was={before.data?.progress.byUnit} id={(u) => u.unitId} name={(u) => unitName(u.unitId)} />
              </div>
              <h3>Nhiệm vụ quá hạn (<Num value={overdue.length} was={wasOverdue?.length} testId="overdue-count" />)</h3>
              {overdueRows.length === 0 ? <p className="muted">Không có nhiệm vụ quá hạn.</p> : (
                <table data-testid="overdue">
                  <thead><tr><th>Nhiệm vụ</th><th>Đơn vị chủ trì</th><th>Hạn</th></tr></thead>
                  <tbody>{overdueRows.map(({ row: t, change }) => (
                    <tr key={`${t.taskId}${change ?? ''}`} className={change ? `change-${change}` : ''} data-task={t.taskId}>
                      <td><a href={`/nhiem-vu/${t.taskId}`} onClick={(e) => { e.preventDefault(); navigate(`/nhiem-vu/${encodeURIComponent(t.taskId)}`); }}>{t.taskId} — {t.title}</a><ChangeTag change={change} /></td>
                      <td>{unitName(t.leadUnitId)}</td><td>{date(t.dueOn)}</td>
                    </tr>
                  ))}</tbody>
                </table>
              )}
            </>
          );
        }}
      </Loaded>
    </Card>
  );
};

const DataQualityCount = () => {
  const { cut, compare, unitId } = useCut();
  const findings = (c: Cut) => must(api.GET('/api/v1/data-quality', { params: { query: { ...cutQuery(c), ...(unitId && { unitId }) } } }));
  const state = useLoad(() => findings(cut), `${cutKey(cut)}|${unitId}`);
  const was = useLoad(async () => (compare ? findings(compare) : null), `${cutKey(compare)}|${unitId}`);
  return (
    <Card title="Chất lượng dữ liệu" testId="data-quality-count">
      <Loaded state={state}>
        {(d) => (
          <p>
            <strong><Num value={d.findings.length} was={was.data?.findings.length} testId="data-quality-findings" /></strong> điểm cần xem lại trong dữ liệu đã báo cáo.{' '}
            <a href="/chat-luong" onClick={(e) => { e.preventDefault(); navigate('/chat-luong'); }}>Xem chi tiết</a>
          </p>
        )}
      </Loaded>
    </Card>
  );
};

/** Tổng quan: each plan's progress at the cut, its burn-up over the plan year, by field and lead unit, the overdue, data quality. */
export const Overview = () => {
  const { cut } = useCut();
  const plans = useLoad(() => must(api.GET('/api/v1/plans', { params: { query: cutQuery(cut) } })), cutKey(cut));
  return (
    <div className="overview">
      <Loaded state={plans}>
        {({ plans: list }) => list.length === 0 ? <p className="muted">Chưa có kế hoạch nào tại thời điểm này.</p>
          : list.map((p) => <PlanCard key={p.planId} planId={p.planId} title={p.title} />)}
      </Loaded>
      <DataQualityCount />
    </div>
  );
};
