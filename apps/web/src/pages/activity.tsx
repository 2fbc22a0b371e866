import { useState } from 'react';
import { api, must } from '../api/client';
import { useSession, useUnitName } from '../context';
import { num, occurred, date, parseDate } from '../format';
import { navigate, useCut, useLoad } from '../route';
import { Card, Loaded } from '../ui';
import { EVENT_NAME } from './task';

/** Nhật ký: who recorded what — by the unit that recorded it, by key, by recording time; page on. */
export const Activity = () => {
  const { unitId } = useCut();
  const { units } = useSession();
  const unitName = useUnitName();
  const [actor, setActor] = useState('');
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [after, setAfter] = useState<number[]>([]);
  const from = parseDate(fromText) ?? undefined;
  const to = parseDate(toText) ?? undefined;
  const query = { ...(unitId && { unit: unitId }), ...(actor && { actor }), ...(from && { from }), ...(to && { to }), limit: 100, ...(after.length && { after: after.at(-1) }) };
  const page = useLoad(() => must(api.GET('/api/v1/audit/activity', { params: { query } })), JSON.stringify(query));
  return (
    <>
      <form className="inline" onSubmit={(e) => e.preventDefault()}>
        <span className="muted">Đơn vị ghi: {unitId ? units.get(unitId)?.name ?? unitId : 'tất cả (chọn ở “Đơn vị”)'}</span>
        <label>Khóa <input value={actor} onChange={(e) => { setActor(e.target.value.trim()); setAfter([]); }} placeholder="ví dụ demo-admin" size={16} /></label>
        <label>Ghi từ ngày <input value={fromText} onChange={(e) => { setFromText(e.target.value); setAfter([]); }} placeholder="dd/mm/yyyy" size={10} /></label>
        <label>đến ngày <input value={toText} onChange={(e) => { setToText(e.target.value); setAfter([]); }} placeholder="dd/mm/yyyy" size={10} /></label>
      </form>
      <Card title="Nhật ký ghi nhận" testId="activity">
        <Loaded state={page}>
          {(p) => (
            <>
              <table>
                <thead><tr><th>Vị trí</th><th>Ghi nhận lúc</th><th>Đơn vị / khóa</th><th>Hồ sơ</th><th>Sự việc</th><th>Xảy ra</th></tr></thead>
                <tbody>{p.events.map((e) => (
                  <tr key={e.globalPosition}>
                    <td>{num(e.globalPosition)}</td><td>{date(e.recordedAt)}</td>
                    <td>{e.actor?.unitId ? unitName(e.actor.unitId) : '–'} <span className="muted">({e.actor?.keyId})</span></td>
                    <td><a href="/lich-su" onClick={(ev) => { ev.preventDefault(); navigate(`/lich-su?streamId=${encodeURIComponent(e.streamId)}`); }}>{e.streamId}</a></td>
                    <td>{EVENT_NAME[e.type] ?? e.type}</td><td>{occurred(e.occurredAt)}</td>
                  </tr>
                ))}</tbody>
              </table>
              <p>
                {after.length > 0 && <button type="button" onClick={() => setAfter(after.slice(0, -1))}>← Trang trước</button>}
                {p.next !== null && <button type="button" onClick={() => setAfter([...after, p.next!])}>Trang sau →</button>}
              </p>
            </>
          )}
        </Loaded>
      </Card>
    </>
  );
};
