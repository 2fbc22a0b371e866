import { useRef, useState } from 'react';
import { api, ApiError, must } from './api/client';
import { useSession, useUnitName } from './context';
import { date, num, parseDate, today } from './format';
import { useLoad } from './route';
import { ErrorBox } from './ui';

type Collection = 'tasks' | 'inspections' | 'recruitments' | 'units';
export type Field = { name: string; label: string; kind?: 'date' | 'text' | 'number' | 'select' | 'document'; options?: [string, string][]; required?: boolean; placeholder?: string };
type Values = Record<string, string>;

/** The field an API reason belongs to: occurredAt, or data.<name>. */
const apiField = (name: string) => (name === 'occurredAt' ? 'occurredAt' : `data.${name}`);

/**
 * A form that records one event through the v1 API. One Idempotency-Key per form instance: a double
 * click or a resubmit after a network error records once; a new key only after a success. The API's
 * refusals (400, 403, 422) are shown at the field they name, in its words.
 */
export const RecordForm = ({ collection, id, type, title, fields, build, onDone }: {
  collection: Collection; id: string; type: string; title: string; fields: Field[];
  build: (v: Values) => { occurredAt: string; data: Record<string, unknown> }; onDone: (position: number) => void;
}) => {
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [values, setValues] = useState<Values>(() => Object.fromEntries(fields.map((f) => [f.name, f.kind === 'date' ? date(today()) : f.options?.[0]?.[0] ?? ''])));
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false); // a second click before React re-renders sends nothing
  const [done, setDone] = useState<string>();
  const local = (f: Field): string | undefined => (f.kind === 'date' && values[f.name] && !parseDate(values[f.name]) ? 'Ngày phải viết dạng dd/mm/yyyy và có thật, ví dụ 30/11/2022' : undefined);
  const submit = async () => {
    if (fields.some(local) || inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(undefined);
    try {
      const body = { type, ...build(values) };
      const recorded = await must(api.POST('/api/v1/{collection}/{id}/events', {
        params: { path: { collection, id }, header: { 'Idempotency-Key': key } }, body: body as never,
      }));
      setDone(`Đã ghi nhận (vị trí ${num(recorded.globalPosition)}).`);
      setKey(crypto.randomUUID());
      onDone(recorded.globalPosition); // the caller reads its own write with minPosition
    } catch (e) {
      setError(e as Error);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };
  const reasons = (f: Field) => [local(f), ...(error instanceof ApiError ? error.reasonsFor(apiField(f.name)) : [])].filter(Boolean);
  const named = new Set(fields.map((f) => apiField(f.name)));
  const other = error instanceof ApiError ? (error.problem.errors ?? []).filter((e) => ![...named].some((n) => e.field === n || e.field.startsWith(`${n}.`))) : [];
  return (
    <form className="record" data-testid={`form-${type}`} data-idempotency-key={key} onSubmit={(e) => { e.preventDefault(); if (!busy) void submit(); }}>
      <h4>{title}</h4>
      {fields.map((f) => { const Field = f.kind === 'document' ? 'div' : 'label'; return (
        <Field key={f.name} className={f.kind === 'document' ? 'field' : undefined}>
          <span>{f.label}</span>
          {f.kind === 'document' ? (
            <DocumentPicker name={f.name} value={values[f.name]} onChange={(v) => setValues({ ...values, [f.name]: v })} />
          ) : f.kind === 'select' ? (
            <select name={f.name} value={values[f.name]} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}>
              {f.options!.map(([v, t]) => <option key={v} value={v}>{t}</option>)}
            </select>
          ) : (
            <input name={f.name} value={values[f.name]} placeholder={f.placeholder ?? (f.kind === 'date' ? 'dd/mm/yyyy' : '')} inputMode={f.kind === 'number' ? 'numeric' : undefined}
              aria-invalid={reasons(f).length > 0} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} />
          )}
          {reasons(f).map((r, i) => <span key={i} className="field-error" data-field-error={f.name}>{r}</span>)}
        </Field>
      ); })}
      {error && (other.length > 0 || !(error instanceof ApiError) || (error.problem.errors ?? []).length === 0) && <ErrorBox error={error} />}
      {done && !error && <p className="ok" role="status">{done}</p>}
      <button type="submit" disabled={busy}>{busy ? 'Đang gửi…' : 'Ghi nhận'}</button>
    </form>
  );
};

const PICKED = 20;

/**
 * A registered document, picked by its number and symbol or its title (GET /api/v1/documents?q=, as the
 * registry holds it now); the form sends its record id. "Only my unit's" narrows it to what the unit
 * issued or registered.
 */
const DocumentPicker = ({ name, value, onChange }: { name: string; value: string; onChange: (documentId: string) => void }) => {
  const { me } = useSession();
  const unitName = useUnitName();
  const [q, setQ] = useState('');
  const [own, setOwn] = useState(false);
  const words = q.trim();
  const found = useLoad(() => must(api.GET('/api/v1/documents', {
    params: { query: { ...(words && { q: words }), ...(own && me.unitId && { unitId: me.unitId }), limit: PICKED } },
  })), `${words}|${own}`, true);
  const documents = found.data?.documents ?? [];
  return (
    <span className="document-picker" data-testid={`document-picker-${name}`}>
      <input type="search" name={`${name}-search`} value={q} placeholder="Tìm theo số, ký hiệu hoặc trích yếu, ví dụ 39/QĐ-UBND" onChange={(e) => setQ(e.target.value)} />
      {me.unitId && <label className="inline"><input type="checkbox" checked={own} onChange={(e) => setOwn(e.target.checked)} /> Chỉ văn bản của {unitName(me.unitId)}</label>}
      <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">(không có văn bản)</option>
        {value && !documents.some((d) => d.documentId === value) && <option value={value}>{value}</option>}
        {documents.map((d) => (
          <option key={d.documentId} value={d.documentId}>
            {`${d.documentTypeName} số ${d.reference} ngày ${date(d.date)} của ${unitName(d.issuerUnitId)}${d.title ? ` — ${d.title}` : ''}`}
          </option>
        ))}
      </select>
      {found.error ? <ErrorBox error={found.error} /> : found.data && (
        <span className="muted" data-testid="document-count">
          {found.data.total === 0 ? 'Không có văn bản nào khớp.' : found.data.total > documents.length
            ? `${num(documents.length)} trong ${num(found.data.total)} văn bản khớp; gõ thêm để thu hẹp.` : `${num(found.data.total)} văn bản khớp.`}
        </span>
      )}
    </span>
  );
};

/** A date typed dd/mm/yyyy as the API's YYYY-MM-DD (left as typed when it is not one: the API then says what is wrong). */
export const isoOf = (text: string) => parseDate(text) ?? text;
export const optional = (v: string) => (v.trim() ? v.trim() : undefined);
