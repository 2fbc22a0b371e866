import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Ledger } from '@reform-ledger/ledger';
import { Projector } from '@reform-ledger/projections';
import { Keyed, Recorded, recordBatch, recordOne, WriteContext } from './command-path';

/** Record one submission as the actor. The one entry for a single write: the API's and the seed loader's. */
export class RecordEvent extends Command<Recorded> {
  constructor(
    readonly submission: Keyed,
    readonly context: WriteContext,
  ) {
    super();
  }
}

/** Record submissions all or nothing, each under its own key, as the actor: imports and the seed loader. */
export class RecordBatch extends Command<Recorded[]> {
  constructor(
    readonly submissions: Keyed[],
    readonly context: WriteContext,
  ) {
    super();
  }
}

/** The only callers of the command path; each nudges the projector, so the views pick a write up now rather than at the next poll. */
@CommandHandler(RecordEvent)
export class RecordEventHandler implements ICommandHandler<RecordEvent> {
  constructor(
    private readonly ledger: Ledger,
    private readonly projector: Projector,
  ) {}

  async execute({ submission, context }: RecordEvent): Promise<Recorded> {
    const recorded = await recordOne(this.ledger, submission, context);
    this.projector.nudge();
    return recorded;
  }
}

@CommandHandler(RecordBatch)
export class RecordBatchHandler implements ICommandHandler<RecordBatch> {
  constructor(
    private readonly ledger: Ledger,
    private readonly projector: Projector,
  ) {}

  async execute({ submissions, context }: RecordBatch): Promise<Recorded[]> {
    const recorded = await recordBatch(this.ledger, submissions, context);
    this.projector.nudge();
    return recorded;
  }
}

export const COMMAND_HANDLERS = [RecordEventHandler, RecordBatchHandler];
