import { api, must } from '../api/client';
import { useSession } from '../context';
import { label, SEVERITY } from '../labels';
import { Cut, cutKey, cutQuery, navigate, useCut, useLoad } from '../route';
import { Card, ChangeTag, compareRows, Loaded } from '../ui';

/** Where a finding's record is shown: a task's page, else (for those who may) its history; none for a plain reader. */
const linkOf = (record: string, role: string): string | null => {
  const [kind, id] = [record.slice(0, record.indexOf(':')), record.slice(record.indexOf(':') + 1)];
  if (kind === 'task') return `/nhiem-vu/${encodeURIComponent(id)}`;
  if (role === 'inspector' || role === 'admin') return `/lich-su?streamId=${encodeURIComponent(record)}`;
  return null;
};

/** Chất lượng dữ liệu: facts accepted as reported that look wrong, each linked to its record. */
export const DataQuality = () => {
  const { cut, compare, unitId } = useCut();
  const { me } = useSession();
  const findings = (c: Cut) => must(api.GET('/api/v1/data-quality', { params: { query: { ...cutQuery(c), ...(unitId && { unitId }) } } }));
  const state = useLoad(() => findings(cut), `${cutKey(cut)}|${unitId}`);
  const was = useLoad(async () => (compare ? findings(compare) : null), `${cutKey(compare)}|${unitId}`);
  return (
    <Card title="Những điểm cần xem lại" testId="data-quality">
      <Loaded state={state}>
        {(d) => {
          const rows = compareRows(d.findings, was.data?.findings, (f) => `${f.rule}|${f.record}`);
          return rows.length === 0 ? <p className="muted">Không có điểm nào cần xem lại.</p> : (
            <table>
              <thead><tr><th>Mức</th><th>Nội dung</th><th>Hồ sơ</th></tr></thead>
              <tbody>{rows.map(({ row: f, change }, i) => (
                <tr key={i} className={change ? `change-${change}` : ''} data-rule={f.rule}>
                  <td>{label(SEVERITY, f.severity)}<ChangeTag change={change} /></td>
                  <td>{f.detail}</td>
                  <td>{f.record.split(', ').map((r) => {
                    const to = linkOf(r, me.role);
                    return to ? <a key={r} href={to} onClick={(e) => { e.preventDefault(); navigate(to.includes('?') ? `${to}&${window.location.search.slice(1)}` : to); }}>Xem hồ sơ</a> : null;
                  })}</td>
                </tr>
              ))}</tbody>
            </table>
          );
        }}
      </Loaded>
    </Card>
  );
};
