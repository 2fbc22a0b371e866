import { useEffect, useState } from 'react';
import { api, ApiError, must, Schemas } from '../api/client';
import { useSession, useUnitName } from '../context';
import { date, num } from '../format';
import { isoOf, optional, RecordForm } from '../forms';
import { GENERATION_STATUS, label, ROLE, UNIT_KIND, UNIT_STATUS, VIEW_NAME } from '../labels';
import { useLoad } from '../route';
import { Card, ErrorBox, Loaded } from '../ui';

/** Đơn vị: the register; register a unit, rename it, record a merger (with its successor) or a dissolution. */
export const AdminUnits = () => {
  const { units } = useSession();
  const unitName = useUnitName();
  const [unitId, setUnitId] = useState('');
  const [newId, setNewId] = useState('');
  const [written, setWritten] = useState(0);
  const list = useLoad(() => must(api.GET('/api/v1/units', { params: { query: written > 0 ? { minPosition: written } : {} } })), `admin-units|${written}`);
  const active = [...units.values()].filter((u) => u.status === 'active').map((u): [string, string] => [u.unitId, u.name]);
  const done = (position: number) => setWritten((w) => Math.max(w, position));
  const picked = unitId || active[0]?.[0] || '';
  return (
    <>
      <Card title="Đăng ký đơn vị mới" testId="register-unit">
        <label>Mã đơn vị <input value={newId} onChange={(e) => setNewId(e.target.value.trim())} placeholder="ví dụ ubnd-xa-moi" /></label>
        {newId && (
          <RecordForm key={newId} collection="units" id={newId} type="UnitRegistered" title={`Đăng ký ${newId}`} onDone={done}
            fields={[{ name: 'occurredAt', label: 'Ngày thành lập', kind: 'date' }, { name: 'name', label: 'Tên đơn vị' },
              { name: 'kind', label: 'Loại', kind: 'select', options: Object.entries(UNIT_KIND) }, { name: 'parentUnitId', label: 'Trực thuộc', kind: 'select', options: [['', '(không)'], ...active] }]}
            build={(v) => ({ occurredAt: isoOf(v.occurredAt), data: { name: v.name.trim(), kind: v.kind, ...(v.parentUnitId && { parentUnitId: v.parentUnitId }) } })} />
        )}
      </Card>
      <Card title="Đổi tên, sáp nhập, giải thể" testId="change-unit">
        <label>Đơn vị <select value={picked} onChange={(e) => setUnitId(e.target.value)}>{active.map(([id, n]) => <option key={id} value={id}>{n}</option>)}</select></label>
        {picked && (
          <div className="columns" key={picked}>
            <RecordForm collection="units" id={picked} type="UnitRenamed" title="Đổi tên" onDone={done}
              fields={[{ name: 'occurredAt', label: 'Từ ngày', kind: 'date' }, { name: 'name', label: 'Tên mới' }, { name: 'reason', label: 'Lý do' }]}
              build={(v) => ({ occurredAt: isoOf(v.occurredAt), data: { name: v.name.trim(), ...(optional(v.reason) && { reason: optional(v.reason) }) } })} />
            <RecordForm collection="units" id={picked} type="UnitMerged" title="Sáp nhập vào đơn vị khác" onDone={done}
              fields={[{ name: 'occurredAt', label: 'Từ ngày', kind: 'date' }, { name: 'intoUnitId', label: 'Đơn vị tiếp nhận', kind: 'select', options: active.filter(([id]) => id !== picked) },
                { name: 'reason', label: 'Căn cứ' }]}
              build={(v) => ({ occurredAt: isoOf(v.occurredAt), data: { intoUnitId: v.intoUnitId, ...(optional(v.reason) && { reason: optional(v.reason) }) } })} />
            <RecordForm collection="units" id={picked} type="UnitDissolved" title="Giải thể" onDone={done}
              fields={[{ name: 'occurredAt', label: 'Từ ngày', kind: 'date' }, { name: 'reason', label: 'Căn cứ' }]}
              build={(v) => ({ occurredAt: isoOf(v.occurredAt), data: { ...(optional(v.reason) && { reason: optional(v.reason) }) } })} />
          </div>
        )}
      </Card>
      <Card title="Danh sách đơn vị" testId="unit-list">
        <Loaded state={list}>
          {({ units: all }) => (
            <table>
              <thead><tr><th>Tên</th><th>Mã</th><th>Loại</th><th>Tình trạng</th><th>Trực thuộc / tiếp nhận</th></tr></thead>
              <tbody>{all.map((u) => (
                <tr key={u.unitId}><td>{u.name}</td><td className="muted">{u.unitId}</td><td>{label(UNIT_KIND, u.kind)}</td>
                  <td>{label(UNIT_STATUS, u.status)}{u.since && ` từ ${date(u.since)}`}</td><td>{u.intoUnitId ? `→ ${unitName(u.intoUnitId)}` : unitName(u.parentUnitId)}</td></tr>
              ))}</tbody>
            </table>
          )}
        </Loaded>
      </Card>
    </>
  );
};

type Issued = Schemas['ApiKeyIssued'];

