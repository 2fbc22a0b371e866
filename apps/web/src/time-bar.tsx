import { useEffect, useState } from 'react';
import { ApiError } from './api/client';
import { useSession } from './context';
import { date, parseDate, today } from './format';
import { compareKey, Cut, CUT_KEYS, setParams, useCut } from './route';

const presets = (year: number) => [
  [`${year}-03-31`, `31/03`], [`${year}-06-30`, `30/06`], [`${year}-09-30`, `30/09`], [`${year}-11-30`, `30/11`], [`${year}-12-31`, `31/12`],
];

/** A date typed as dd/mm/yyyy, applied on Enter or when leaving the field; a bad one says so. */
const DateField = ({ value, onChange, label, testId }: { value?: string; onChange: (iso: string | undefined) => void; label: string; testId: string }) => {
  const [text, setText] = useState(value ? date(value) : '');
  const [bad, setBad] = useState(false);
  useEffect(() => setText(value ? date(value) : ''), [value]);
  const apply = () => {
    if (text.trim() === '') return onChange(undefined);
    const iso = parseDate(text);
    setBad(iso === null);
    if (iso) onChange(iso);
  };
  return (
    <span className="field">
      <input aria-label={label} data-testid={testId} placeholder="dd/mm/yyyy" value={text} inputMode="numeric" size={10}
        onChange={(e) => setText(e.target.value)} onBlur={apply} onKeyDown={(e) => e.key === 'Enter' && apply()} aria-invalid={bad} />
      {bad && <span className="field-error">Ngày phải viết dạng dd/mm/yyyy và có thật, ví dụ 30/11/2022</span>}
    </span>
  );
};

/** "Theo dữ liệu ghi nhận lúc": now, one of the ledger's marks, or a moment typed in. */
const KnownAtField = ({ value, onChange, testId }: { value?: string; onChange: (v: string | undefined) => void; testId: string }) => {
  const { marks } = useSession();
  const isMark = marks.some((m) => m.knownAt === value);
  const [custom, setCustom] = useState(!!value && !isMark);
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  return (
    <span className="field">
      <select aria-label="Theo dữ liệu ghi nhận lúc" data-testid={testId} value={custom ? 'custom' : value ?? ''}
        onChange={(e) => {
          if (e.target.value === 'custom') return setCustom(true);
          setCustom(false);
          onChange(e.target.value || undefined);
        }}>
        <option value="">Hiện tại (mọi dữ liệu đã ghi)</option>
        {marks.map((m) => <option key={m.position} value={m.knownAt}>{m.label} — {date(m.knownAt)}</option>)}
        <option value="custom">Thời điểm khác…</option>
      </select>
      {custom && (
        <input aria-label="Thời điểm ghi nhận" placeholder="2022-11-30T17:00:00+07:00" value={text} size={26}
          onChange={(e) => setText(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && onChange(text || undefined)} onBlur={() => onChange(text || undefined)} />
      )}
    </span>
  );
};

const CutFields = ({ cut, set, prefix }: { cut: Cut; set: (k: keyof Cut, v: string | undefined) => void; prefix: string }) => {
  const { year } = useSession();
  return (
    <>
      <label className="cut-part">
        <span>Tính đến ngày</span>
        <DateField value={cut.asOf} onChange={(v) => set('asOf', v)} label="Tính đến ngày" testId={`${prefix}asOf`} />
        <span className="presets">
          {presets(year).map(([iso, text]) => (
            <button type="button" key={iso} className={cut.asOf === iso ? 'on' : ''} onClick={() => set('asOf', iso)}>{text}</button>
          ))}
          <button type="button" className={!cut.asOf ? 'on' : ''} onClick={() => set('asOf', undefined)}>Hôm nay</button>
        </span>
      </label>
      <label className="cut-part">
        <span>Theo dữ liệu ghi nhận lúc</span>
        <KnownAtField value={cut.knownAt} onChange={(v) => set('knownAt', v)} testId={`${prefix}knownAt`} />
      </label>
      <label className="cut-part">
        <span>Vị trí sổ cái</span>
        <input aria-label="Vị trí sổ cái" data-testid={`${prefix}position`} inputMode="numeric" size={6} defaultValue={cut.position ?? ''} key={cut.position ?? ''}
          placeholder="mới nhất" onKeyDown={(e) => e.key === 'Enter' && set('position', (e.target as HTMLInputElement).value.trim() || undefined)}
          onBlur={(e) => set('position', e.target.value.trim() || undefined)} />
      </label>
    </>
  );
};

const LABEL: Record<keyof Cut, string> = { asOf: 'Tính đến ngày', knownAt: 'Theo dữ liệu ghi nhận lúc', position: 'Vị trí sổ cái' };

/** In words: what a cut shows. */
export const describeCut = (cut: Cut): string => {
  const parts = [cut.asOf ? `tình hình đến hết ngày ${date(cut.asOf)}` : 'tình hình đến hôm nay'];
  if (cut.knownAt) parts.push(`theo dữ liệu đã ghi nhận lúc ${date(cut.knownAt)}`);
  if (cut.position) parts.push(`theo sổ cái đến vị trí ${cut.position}`);
  return parts.join(', ');
};

/** The time bar, on every page: the cut (and a second one to compare with) lives in the URL. */
export const TimeBar = ({ error }: { error?: Error }) => {
  const { cut, compare } = useCut();
  // The API's refusal of the cut (a bad date, a position it never assigned), next to the time bar, in its words.
  const refused = error instanceof ApiError ? (error.problem.errors ?? []).filter((e) => CUT_KEYS.includes(e.field as keyof Cut)) : [];
  const [comparing, setComparing] = useState(!!compare);
  const past = (cut.asOf && cut.asOf < today()) || cut.knownAt || cut.position;
  return (
    <div className="time-bar" data-testid="time-bar">
      <div className="cut-row"><CutFields cut={cut} prefix="" set={(k, v) => setParams({ [k]: v })} /></div>
      <div className="cut-row">
        <label className="cut-part">
          <input type="checkbox" checked={comparing || !!compare} data-testid="compare-toggle"
            onChange={(e) => {
              setComparing(e.target.checked);
              if (!e.target.checked) setParams(Object.fromEntries(CUT_KEYS.map((k) => [compareKey(k), undefined])));
            }} />
          <span>So sánh với</span>
        </label>
        {(comparing || compare) && <CutFields cut={compare ?? {}} prefix="compare-" set={(k, v) => setParams({ [compareKey(k)]: v })} />}
      </div>
      {refused.length > 0 && (
        <div className="error" role="alert" data-testid="cut-error">
          {refused.map((e, i) => <p key={i}>{LABEL[e.field as keyof Cut]}: {e.reason}</p>)}
        </div>
      )}
      {past && (
        <p className="banner" role="note" data-testid="past-banner">
          Bạn đang xem quá khứ: {describeCut(cut)}. Chọn “Hôm nay” và “Hiện tại” để xem tình hình mới nhất.
        </p>
      )}
      {compare && <p className="banner compare" data-testid="compare-banner">So sánh với: {describeCut(compare)}. Số trong ngoặc là mức thay đổi.</p>}
    </div>
  );
};
