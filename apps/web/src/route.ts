import { useEffect, useState, useSyncExternalStore } from 'react';

/**
 * The page's address is the whole state worth sharing: the path is the page, the query holds the cut
 * with the API's own parameter names (asOf, knownAt, position), the unit (unitId) and a second cut to
 * compare with (compareAsOf, compareKnownAt, comparePosition). A link reproduces what its sender saw.
 */
const subscribe = (notify: () => void) => {
  window.addEventListener('popstate', notify);
  window.addEventListener('rl:navigate', notify);
  return () => {
    window.removeEventListener('popstate', notify);
    window.removeEventListener('rl:navigate', notify);
  };
};
const href = () => window.location.pathname + window.location.search;

export const useLocation = () => {
  const current = useSyncExternalStore(subscribe, href);
  const url = new URL(current, window.location.origin);
  return { path: url.pathname, params: url.searchParams };
};

/** Goes to a path, keeping the cut and the unit (the query) unless another query is given. */
export const navigate = (to: string, replace = false) => {
  const target = to.includes('?') ? to : to + window.location.search;
  if (target === href()) return;
  window.history[replace ? 'replaceState' : 'pushState'](null, '', target);
  window.dispatchEvent(new Event('rl:navigate'));
};

/** Sets (or, with undefined or '', removes) query parameters of the current page. */
export const setParams = (changes: Record<string, string | undefined>) => {
  const params = new URLSearchParams(window.location.search);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === '') params.delete(k);
    else params.set(k, v);
  }
  const query = params.toString();
  navigate(window.location.pathname + (query ? `?${query}` : '?'));
};

export type Cut = { asOf?: string; knownAt?: string; position?: string };
export const CUT_KEYS = ['asOf', 'knownAt', 'position'] as const;
const COMPARE: Record<keyof Cut, string> = { asOf: 'compareAsOf', knownAt: 'compareKnownAt', position: 'comparePosition' };
export const compareKey = (k: keyof Cut) => COMPARE[k];

const cutFrom = (params: URLSearchParams, key: (k: keyof Cut) => string): Cut =>
  Object.fromEntries(CUT_KEYS.flatMap((k) => (params.get(key(k)) ? [[k, params.get(key(k))!]] : [])));

/** The page's cut, its comparison cut (or null) and its unit, from the URL. */
export const useCut = () => {
  const { params } = useLocation();
  const cut = cutFrom(params, (k) => k);
  const compare = cutFrom(params, compareKey);
  return { cut, compare: Object.keys(compare).length > 0 ? compare : null, unitId: params.get('unitId') ?? undefined };
};

/** A cut as the API's query parameters. */
export const cutQuery = (cut: Cut) => ({
  ...(cut.asOf && { asOf: cut.asOf }),
  ...(cut.knownAt && { knownAt: cut.knownAt }),
  ...(cut.position && { position: Number(cut.position) }),
});
export const cutKey = (cut: Cut | null) => (cut ? CUT_KEYS.map((k) => cut[k] ?? '').join('|') : '');

/** Loads something whenever its key changes; the last answer wins. With `keep`, the previous answer shows until the next arrives. */
export const useLoad = <T>(load: () => Promise<T>, key: string, keep = false) => {
  const [state, setState] = useState<{ key: string; data?: T; error?: Error }>({ key: '' });
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    let live = true;
    load().then((data) => live && setState({ key, data }), (error: Error) => live && setState({ key, error }));
    return () => {
      live = false;
    };
  }, [key, reloads]);
  const current = state.key === key;
  return { data: current || keep ? state.data : undefined, error: current ? state.error : undefined, loading: !current, reload: () => setReloads((n) => n + 1) };
};