/** Khóa truy cập: issue a key for a role and unit (its token shown once), list, revoke. */
export const AdminKeys = () => {
  const { units } = useSession();
  const unitName = useUnitName();
  const [role, setRole] = useState('department');
  const [unitId, setUnitId] = useState('');
  const [keyLabel, setKeyLabel] = useState('');
  const [issued, setIssued] = useState<Issued>();
  const [error, setError] = useState<Error>();
  const [version, setVersion] = useState(0);
  const keys = useLoad(() => must(api.GET('/api/v1/admin/api-keys')), `keys|${version}`);
  const issue = async () => {
    setError(undefined);
    try {
      setIssued(await must(api.POST('/api/v1/admin/api-keys', { body: { role: role as Issued['role'] & 'department', ...(unitId && { unitId }), ...(keyLabel.trim() && { label: keyLabel.trim() }) } })));
      setVersion((n) => n + 1);
    } catch (e) {
      setError(e as Error);
    }
  };
  const revoke = async (keyId: string) => {
    try {
      await must(api.DELETE('/api/v1/admin/api-keys/{keyId}', { params: { path: { keyId } } }));
      setVersion((n) => n + 1);
    } catch (e) {
      setError(e as Error);
    }
  };
  const unitReasons = error instanceof ApiError ? error.reasonsFor('unitId') : [];
  return (
    <>
      <Card title="Cấp khóa mới" testId="issue-key">
        <form className="record" onSubmit={(e) => { e.preventDefault(); void issue(); }}>
          <label><span>Vai trò</span><select value={role} onChange={(e) => setRole(e.target.value)}>{Object.entries(ROLE).map(([r, t]) => <option key={r} value={r}>{t}</option>)}</select></label>
          <label><span>Đơn vị</span>
            <select value={unitId} onChange={(e) => setUnitId(e.target.value)}>
              <option value="">(không gắn đơn vị)</option>
              {[...units.values()].filter((u) => u.status === 'active').map((u) => <option key={u.unitId} value={u.unitId}>{u.name}</option>)}
            </select>
            {unitReasons.map((r, i) => <span key={i} className="field-error">{r}</span>)}
          </label>
          <label><span>Ghi chú</span><input value={keyLabel} onChange={(e) => setKeyLabel(e.target.value)} placeholder="ví dụ: cán bộ một cửa" /></label>
          {error && unitReasons.length === 0 && <ErrorBox error={error} />}
          <button type="submit">Cấp khóa</button>
        </form>
        {issued && (
          <div className="banner" data-testid="issued-token">
            Khóa <strong>{issued.keyId}</strong> ({label(ROLE, issued.role)}{issued.unitId && `, ${unitName(issued.unitId)}`}): <code>{issued.token}</code>
            <br />Chỉ hiển thị một lần: hãy sao chép và trao cho người dùng ngay.
          </div>
        )}
      </Card>
      <Card title="Các khóa đã cấp" testId="key-list">
        <Loaded state={keys}>
          {(list) => (
            <table>
              <thead><tr><th>Mã khóa</th><th>Vai trò</th><th>Đơn vị</th><th>Ghi chú</th><th>Cấp lúc</th><th>Tình trạng</th><th /></tr></thead>
              <tbody>{list.map((k) => (
                <tr key={k.keyId} data-key-id={k.keyId}>
                  <td>{k.keyId}</td><td>{label(ROLE, k.role)}</td><td>{unitName(k.unitId)}</td><td>{k.label ?? ''}</td><td>{date(k.createdAt)}</td>
                  <td>{k.revokedAt ? `Đã thu hồi lúc ${date(k.revokedAt)}` : 'Đang dùng'}</td>
                  <td>{!k.revokedAt && <button type="button" onClick={() => void revoke(k.keyId)}>Thu hồi</button>}</td>
                </tr>
              ))}</tbody>
            </table>
          )}
        </Loaded>
      </Card>
    </>
  );
};

/** Chế độ xem: each view's generations and lag; start a rebuild and watch its progress. */
export const AdminViews = () => {
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<Error>();
  const views = useLoad(async () => {
    const [admin, health] = await Promise.all([must(api.GET('/api/v1/admin/views')), fetch('/health').then((r) => r.json())]);
    // /health gives each view's lag behind the ledger's head under info.projections.<view>.
    const projections = (health.info?.projections ?? {}) as Record<string, { lag?: number }>;
    return { admin, lags: new Map(admin.views.flatMap((v) => (typeof projections[v.view]?.lag === 'number' ? [[v.view, projections[v.view].lag!] as const] : []))) };
  }, `views|${version}`, true);
  const rebuilding = views.data?.admin.views.some((v) => v.rebuilding);
  useEffect(() => {
    if (!rebuilding) return;
    const timer = setTimeout(() => setVersion((n) => n + 1), 1000);
    return () => clearTimeout(timer);
  }, [rebuilding, version]);
  const rebuild = async (view: string) => {
    setError(undefined);
    try {
      await must(api.POST('/api/v1/admin/views/{view}/rebuild', { params: { path: { view: view as 'registry' } } }));
      setVersion((n) => n + 1);
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <Card title="Các chế độ xem" testId="admin-views">
      {error && <ErrorBox error={error} />}
      <Loaded state={views}>
        {({ admin, lags }) => (
          <table>
            <thead><tr><th>Chế độ xem</th><th>Thế hệ</th><th className="n">Độ trễ (sự kiện)</th><th>Dựng lại</th></tr></thead>
            <tbody>{admin.views.map((v) => (
              <tr key={v.view} data-view={v.view} data-testid="view-row">
                <td>{label(VIEW_NAME, v.view)} <span className="muted">(phiên bản {v.version})</span></td>
                <td>{v.generations.map((g) => `#${g.generation} ${label(GENERATION_STATUS, g.status)} đến vị trí ${num(g.checkpoint)}`).join('; ')}</td>
                <td className="n">{lags.has(v.view) ? num(lags.get(v.view)!) : '–'}</td>
                <td>{v.rebuilding
                  ? <span data-testid="rebuild-progress">Đang dựng: {num(v.rebuilding.position)}/{num(v.rebuilding.head)} ({v.rebuilding.head ? Math.round((v.rebuilding.position / v.rebuilding.head) * 100) : 0} %)</span>
                  : <button type="button" onClick={() => void rebuild(v.view)}>Dựng lại</button>}</td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </Loaded>
    </Card>
  );
};
