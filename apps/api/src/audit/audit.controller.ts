import { Controller, Get, Param, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DECIDERS, RECORD_KINDS, RecordKind, RESPONSIBLE_UNIT_FIELDS, streamIdOf } from '@reform-ledger/domain';
import { exportLedger, KeyRing, Ledger, LedgerTree, StoredEvent, TreeHead, TreeRegressionError } from '@reform-ledger/ledger';
import { DIFFABLE, diffView, ViewReader } from '@reform-ledger/projections';
import { AuthGuard, Roles } from '../auth/auth.guard';
import { Lateness } from '../lateness';
import { ApiProblems, ApiResult } from '../openapi';
import { invalid, Problem } from '../problem';
import { Bound, Parsed, ParsedQuery, QueryParams } from '../query-params';
import { TreeHeads } from './tree-heads';

const STREAM = /^([a-z-]+):([A-Za-z0-9][A-Za-z0-9._~-]{0,127})$/;

/** The record's state before and after each of its events, folded by the domain's own evolve: what the decision saw. */
const withStates = (kind: RecordKind, events: StoredEvent[]) => {
  const decider = DECIDERS[kind];
  let state: unknown = decider.initialState;
  return events.map((e) => {
    const stateBefore = state;
    state = decider.evolve(state as { status: string }, { type: e.type, occurredAt: e.occurredAt, data: e.data });
    return { ...e, stateBefore, stateAfter: state };
  });
};

