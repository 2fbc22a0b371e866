import { useState } from 'react';
import { api, ApiError, must, storedKey } from '../api/client';
import { date, num } from '../format';
import { Card, ErrorBox, Loaded } from '../ui';
import { useLoad } from '../route';

/** What verify checked (the API names its checks in English, as the offline verifier prints them), in Vietnamese. */
const CHECKS: Record<string, string> = {
  'event hashes': 'mã băm của từng sự kiện',
  'stream chains': 'chuỗi băm của từng hồ sơ',
  'stream heads': 'đầu chuỗi của từng hồ sơ',
  'append signatures': 'chữ ký của từng lần ghi',
  'signed tree heads': 'chữ ký của các đầu cây',
  'recording times in position order': 'thời điểm ghi nhận theo thứ tự vị trí',
};
const checkName = (check: string) => {
  const merkle = /^Merkle tree \(RFC 9162\) against (\d+) signed heads?$/.exec(check);
  return merkle ? `cây Merkle (RFC 9162) so với ${num(Number(merkle[1]))} đầu cây đã ký` : CHECKS[check] ?? check;
};

/** Saves a body as a file the user keeps. */
const download = (name: string, body: Blob) => {
  const url = URL.createObjectURL(body);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
};

/** A GET of the audit API as raw JSON text (the tree head is kept exactly as served); null when the server has no such route yet (404). */
const raw = async (path: string): Promise<{ text: string; body: Record<string, unknown> } | null> => {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${storedKey()}`, 'Accept-Language': 'vi' } });
  if (res.status === 404) return null;
  const text = await res.text();
  if (!res.ok) throw new ApiError(res.status, JSON.parse(text));
  return { text, body: JSON.parse(text) };
};

const TreeHead = () => {
  const head = useLoad(async () => ({ head: await raw('/api/v1/audit/tree-head'), key: await raw('/api/v1/audit/public-key') }), 'head');
  return (
    <Card title="Đầu cây đã ký (signed tree head)" testId="tree-head">
      <Loaded state={head}>
        {({ head: h, key }) => !h ? <p className="muted">Máy chủ này chưa ký đầu cây Merkle (chưa có GET /api/v1/audit/tree-head).</p> : (
          <>
            <dl className="facts">
              <dt>Số sự kiện trong cây</dt><dd data-testid="tree-size">{num(Number(h.body.treeSize))}</dd>
              <dt>Gốc cây (root hash)</dt><dd className="hash">{String(h.body.rootHash)}</dd>
              <dt>Vị trí cuối</dt><dd>{num(Number(h.body.lastPosition))}</dd>
              <dt>Ký lúc</dt><dd>{date(String(h.body.timestamp))}</dd>
              <dt>Khóa ký</dt><dd>{String(h.body.keyId)}{key && ` (${String(key.body.algorithm)})`}</dd>
            </dl>
            <button type="button" className="primary" data-testid="save-head" onClick={() => download(`tree-head-${h.body.treeSize}.json`, new Blob([h.text], { type: 'application/json' }))}>
              Lưu đầu cây (tệp JSON, dùng làm head.json)
            </button>
            {key && <button type="button" onClick={() => download('public-key.json', new Blob([key.text], { type: 'application/json' }))}>Lưu khóa công khai</button>}
          </>
        )}
      </Loaded>
    </Card>
  );
};

/** Toàn vẹn: verify the ledger, the current signed tree head (to keep, as a file), an export bundle for a range. */
export const Integrity = () => {
  const [verify, setVerify] = useState<{ running?: boolean; result?: Record<string, unknown>; error?: Error }>({});
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [exportError, setExportError] = useState<Error>();
  const run = async () => {
    setVerify({ running: true });
    try {
      setVerify({ result: (await must(api.GET('/api/v1/audit/verify'))) as Record<string, unknown> });
    } catch (error) {
      setVerify({ error: error as Error });
    }
  };
  const exportBundle = async () => {
    setExportError(undefined);
    const query = new URLSearchParams({ ...(from && { from }), ...(to && { to }) });
    const res = await fetch(`/api/v1/audit/export?${query}`, { headers: { Authorization: `Bearer ${storedKey()}`, 'Accept-Language': 'vi' } });
    if (!res.ok) return setExportError(new ApiError(res.status, await res.json()));
    const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? 'reform-ledger.tar';
    download(name, await res.blob());
  };
  const r = verify.result;
  return (
    <>
      <Card title="Kiểm tra toàn vẹn sổ cái" testId="verify">
        <button type="button" className="primary" onClick={run} disabled={verify.running} data-testid="run-verify">{verify.running ? 'Đang kiểm tra…' : 'Kiểm tra ngay'}</button>
        {verify.error && <ErrorBox error={verify.error} />}
        {r && (
          <div data-testid="verify-result" className={r.ok ? 'ok' : 'error'}>
            <p>{r.ok ? `Toàn vẹn: đã kiểm tra ${num(Number(r.checked))} sự kiện, không có gì bị sửa, xóa hay chèn.`
              : `Phát hiện sai lệch tại vị trí ${num(Number(r.firstBrokenPosition))}: ${String(r.reason ?? '')} (đã kiểm tra ${num(Number(r.checked))} sự kiện).`}</p>
            {Array.isArray(r.checks) && <p>Đã kiểm tra: {(r.checks as string[]).map(checkName).join('; ')}.</p>}
          </div>
        )}
      </Card>
      <TreeHead />
      <Card title="Tải gói dữ liệu để kiểm tra độc lập" testId="export">
        <form className="inline" onSubmit={(e) => { e.preventDefault(); void exportBundle(); }}>
          <label>Từ vị trí <input value={from} onChange={(e) => setFrom(e.target.value)} inputMode="numeric" size={8} placeholder="1" /></label>
          <label>Đến vị trí <input value={to} onChange={(e) => setTo(e.target.value)} inputMode="numeric" size={8} placeholder="mới nhất" /></label>
          <button type="submit">Tải gói (.tar)</button>
        </form>
        {exportError && <ErrorBox error={exportError} />}
        <p className="muted">Kiểm tra gói ngoài máy chủ, so với đầu cây đã lưu: <code>npm run reform-ledger -- verify gói.tar --trusted-head head.json</code></p>
      </Card>
    </>
  );
};
