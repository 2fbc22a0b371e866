import { Injectable } from '@nestjs/common';
import { dayOf, IsoDate } from '@reform-ledger/calendar';
import { Ledger, StoredEvent } from '@reform-ledger/ledger';
import { Marks } from './marks';

/** Why an entry counts as recorded late: after a mark of the ledger, though it happened before a day the ledger had already reached then. */
export type RecordedLate = { afterMark: string; markPosition: number; ledgerReached: IsoDate };

/**
 * Marks entries recorded late (backdated): recorded after one of the ledger's marks (a reporting
 * cut-off such as the seed's end of phase 1), although what they record happened before the
 * latest day the ledger already held at that mark (strictly before it). On the seed the five completions reported after the
 * 30/11/2022 report are late; the council formed on 01/12 is not. A mark never moves, so the day
 * each one reached is read once.
 */
@Injectable()
export class Lateness {
  private readonly reached = new Map<number, IsoDate | null>();

  constructor(
    private readonly ledger: Ledger,
    private readonly marks: Marks,
  ) {}

  private async reachedAt(position: number): Promise<IsoDate | null> {
    if (!this.reached.has(position)) {
      const latest = await this.ledger.latestOccurrence(position);
      this.reached.set(position, latest ? dayOf(latest) : null);
    }
    return this.reached.get(position)!;
  }

  /** Each event with `recordedLate` (null when it is not). */
  async mark<E extends StoredEvent>(events: E[]): Promise<(E & { recordedLate: RecordedLate | null })[]> {
    const marks = await this.marks.list();
    return Promise.all(events.map(async (e) => {
      const mark = marks.filter((m) => m.position < e.globalPosition).at(-1);
      const ledgerReached = mark ? await this.reachedAt(mark.position) : null;
      const late = mark && ledgerReached && dayOf(e.occurredAt) < ledgerReached;
      return { ...e, recordedLate: late ? { afterMark: mark.label, markPosition: mark.position, ledgerReached } : null };
    }));
  }
}
