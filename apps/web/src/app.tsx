import { useEffect, useState } from 'react';
import { api, ApiError, must, storedKey, storeKey } from './api/client';
import { Session, SessionContext, useSession } from './context';
import { ROLE } from './labels';
import { pageAt, pagesFor } from './pages';
import { cutKey, cutQuery, navigate, setParams, useCut, useLoad, useLocation } from './route';
import { TimeBar } from './time-bar';
import { ErrorBox, Loading } from './ui';

/** Sign in by pasting a key; in demo mode the demo keys are listed to pick from. */
const SignIn = ({ onKey, refused }: { onKey: (key: string) => void; refused?: Error }) => {
  const [key, setKey] = useState('');
  const [picked, setUnit] = useState('');
  const demo = useLoad(() => must(api.GET('/api/v1/demo-keys')).catch(() => null), 'demo');
  const unit = picked || demo.data?.keys.find((k) => k.role === 'department')?.token || '';
  return (
    <main className="sign-in">
      <h1>Sổ cái cải cách hành chính</h1>
      <form onSubmit={(e) => { e.preventDefault(); if (key.trim()) onKey(key.trim()); }}>
        <label htmlFor="key">Khóa truy cập (API key)</label>
        <input id="key" data-testid="key-input" value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" placeholder="Dán khóa truy cập vào đây" />
        <button type="submit">Đăng nhập</button>
        {refused && <ErrorBox error={refused} />}
      </form>
      {demo.data && (
        <section className="demo-keys" data-testid="demo-keys">
          <h2>Khóa dùng thử (chế độ thử)</h2>
          <ul>
            {demo.data.keys.filter((k) => k.role !== 'department').map((k) => (
              <li key={k.token}><button type="button" data-key={k.token} onClick={() => onKey(k.token)}>{ROLE[k.role] ?? k.role}</button></li>
            ))}
          </ul>
          <form className="inline" onSubmit={(e) => { e.preventDefault(); if (unit) onKey(unit); }}>
            <label>{ROLE.department}{' '}
              <select value={unit} onChange={(e) => setUnit(e.target.value)} data-testid="demo-department">
                {demo.data.keys.filter((k) => k.role === 'department').map((k) => <option key={k.token} value={k.token}>{k.unitName}</option>)}
              </select>
            </label>
            <button type="submit" data-testid="demo-department-sign-in">Vào với đơn vị này</button>
          </form>
        </section>
      )}
    </main>
  );
};

/** The unit selector: one unit, or all; it scopes every page (unitId in the URL). */
const UnitSelector = () => {
  const { unitId } = useCut();
  const { units } = useSession();
  return (
    <label className="unit-selector">
      <span>Đơn vị</span>
      <select data-testid="unit-selector" value={unitId ?? ''} onChange={(e) => setParams({ unitId: e.target.value || undefined })}>
        <option value="">Tất cả đơn vị</option>
        {[...units.values()].map((u) => <option key={u.unitId} value={u.unitId}>{u.name}</option>)}
      </select>
    </label>
  );
};

const Shell = ({ session, signOut, cutError }: { session: Session; signOut: () => void; cutError?: Error }) => {
  const { path } = useLocation();
  const pages = pagesFor(session.me.role);
  const page = pageAt(path, session.me.role);
  useEffect(() => {
    if (!page && pages[0]) navigate(pages[0].path, true);
  }, [page, pages]);
  const Page = page?.component;
  return (
    <SessionContext.Provider value={session}>
      <header className="top">
        <strong className="brand">Sổ cái CCHC</strong>
        <nav aria-label="Trang">
          {pages.map((p) => (
            <a key={p.path} href={p.path} className={p === page ? 'on' : ''} onClick={(e) => { e.preventDefault(); navigate(p.path); }}>{p.title}</a>
          ))}
        </nav>
        <span className="who" data-testid="who">{ROLE[session.me.role] ?? session.me.role}{session.me.unitName ? ` — ${session.me.unitName}` : ''}</span>
        <button type="button" onClick={signOut}>Đăng xuất</button>
      </header>
      <div className="bars">
        {session.me.role !== 'department' && <UnitSelector />}
        <TimeBar error={cutError} />
      </div>
      <main>{Page ? <><h1>{page.title}</h1><Page /></> : <Loading />}</main>
    </SessionContext.Provider>
  );
};

export const App = () => {
  const [key, setKey] = useState(storedKey());
  const { cut } = useCut();
  const session = useLoad(async () => {
    if (!key) return null;
    const me = await must(api.GET('/api/v1/me', { headers: { Authorization: `Bearer ${key}` } }));
    const [marks, plans] = await Promise.all([must(api.GET('/api/v1/ledger/marks')), must(api.GET('/api/v1/plans', {}))]);
    const year = Math.max(...plans.plans.map((p) => p.year), 0) || Number(new Date().getFullYear());
    // The reform fields' names, as the API gives them with each plan's progress (a department reads its own share).
    const progress = await Promise.all(plans.plans.map((p) => must(api.GET('/api/v1/plans/{planId}/progress', {
      params: { path: { planId: p.planId }, query: me.role === 'department' && me.unitId ? { unitId: me.unitId } : {} },
    })).catch(() => null)));
    const fieldNames = new Map(progress.flatMap((p) => p?.byField.map((f): [string, string] => [f.field, f.fieldName]) ?? []));
    return { me, marks: marks.marks, year, fieldNames };
  }, key ?? '');
  // Units' names as registered at the page's cut (the previous ones show while the next load).
  const units = useLoad(async () => (key ? must(api.GET('/api/v1/units', { params: { query: cutQuery(cut) } })) : null), `${key}|${cutKey(cut)}`, true);
  const use = (k: string | null) => {
    storeKey(k);
    setKey(k);
  };
  if (!key || (session.error instanceof ApiError && session.error.status === 401)) {
    return <SignIn onKey={use} refused={key ? session.error : undefined} />;
  }
  if (session.error) return <main><ErrorBox error={session.error} /></main>;
  if (!session.data || (!units.data && !units.error)) return <main><Loading /></main>;
  return <Shell session={{ ...session.data, units: new Map((units.data?.units ?? []).map((u) => [u.unitId, u])) }} cutError={units.error} signOut={() => { use(null); navigate('/?'); }} />;
};