/** The inspection team's tools: full history with metadata, activity, diffs between cuts, integrity, export. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
@UseGuards(AuthGuard)
@Roles('inspector', 'admin')
export class AuditController {
  private readonly tree: LedgerTree;

  constructor(
    private readonly ledger: Ledger,
    private readonly reader: ViewReader,
    private readonly keys: KeyRing,
    private readonly heads: TreeHeads,
    private readonly lateness: Lateness,
  ) {
    this.tree = heads.signer.tree;
  }

  @Get('public-key')
  @ApiOperation({ summary: 'The ledger\'s Ed25519 public key and key id, and every earlier key (rotation keeps them), each endorsed by its neighbours' })
  @ApiResult('PublicKey')
  @ApiProblems(401, 403)
  publicKey() {
    const own = this.keys.records.find((r) => r.keyId === this.keys.keyId)!;
    return { algorithm: 'Ed25519', keyId: own.keyId, publicKey: own.publicKey, keys: this.keys.records };
  }

  @Get('tree-head')
  @ApiOperation({
    summary: 'A signed tree head at the current gap-free size (signed now if the ledger grew, else the latest): keep the body as it is (head.json)',
    description: 'Heads are also signed within a second of the ledger growing. Later, GET /api/v1/audit/consistency?from=<its treeSize> proves the ledger extends it, '
      + 'and npm run reform-ledger -- verify bundle.tar --trusted-head head.json checks a whole export against it.',
  })
  @ApiResult('TreeHead')
  @ApiProblems(401, 403, 404, 409)
  async treeHead(): Promise<TreeHead> {
    try {
      await this.heads.signer.signNow();
    } catch (error) {
      if (error instanceof TreeRegressionError) throw new Problem(409, 'tree_head.ledger_rewritten', { position: error.position });
      throw error;
    }
    const head = await this.tree.latestHead();
    if (!head) throw new Problem(404, 'tree_head.none');
    return head;
  }

  /** The signed head of `treeSize`, or the latest one. */
  private async signedHead(treeSize: number | undefined): Promise<TreeHead> {
    const head = treeSize === undefined ? await this.tree.latestHead() : await this.tree.head(treeSize);
    if (!head) throw treeSize === undefined ? new Problem(404, 'tree_head.none') : new Problem(404, 'tree_head.not_found', { treeSize });
    return head;
  }

  @Get('proof')
  @ApiOperation({ summary: 'That an event is in a signed tree head: its leaf index (rank in the feed), position, leaf hash and audit path (RFC 9162 §2.1.3)' })
  @QueryParams('leafPosition', 'treeSize')
  @ApiResult('InclusionProof')
  @ApiProblems(400, 401, 403, 404)
  async proof(@Parsed() p: ParsedQuery) {
    if (p.leafPosition === undefined) throw invalid([{ field: 'position', reason: 'query.required' }]);
    const head = await this.signedHead(p.treeSize);
    const proof = await this.tree.inclusion(p.leafPosition, head.treeSize);
    if (!proof) throw new Problem(404, 'proof.not_in_tree', { position: p.leafPosition, treeSize: head.treeSize });
    return { head, ...proof };
  }

  @Get('consistency')
  @ApiOperation({ summary: 'That the tree of size `from` (the head you kept) is a prefix of a later signed head: the consistency proof of RFC 9162 §2.1.4' })
  @QueryParams('treeFrom', 'treeTo')
  @ApiResult('ConsistencyProof')
  @ApiProblems(400, 401, 403, 404)
  async consistency(@Parsed() p: ParsedQuery) {
    if (p.treeFrom === undefined) throw invalid([{ field: 'from', reason: 'query.required' }]);
    const toHead = await this.signedHead(p.treeTo);
    if (p.treeFrom > toHead.treeSize) throw invalid([{ field: 'from', reason: 'query.tree_size_above', params: { to: toHead.treeSize } }]);
    const proof = await this.tree.consistency(p.treeFrom, toHead.treeSize);
    return { ...proof, fromHead: await this.tree.head(p.treeFrom), toHead };
  }

  @Get('streams/:streamId')
  @ApiOperation({ summary: 'Every event of a record with its full envelope (who, when recorded, hashes); as known at a moment; with the record\'s state before and after each event; entries recorded late marked (recordedLate)' })
  @ApiParam({ name: 'streamId', example: 'task:NV-11', description: 'kind:id — a kind is one of ' + RECORD_KINDS.join(', ') })
  @QueryParams(['knownAt', 'Only the events the ledger held at this moment'], 'withStates')
  @ApiResult('AuditStream')
  @ApiProblems(400, 401, 403, 404)
  async stream(@Param('streamId') streamId: string, @Parsed() p: ParsedQuery) {
    const match = STREAM.exec(streamId);
    if (!match || !(RECORD_KINDS as readonly string[]).includes(match[1])) {
      throw invalid([{ field: 'streamId', reason: 'query.stream' }]);
    }
    const events = await this.ledger.readStream(streamId, { knownAt: p.knownAt });
    if (events.length === 0 && !p.knownAt) throw new Problem(404, 'stream.not_found', { streamId });
    return {
      streamId, version: events.at(-1)?.streamVersion ?? 0,
      events: await this.lateness.mark(p.withStates ? withStates(match[1] as RecordKind, events) : events),
      cut: { knownAt: p.knownAt ?? null },
    };
  }

  @Get('activity')
  @ApiOperation({ summary: 'Who recorded what: events by recording unit (unit), by the unit responsible for the record (ownerUnit), by key, by recording time; page with `after`' })
  @QueryParams('unit', 'ownerUnit', 'actor', 'recordedFrom', 'recordedTo', 'after', 'limit')
  @ApiResult('Activity')
  @ApiProblems(400, 401, 403)
  async activity(@Parsed() p: ParsedQuery) {
    const limit = p.limit ?? 500;
    const events = await this.ledger.activity({
      unitId: p.unit, keyId: p.actor, from: p.recordedFrom, to: p.recordedTo, after: p.after ?? 0, limit,
      ...(p.ownerUnit && { owner: { unitId: p.ownerUnit, keys: [...RESPONSIBLE_UNIT_FIELDS], streams: [streamIdOf('unit', p.ownerUnit)] } }),
    });
    return { events, next: events.length === limit ? events[events.length - 1].globalPosition : null };
  }

  @Get('diff')
  @ApiOperation({
    summary: 'What changed in a view between two cuts (positions or moments): the view at both, the entities that changed, and the events in between',
    description: 'view=plan-progress&planId=…, view=inspection-log&inspectionId=…, view=recruitment-pipeline&recruitmentId=…, view=legal-register&year=…',
  })
  @QueryParams('view', 'planId', 'inspectionId', 'recruitmentId', ['year', 'The year (with view=legal-register)'], 'boundFrom', 'boundTo',
    ['asOf', 'Valid time at both cuts (a date means the whole day in the ledger\'s time zone)'])
  @ApiResult('Diff')
  @ApiProblems(400, 401, 403, 404, 503)
  async diff(@Parsed() p: ParsedQuery) {
    if (!p.view) throw invalid([{ field: 'view', reason: 'query.required' }]);
    const { key } = DIFFABLE[p.view];
    const id = key === 'year' ? (p.year === undefined ? undefined : String(p.year)) : p[key as 'planId' | 'inspectionId' | 'recruitmentId'];
    if (id === undefined) throw invalid([{ field: key, reason: 'query.required' }]);
    const cut = (b: Bound | undefined) => ({ ...(b ?? {}), asOf: p.asOf });
    const found = await diffView(this.reader, p.view, id, cut(p.boundFrom ?? { position: 0 }), cut(p.boundTo));
    if (!found) {
      const kind = ({ planId: 'plan', inspectionId: 'inspection', recruitmentId: 'recruitment', year: 'legal-document' } as const)[key];
      throw new Problem(404, 'view.not_found', { kind, id });
    }
    return found;
  }

  @Get('verify')
  @ApiOperation({
    summary: 'Check the whole ledger: every hash recomputed, every chain walked, every append\'s signature, recording times, and the Merkle tree against every signed head; says which checks it made',
    description: 'Signatures and heads are checked with the key file\'s public keys, never the database\'s; the last head this process signed (kept beside the key) is checked too, so deleting head rows does not hide a deletion.',
  })
  @ApiResult('Verify')
  @ApiProblems(401, 403)
  verify() {
    return this.verified();
  }

  private verified() {
    const last = this.heads.signer.lastSigned();
    return this.ledger.verify({ keys: this.keys, trusted: last ? [last] : [] });
  }

  @Get('export')
  @ApiProduces('application/x-tar')
  @ApiOperation({ summary: 'A bundle (tar: keys, signed heads, events as stored, manifest), read as a stream and checkable offline against a head you kept: npm run reform-ledger -- verify bundle.tar --trusted-head head.json' })
  @QueryParams(['boundFrom', 'The first position exported, or a moment (from the position the ledger had reached then). Default: 1'],
    ['boundTo', 'The last position, or a moment (the position the ledger had reached then). Default: the head'])
  @ApiResponse({ status: 200, description: 'The bundle', content: { 'application/x-tar': { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(400, 401, 403)
  async export(@Parsed() p: ParsedQuery, @Res() res: Response) {
    // A head over what is exported, first (none is signed over a ledger that no longer extends the last one).
    await this.heads.signer.signNow().catch(() => undefined);
    const positionOf = async (b: Bound | undefined, fallback: number) =>
      b === undefined ? fallback : b.position ?? (await this.ledger.positionAt(b.knownAt!));
    const head = await this.ledger.headPosition();
    const first = await positionOf(p.boundFrom, 1);
    const last = Math.min(await positionOf(p.boundTo, head), head);
    const verified = await this.verified();
    res.setHeader('Content-Type', 'application/x-tar');
    res.setHeader('Content-Disposition', `attachment; filename="reform-ledger-${Math.max(1, first)}-${last}.tar"`);
    await exportLedger(this.ledger, res, { after: Math.max(0, first - 1), to: last, keys: this.keys.records, verified });
    res.end();
  }
}
