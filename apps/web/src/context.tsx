import { createContext, useContext } from 'react';
import type { Schemas } from './api/client';

export type Me = Schemas['Me'];
export type Unit = Schemas['UnitList']['units'][number];
export type Mark = Schemas['Mark'];

/** What every page knows: who is signed in, the units by id (names as registered), the ledger's marks, the plan year, the reform fields' names. */
export type Session = { me: Me; units: Map<string, Unit>; marks: Mark[]; year: number; fieldNames: Map<string, string> };
export const SessionContext = createContext<Session | null>(null);
export const useSession = () => useContext(SessionContext)!;

/** A unit's registered name (its id only if the registry does not know it). */
export const useUnitName = () => {
  const { units } = useSession();
  return (unitId: string | null | undefined) => (unitId ? units.get(unitId)?.name ?? unitId : '–');
};
