import { api, must } from '../api/client';
import { useUnitName } from '../context';
import { date, num, share } from '../format';
import { INSPECTION_STATUS, label } from '../labels';
import { cutKey, cutQuery, useCut, useLoad } from '../route';
import { Card, ChangeTag, compareRows, Loaded, Num } from '../ui';

const Log = ({ inspectionId }: { inspectionId: string }) => {
  const { cut, compare, unitId } = useCut();
  const unitName = useUnitName();
  const q = (c: typeof cut) => ({ params: { path: { inspectionId }, query: { ...cutQuery(c), ...(unitId && { unitId }) } } });
  const log = useLoad(() => must(api.GET('/api/v1/inspections/{inspectionId}/log', q(cut))), `${inspectionId}|${cutKey(cut)}|${unitId}`);
  const was = useLoad(async () => (compare ? must(api.GET('/api/v1/inspections/{inspectionId}/log', q(compare))).catch(() => null) : null), `${inspectionId}|${cutKey(compare)}|${unitId}`);
  const wasVisits = new Map(was.data?.visitsByUnit.map((u) => [u.unitId, u.visits]));
  return (
    <Loaded state={log}>
      {(l) => (
        <>
          <div className="tiles">
            <div className="tile" data-testid="units-visited"><span className="tile-label">Đơn vị đã kiểm tra</span>
              <span className="tile-value"><Num value={l.visitsByUnit.length} was={was.data?.visitsByUnit.length} /></span></div>
            <div className="tile" data-testid="visits"><span className="tile-label">Lượt kiểm tra</span>
              <span className="tile-value"><Num value={l.visits.length} was={was.data?.visits.length} /></span></div>
            <div className="tile" data-testid="coverage"><span className="tile-label">Đối tượng theo kế hoạch đã kiểm tra</span>
              <span className="tile-value"><Num value={l.coverage.inspected} was={was.data?.coverage.inspected} />/{num(l.coverage.targets)}</span>
              <span className="tile-share">{share(l.coverage.inspected, l.coverage.targets)}</span></div>
          </div>
          <div className="columns">
            <div>
              <h3>Số lượt theo đơn vị</h3>
              <table>
                <thead><tr><th>Đơn vị</th><th className="n">Lượt</th><th>Kết quả</th></tr></thead>
                <tbody>{compareRows(l.visitsByUnit, was.data?.visitsByUnit, (u) => u.unitId).map(({ row: u, change }) => (
                  <tr key={`${u.unitId}${change ?? ''}`} className={change ? `change-${change}` : ''}>
                    <td>{unitName(u.unitId)}<ChangeTag change={change} /></td>
                    <td className="n"><Num value={u.visits} was={change === 'removed' ? undefined : wasVisits.get(u.unitId)} /></td>
                    <td>{u.findings.map((f) => `${date(f.on)}: ${f.finding}`).join('; ') || '–'}</td>
                  </tr>
                ))}</tbody>
              </table>
            </div>
            <div>
              <h3>Nhật ký các lượt kiểm tra</h3>
              <table>
                <thead><tr><th>Ngày</th><th>Đơn vị</th><th>Ghi chú</th></tr></thead>
                <tbody>{compareRows(l.visits, was.data?.visits, (v) => `${v.unitId}|${v.date}`).map(({ row: v, change }, i) => (
                  <tr key={i} className={change ? `change-${change}` : ''}><td>{date(v.date)}</td><td>{unitName(v.unitId)}<ChangeTag change={change} /></td><td>{v.findings ?? '–'}</td></tr>
                ))}</tbody>
              </table>
            </div>
          </div>
        </>
      )}
    </Loaded>
  );
};

/** Kiểm tra: each inspection with its status, its visit log, the visits per unit and the coverage of its planned targets. */
export const Inspections = () => {
  const { cut, unitId } = useCut();
  const unitName = useUnitName();
  const list = useLoad(() => must(api.GET('/api/v1/inspections', { params: { query: { ...cutQuery(cut), ...(unitId && { unitId }) } } })), `${cutKey(cut)}|${unitId}`);
  return (
    <Loaded state={list}>
      {({ inspections }) => inspections.length === 0 ? <p className="muted">Không có đợt kiểm tra nào tại thời điểm này.</p> : inspections.map((i) => (
        <Card key={i.inspectionId} title={i.title} testId={`inspection-${i.inspectionId}`}>
          <p className="muted">
            {label(INSPECTION_STATUS, i.status)} · Đơn vị chủ trì: {unitName(i.leadUnitId)} · Thời gian: {date(i.periodFrom)} – {date(i.periodTo)}
            {i.concludedOn && <> · Kết luận ngày {date(i.concludedOn)}{i.summary && `: ${i.summary}`}</>}
          </p>
          <Log inspectionId={i.inspectionId} />
        </Card>
      ))}
    </Loaded>
  );
};
