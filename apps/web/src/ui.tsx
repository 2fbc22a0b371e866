import type { ReactNode } from 'react';
import { ApiError } from './api/client';
import { delta, num } from './format';

export const Loading = () => <p className="muted" role="status">Đang tải…</p>;

/** An error of the API in plain Vietnamese (its detail, then each field's reason). */
export const ErrorBox = ({ error }: { error: Error }) => (
  <div className="error" role="alert">
    <p>{error.message}</p>
    {error instanceof ApiError && (error.problem.errors ?? []).length > 0 && (
      <ul>{error.problem.errors!.map((e, i) => <li key={i}>{e.reason}</li>)}</ul>
    )}
  </div>
);

/** A loaded value: the spinner, the error, or the content. */
export const Loaded = <T,>({ state, children }: { state: { data?: T; error?: Error }; children: (data: T) => ReactNode }) =>
  state.error ? <ErrorBox error={state.error} /> : state.data === undefined ? <Loading /> : <>{children(state.data)}</>;

/** A number, and with a comparison its change: "55 (+5 so với 50)". */
export const Num = ({ value, was, testId }: { value: number; was?: number; testId?: string }) => (
  <span data-testid={testId}>
    {num(value)}
    {was !== undefined && was !== value && <span className={`delta ${value > was ? 'up' : 'down'}`} title={`so với ${num(was)}`}> {delta(value - was)}</span>}
  </span>
);

export const Card = ({ title, children, testId }: { title: ReactNode; children: ReactNode; testId?: string }) => (
  <section className="card" data-testid={testId}>
    <h2>{title}</h2>
    {children}
  </section>
);

/** How a compared list row changed. */
export type Change = 'added' | 'removed' | 'changed' | undefined;
export const CHANGE_LABEL: Record<Exclude<Change, undefined>, string> = { added: 'mới', removed: 'bỏ đi', changed: 'thay đổi' };
export const ChangeTag = ({ change }: { change: Change }) =>
  change ? <span className={`tag change-${change}`} data-change={change}>{CHANGE_LABEL[change]}</span> : null;

/** Marks each row of `now` (and of `was`, for the removed ones) against the other list, by id. */
export const compareRows = <T,>(now: T[], was: T[] | undefined, id: (row: T) => string): { row: T; change: Change }[] => {
  if (!was) return now.map((row) => ({ row, change: undefined }));
  const before = new Map(was.map((r) => [id(r), JSON.stringify(r)]));
  const after = new Set(now.map(id));
  return [
    ...now.map((row) => ({ row, change: (!before.has(id(row)) ? 'added' : before.get(id(row)) !== JSON.stringify(row) ? 'changed' : undefined) as Change })),
    ...was.filter((r) => !after.has(id(r))).map((row) => ({ row, change: 'removed' as Change })),
  ];
};
