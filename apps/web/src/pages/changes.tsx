import { useState } from 'react';
import { api, must } from '../api/client';
import { useSession } from '../context';
import { describeCut } from '../time-bar';
import { Cut, cutKey, cutQuery, useCut, useLoad } from '../route';
import { Card, Loaded } from '../ui';
import { VIEW_NAME } from '../labels';
import { num, occurred } from '../format';
import { EVENT_NAME } from './task';

type DiffView = 'plan-progress' | 'inspection-log' | 'recruitment-pipeline' | 'legal-register';
const KEY: Record<DiffView, 'planId' | 'inspectionId' | 'recruitmentId' | 'year'> = {
  'plan-progress': 'planId', 'inspection-log': 'inspectionId', 'recruitment-pipeline': 'recruitmentId', 'legal-register': 'year',
};

/** A cut's transaction-time side as the diff route's bound: a position, or a moment; none is the start (or now). */
const bound = (cut: Cut | null) => cut?.position ?? cut?.knownAt;

/** The records a view is keyed by, at the cut, with their names. */
const useChoices = (view: DiffView) => {
  const { cut } = useCut();
  const { year } = useSession();
  return useLoad(async (): Promise<[string, string][]> => {
    const q = { params: { query: cutQuery(cut) } };
    if (view === 'plan-progress') return (await must(api.GET('/api/v1/plans', q))).plans.map((p) => [p.planId, p.title]);
    if (view === 'inspection-log') return (await must(api.GET('/api/v1/inspections', q))).inspections.map((i) => [i.inspectionId, i.title]);
    if (view === 'recruitment-pipeline') return (await must(api.GET('/api/v1/recruitments', q))).recruitments.map((r) => [r.recruitmentId, r.title]);
    return [[String(year), `Năm ${year}`], [String(year - 1), `Năm ${year - 1}`]];
  }, `${view}|${cutKey(cut)}`);
};

/**
 * Thay đổi giữa hai thời điểm: for a view, what changed between the compare cut ("So sánh với", the
 * earlier one; the start when none) and the page's cut, and the events that changed it.
 */
export const Changes = () => {
  const { cut, compare } = useCut();
  const [view, setView] = useState<DiffView>('plan-progress');
  const choices = useChoices(view);
  const [picked, setPicked] = useState('');
  const id = picked || choices.data?.[0]?.[0] || '';
  const diff = useLoad(async () => (id ? must(api.GET('/api/v1/audit/diff', {
    params: { query: { view, [KEY[view]]: KEY[view] === 'year' ? Number(id) : id, ...(bound(compare) && { from: bound(compare) }), ...(bound(cut) && { to: bound(cut) }), ...(cut.asOf && { asOf: cut.asOf }) } },
  })) : null), `${view}|${id}|${cutKey(cut)}|${cutKey(compare)}`);
  return (
    <>
      <p className="muted">Từ: {compare ? describeCut(compare) : 'khi sổ cái bắt đầu'} — đến: {describeCut(cut)}. Chọn mốc so sánh ở “So sánh với”.</p>
      <form className="inline" onSubmit={(e) => e.preventDefault()}>
        <label>Chế độ xem <select value={view} onChange={(e) => { setView(e.target.value as DiffView); setPicked(''); }}>
          {(Object.keys(KEY) as DiffView[]).map((v) => <option key={v} value={v}>{VIEW_NAME[v]}</option>)}
        </select></label>
        <label>Hồ sơ <select value={id} onChange={(e) => setPicked(e.target.value)}>{(choices.data ?? []).map(([k, t]) => <option key={k} value={k}>{t}</option>)}</select></label>
      </form>
      <Loaded state={diff}>
        {(d) => d && (
          <>
            <Card title={`Thay đổi (${num(d.changed.length)})`} testId="changed">
              {d.changed.length === 0 ? <p className="muted">Không có gì thay đổi.</p> : (
                <table>
                  <thead><tr><th>Mục</th><th>Trước</th><th>Sau</th></tr></thead>
                  <tbody>{d.changed.map((c, i) => {
                    const row = c as Record<string, unknown>;
                    const key = Object.entries(row).find(([k]) => k !== 'before' && k !== 'after');
                    return <tr key={i}><td>{key ? String(key[1]) : i}</td><td><Summary value={row.before} /></td><td><Summary value={row.after} /></td></tr>;
                  })}</tbody>
                </table>
              )}
            </Card>
            <Card title={`Sự kiện đã làm thay đổi (${num(d.events.length)})`} testId="diff-events">
              <table>
                <thead><tr><th>Vị trí</th><th>Hồ sơ</th><th>Sự việc</th><th>Xảy ra</th></tr></thead>
                <tbody>{d.events.map((e) => <tr key={e.globalPosition}><td>{num(e.globalPosition)}</td><td>{e.streamId}</td><td>{EVENT_NAME[e.type] ?? e.type}</td><td>{occurred(e.occurredAt)}</td></tr>)}</tbody>
              </table>
            </Card>
          </>
        )}
      </Loaded>
    </>
  );
};

const STATE_WORDS: Record<string, string> = { open: 'đang thực hiện', done: 'đã hoàn thành', cancelled: 'đã hủy', absent: 'chưa có', draft: 'dự thảo', issued: 'đã ban hành', expired: 'hết hiệu lực' };
/** A state in a few words: its status and the day it came to it. */
const Summary = ({ value }: { value: unknown }) => {
  if (value === null || value === undefined) return <span className="muted">chưa có</span>;
  const v = value as Record<string, unknown>;
  const status = typeof v.status === 'string' ? STATE_WORDS[v.status] ?? v.status : undefined;
  const day = [v.completedOn, v.issuedOn, v.date].find((x) => typeof x === 'string') as string | undefined;
  return <span title={JSON.stringify(value)}>{status ?? JSON.stringify(value).slice(0, 80)}{day && ` (${occurred(`${day}T00:00:00Z`)})`}</span>;
};
