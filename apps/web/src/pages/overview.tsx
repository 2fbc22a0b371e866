import { useMemo } from 'react';
import { api, must, Schemas } from '../api/client';
import { Chart, ChartOption } from '../chart';
import { useUnitName } from '../context';
import { date, dayMonth, num, share, today } from '../format';
import { Cut, cutKey, cutQuery, navigate, useCut, useLoad } from '../route';
import { Card, Loaded, Num } from '../ui';

type Progress = Schemas['PlanProgress'];
type Series = Schemas['ProgressSeries'];

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

/** The burn-up: scope as a line, done and done on time as areas, the cut's day marked. */
const burnUp = (series: Series, cutDay: string): ChartOption => {
  const at = (key: 'total' | 'completed' | 'completedOnTime') => series.points.map((p) => [p.asOf, p[key]]);
  return {
    grid: { left: 40, right: 16, top: 40, bottom: 28 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'time', axisLabel: { formatter: (v: number) => dayMonth(v) } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: 'Tổng số nhiệm vụ', type: 'line', data: at('total'), showSymbol: false, step: 'end', lineStyle: { width: 2, type: 'dashed' }, color: '#555',
        markLine: { symbol: 'none', silent: true, label: { formatter: date(cutDay), position: 'insideEndTop' }, lineStyle: { color: '#b00020' }, data: [{ xAxis: cutDay }] } },
      { name: 'Đã hoàn thành', type: 'line', data: at('completed'), showSymbol: false, areaStyle: { opacity: 0.35 }, color: '#1f6fb2' },
      { name: 'Hoàn thành đúng hạn', type: 'line', data: at('completedOnTime'), showSymbol: false, areaStyle: { opacity: 0.5 }, color: '#2e8b57' },
    ],
  };
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
  const before = useLoad(async () => (compare ? must(api.GET('/api/v1/plans/{planId}/progress', {
    params: { path: { planId }, query: { ...cutQuery(compare), ...(unitId && { unitId }) } },
  })) : null), `${planId}|${cutKey(compare)}|${unitId}`);
  const was: Partial<Progress> = before.data ?? {};
  const day = cut.asOf ?? today();
  const option = useMemo(() => (state.data ? burnUp(state.data.series, day) : null), [state.data, day]);
  return (
    <Card title={title} testId={`plan-${planId}`}>
      <Loaded state={state}>
        {({ progress, board }) => {
          const overdue = board.tasks.filter((t) => t.status === 'open' && t.dueOn < day);
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
                <div>
                  <h3>Theo lĩnh vực</h3>
                  <table>
                    <thead><tr><th>Lĩnh vực</th><th className="n">Nhiệm vụ</th><th className="n">Hoàn thành</th><th className="n">Tỷ lệ</th></tr></thead>
                    <tbody>{progress.byField.map((f) => (
                      <tr key={f.field}><td>{f.fieldName}</td><td className="n">{num(f.total)}</td><td className="n">{num(f.completed)}</td><td className="n">{share(f.completed, f.total)}</td></tr>
                    ))}</tbody>
                  </table>
                </div>
                <div>
                  <h3>Theo đơn vị chủ trì</h3>
                  <table>
                    <thead><tr><th>Đơn vị</th><th className="n">Nhiệm vụ</th><th className="n">Hoàn thành</th><th className="n">Tỷ lệ</th></tr></thead>
                    <tbody>{progress.byUnit.map((u) => (
                      <tr key={u.unitId}><td>{unitName(u.unitId)}</td><td className="n">{num(u.total)}</td><td className="n">{num(u.completed)}</td><td className="n">{share(u.completed, u.total)}</td></tr>
                    ))}</tbody>
                  </table>
                </div>
              </div>
              <h3>Nhiệm vụ quá hạn ({num(overdue.length)})</h3>
              {overdue.length === 0 ? <p className="muted">Không có nhiệm vụ quá hạn.</p> : (
                <table data-testid="overdue">
                  <thead><tr><th>Nhiệm vụ</th><th>Đơn vị chủ trì</th><th>Hạn</th></tr></thead>
                  <tbody>{overdue.map((t) => (
                    <tr key={t.taskId}>
                      <td><a href={`/nhiem-vu/${t.taskId}`} onClick={(e) => { e.preventDefault(); navigate(`/nhiem-vu/${encodeURIComponent(t.taskId)}`); }}>{t.taskId} — {t.title}</a></td>
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
  const { cut, unitId } = useCut();
  const state = useLoad(() => must(api.GET('/api/v1/data-quality', { params: { query: { ...cutQuery(cut), ...(unitId && { unitId }) } } })), `${cutKey(cut)}|${unitId}`);
  return (
    <Card title="Chất lượng dữ liệu" testId="data-quality-count">
      <Loaded state={state}>
        {(d) => (
          <p>
            <strong>{num(d.findings.length)}</strong> điểm cần xem lại trong dữ liệu đã báo cáo.{' '}
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
