import { useMemo } from 'react';
import { api, must, Schemas } from '../api/client';
import { Chart, ChartOption } from '../chart';
import { useUnitName } from '../context';
import { date, num } from '../format';
import { label, RECRUITMENT_KIND, STAGE } from '../labels';
import { cutKey, cutQuery, useCut, useLoad } from '../route';
import { Card, ChangeTag, compareRows, Loaded, Num } from '../ui';

type Pipeline = Schemas['RecruitmentPipeline'];
type Counts = Pipeline['totals'];

const STEPS: [keyof Counts, string][] = [
  ['quota', 'Chỉ tiêu'], ['applications', 'Hồ sơ nộp'], ['withdrawn', 'Rút hồ sơ'], ['eligible', 'Đủ điều kiện'], ['ineligible', 'Không đủ điều kiện'],
  ['pending', 'Chưa xét'], ['passed', 'Trúng tuyển'], ['appointed', 'Đã tuyển dụng'],
];
const FUNNEL: (keyof Counts)[] = ['quota', 'applications', 'eligible', 'passed', 'appointed'];

const funnel = (totals: Counts): ChartOption => ({
  grid: { left: 130, right: 40, top: 8, bottom: 8 },
  xAxis: { type: 'value', show: false },
  yAxis: { type: 'category', inverse: true, data: FUNNEL.map((k) => STEPS.find(([s]) => s === k)![1]) },
  series: [{ type: 'bar', data: FUNNEL.map((k) => totals[k]), label: { show: true, position: 'right', formatter: ({ value }: { value: number }) => num(value) }, color: '#1f6fb2' }],
});

const Drive = ({ recruitmentId }: { recruitmentId: string }) => {
  const { cut, compare } = useCut();
  const p = useLoad(() => must(api.GET('/api/v1/recruitments/{recruitmentId}/pipeline', { params: { path: { recruitmentId }, query: cutQuery(cut) } })), `${recruitmentId}|${cutKey(cut)}`);
  const was = useLoad(async () => (compare ? must(api.GET('/api/v1/recruitments/{recruitmentId}/pipeline', { params: { path: { recruitmentId }, query: cutQuery(compare) } })).catch(() => null) : null),
    `${recruitmentId}|${cutKey(compare)}`);
  const option = useMemo(() => (p.data ? funnel(p.data.totals) : null), [p.data]);
  const wasPositions = new Map(was.data?.positions.map((pos) => [pos.positionId, pos]));
  return (
    <Loaded state={p}>
      {(pipeline) => (
        <>
          <p className="muted">{label(STAGE, pipeline.status)}{pipeline.window && ` · Nhận hồ sơ ${date(pipeline.window.from)} – ${date(pipeline.window.to)}`}</p>
          {option && <Chart option={option} height={190} label={`Phễu tuyển dụng ${pipeline.title}`} />}
          <table data-testid={`pipeline-${recruitmentId}`}>
            <thead><tr><th>Vị trí</th>{STEPS.map(([k, t]) => <th key={k} className="n">{t}</th>)}</tr></thead>
            <tbody>
              {compareRows(pipeline.positions, was.data?.positions, (pos) => pos.positionId).map(({ row: pos, change }) => {
                const then = change === 'removed' ? undefined : wasPositions.get(pos.positionId);
                return (
                  <tr key={`${pos.positionId}${change ?? ''}`} className={change ? `change-${change}` : ''} data-position={pos.positionId}>
                    <td>{pos.title}<ChangeTag change={change} /></td>{STEPS.map(([k]) => <td key={k} className="n"><Num value={pos[k]} was={then?.[k]} /></td>)}
                  </tr>
                );
              })}
              <tr className="total" data-testid="totals"><th>Tổng</th>{STEPS.map(([k]) => <th key={k} className="n" data-step={k}><Num value={pipeline.totals[k]} was={was.data?.totals[k]} /></th>)}</tr>
            </tbody>
          </table>
        </>
      )}
    </Loaded>
  );
};

/** Tuyển dụng: each drive's pipeline per position (quota, applications, withdrawn, eligible, ineligible, passed, appointed) as a funnel and a table. */
export const Recruitment = () => {
  const { cut, unitId } = useCut();
  const unitName = useUnitName();
  const list = useLoad(() => must(api.GET('/api/v1/recruitments', { params: { query: { ...cutQuery(cut), ...(unitId && { unitId }) } } })), `${cutKey(cut)}|${unitId}`);
  return (
    <Loaded state={list}>
      {({ recruitments }) => recruitments.length === 0 ? <p className="muted">Không có đợt tuyển dụng nào tại thời điểm này.</p> : recruitments.map((r) => (
        <Card key={r.recruitmentId} title={r.title} testId={`recruitment-${r.recruitmentId}`}>
          <p className="muted">{label(RECRUITMENT_KIND, r.kind)} · Đơn vị: {unitName(r.ownerUnitId)} · Phê duyệt ngày {date(r.approvedOn)}</p>
          <Drive recruitmentId={r.recruitmentId} />
        </Card>
      ))}
    </Loaded>
  );
};
