import { api, must } from '../api/client';
import { useSession, useUnitName } from '../context';
import { date } from '../format';
import { label, LEGAL_STATUS } from '../labels';
import { cutKey, cutQuery, useCut, useLoad } from '../route';
import { Card, ChangeTag, compareRows, Loaded, Num } from '../ui';

const COUNTS = [['drafted', 'Dự thảo'], ['appraised', 'Đã thẩm định'], ['issued', 'Đã ban hành'], ['inForce', 'Còn hiệu lực'], ['expired', 'Hết hiệu lực']] as const;

/** Văn bản QPPL: the register of a year — counts drafted, appraised, issued, in force, expired — and its documents. */
export const Legal = () => {
  const { cut, compare, unitId } = useCut();
  const { year } = useSession();
  const unitName = useUnitName();
  const q = (c: typeof cut) => ({ params: { query: { ...cutQuery(c), year, ...(unitId && { unitId }) } } });
  const reg = useLoad(() => must(api.GET('/api/v1/legal-documents', q(cut))), `${cutKey(cut)}|${unitId}|${year}`);
  const was = useLoad(async () => (compare ? must(api.GET('/api/v1/legal-documents', q(compare))) : null), `${cutKey(compare)}|${unitId}|${year}`);
  return (
    <Card title={`Văn bản quy phạm pháp luật năm ${year}`} testId="legal-register">
      <Loaded state={reg}>
        {(r) => (
          <>
            <div className="tiles">
              {COUNTS.map(([k, t]) => (
                <div className="tile" key={k} data-testid={`legal-${k}`}><span className="tile-label">{t}</span>
                  <span className="tile-value"><Num value={r.counts[k]} was={was.data?.counts[k]} /></span></div>
              ))}
            </div>
            <table>
              <thead><tr><th>Văn bản</th><th>Trạng thái</th><th>Đơn vị soạn thảo</th><th>Dự thảo</th><th>Thẩm định</th><th>Ban hành</th><th>Hết hiệu lực</th></tr></thead>
              <tbody>{compareRows(r.documents, was.data?.documents, (d) => d.legalDocumentId).map(({ row: d, change }) => (
                <tr key={`${d.legalDocumentId}${change ?? ''}`} className={change ? `change-${change}` : ''}>
                  <td>{d.reference ? `${d.reference} — ` : ''}{d.title}<ChangeTag change={change} /></td>
                  <td>{label(LEGAL_STATUS, d.status)}{d.partlyExpired && ' (hết hiệu lực một phần)'}</td>
                  <td>{unitName(d.draftingUnitId)}</td>
                  <td>{date(d.draftedOn)}</td>
                  <td>{d.appraisedOn.map(date).join(', ') || '–'}</td>
                  <td>{date(d.issuedOn)}</td>
                  <td>{date(d.expiredOn)}</td>
                </tr>
              ))}</tbody>
            </table>
          </>
        )}
      </Loaded>
    </Card>
  );
};
