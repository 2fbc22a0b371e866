import { useState } from 'react';
import { api, must, Schemas } from '../api/client';
import { useSession, useUnitName } from '../context';
import { date, num, occurred } from '../format';
import { setParams, useCut, useLoad, useLocation } from '../route';
import { Card, Loaded } from '../ui';
import { EVENT_NAME, LateEntry } from './task';

type StoredEvent = Schemas['StoredEvent'];

const KINDS: [string, string][] = [
  ['task', 'Nhiệm vụ'], ['plan', 'Kế hoạch'], ['inspection', 'Đợt kiểm tra'], ['recruitment', 'Đợt tuyển dụng'], ['legal-document', 'Văn bản QPPL'],
  ['document', 'Văn bản'], ['unit', 'Đơn vị'],
];

/** The fields whose value differs between two states, with both values. */
const changes = (before: unknown, after: unknown) => {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
    .map((k) => ({ field: k, before: b[k], after: a[k] }));
};
/** A state's field in Vietnamese. */
const FIELD: Record<string, string> = {
  status: 'Trạng thái', title: 'Tên', planId: 'Kế hoạch', field: 'Lĩnh vực', leadUnitId: 'Đơn vị chủ trì', supportingUnitIds: 'Đơn vị phối hợp', dueOn: 'Hạn',
  completedOn: 'Ngày hoàn thành', progress: 'Tiến độ', name: 'Tên', kind: 'Loại', parentUnitId: 'Trực thuộc', aliases: 'Tên gọi khác', intoUnitId: 'Sáp nhập vào',
  since: 'Từ ngày', reference: 'Số, ký hiệu', issuerUnitId: 'Cơ quan ban hành', date: 'Ngày', documentType: 'Loại văn bản', year: 'Năm', ownerUnitId: 'Đơn vị',
  issuedOn: 'Ngày ban hành', documentId: 'Văn bản', amendments: 'Sửa đổi', targetUnitIds: 'Đối tượng kiểm tra', periodFrom: 'Từ ngày', periodTo: 'Đến ngày',
  visits: 'Các lượt kiểm tra', findings: 'Kết quả', concludedOn: 'Ngày kết luận', summary: 'Kết luận', draftingUnitId: 'Đơn vị soạn thảo', draftedOn: 'Ngày dự thảo',
  appraisals: 'Thẩm định', expiredOn: 'Ngày hết hiệu lực', positions: 'Vị trí', applications: 'Hồ sơ', noticeDocumentId: 'Thông báo', councilDocumentId: 'Hội đồng',
};
const STATUS: Record<string, string> = {
  absent: 'chưa có', open: 'đang thực hiện', done: 'đã hoàn thành', cancelled: 'đã hủy', active: 'đang hoạt động', merged: 'đã sáp nhập', dissolved: 'đã giải thể',
  registered: 'đã đăng ký', issued: 'đã ban hành', planned: 'đã lên kế hoạch', in_progress: 'đang kiểm tra', concluded: 'đã kết luận', draft: 'dự thảo', expired: 'hết hiệu lực',
};

/** A value as a person reads it: a unit's or field's name, a status in words, a day as dd/mm/yyyy. */
const useShow = () => {
  const { units, fieldNames } = useSession();
  const one = (k: string, v: unknown): string => {
    if (v === undefined || v === null) return '–';
    if (Array.isArray(v)) return v.length === 0 ? '–' : v.map((x) => one(k, x)).join(', ');
    if (typeof v === 'string') {
      if (k === 'status') return STATUS[v] ?? v;
      if (k === 'field') return fieldNames.get(v) ?? v;
      if (units.has(v)) return units.get(v)!.name;
      return /^\d{4}-\d{2}-\d{2}$/.test(v) ? date(v) : v;
    }
    if (typeof v === 'object' && 'numerator' in (v as object)) return `${(v as { numerator: number }).numerator}/${(v as { denominator: number }).denominator}`;
    return JSON.stringify(v);
  };
  return one;
};

const Timeline = ({ events }: { events: (StoredEvent & { recordedLate?: Schemas['TaskHistory']['events'][number]['recordedLate'] })[] }) => {
  const unitName = useUnitName();
  const show = useShow();
  return (
    <ol className="timeline" data-testid="timeline">
      {events.map((e) => (
        <li key={e.globalPosition} data-type={e.type} data-late={e.recordedLate ? 'true' : 'false'}>
          <div className="when">
            <strong>{EVENT_NAME[e.type] ?? e.type}</strong> — xảy ra {occurred(e.occurredAt)}<LateEntry late={e.recordedLate ?? null} />
          </div>
          <div className="muted">
            Ghi nhận lúc {date(e.recordedAt)} bởi {e.actor?.unitId ? unitName(e.actor.unitId) : ''} (khóa {e.actor?.keyId ?? '–'}) · vị trí {num(e.globalPosition)} · phiên bản {num(e.streamVersion)}
          </div>
          {e.stateAfter !== undefined && (
            <table className="state-change">
              <thead><tr><th>Trường</th><th>Trước</th><th>Sau</th></tr></thead>
              <tbody>{changes(e.stateBefore, e.stateAfter).map((c) => <tr key={c.field}><td>{FIELD[c.field] ?? c.field}</td><td>{show(c.field, c.before)}</td><td>{show(c.field, c.after)}</td></tr>)}</tbody>
            </table>
          )}
          <details><summary>Bản ghi gốc</summary><pre>{JSON.stringify(e, null, 2)}</pre></details>
        </li>
      ))}
    </ol>
  );
};

/** Lịch sử hồ sơ: any record's history — valid and transaction time, who recorded it, the state before and after, the raw envelope, late entries marked. */
export const History = () => {
  const { params } = useLocation();
  const { cut } = useCut();
  const streamId = params.get('streamId') ?? '';
  const [kind, setKind] = useState(streamId.split(':')[0] || 'task');
  const [id, setId] = useState(streamId.split(':').slice(1).join(':'));
  const state = useLoad(async () => (streamId ? must(api.GET('/api/v1/audit/streams/{streamId}', {
    params: { path: { streamId }, query: { withStates: true, ...(cut.knownAt && { knownAt: cut.knownAt }) } },
  })) : null), `${streamId}|${cut.knownAt}`);
  return (
    <>
      <form className="inline" onSubmit={(e) => { e.preventDefault(); setParams({ streamId: id.trim() ? `${kind}:${id.trim()}` : undefined }); }}>
        <label>Loại hồ sơ <select value={kind} onChange={(e) => setKind(e.target.value)}>{KINDS.map(([k, t]) => <option key={k} value={k}>{t}</option>)}</select></label>
        <label>Mã hồ sơ <input data-testid="record-id" value={id} onChange={(e) => setId(e.target.value)} placeholder="ví dụ NV-11" /></label>
        <button type="submit">Xem lịch sử</button>
      </form>
      {streamId && (
        <Card title={`Lịch sử ${streamId}`} testId="record-history">
          <Loaded state={state}>{(s) => (s ? <Timeline events={s.events} /> : null)}</Loaded>
        </Card>
      )}
    </>
  );
};
