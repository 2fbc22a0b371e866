import { applyDecorators, INestApplication } from '@nestjs/common';
import { ApiResponse, DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { DOCUMENT_TYPES, REFORM_FIELDS } from '@reform-ledger/domain';
import { XLSX_TYPE } from '@reform-ledger/reports';
import { EVENT_SCHEMAS } from './events/event-schemas';

/**
 * The contract as OpenAPI (`/docs`, `/docs-json`): the response schema of every route, its 4xx/5xx
 * problems, and its query parameters (query-params.ts). The schemas below describe what the routes
 * send; openapi.e2e.spec.ts checks real responses against them and the spec against the routes.
 */
type Schema = Record<string, unknown>;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
/** An object whose members are all required (unless listed as optional) and nothing else. */
const object = (properties: Record<string, Schema>, optional: string[] = [], description?: string): Schema => ({
  type: 'object', additionalProperties: false, required: Object.keys(properties).filter((k) => !optional.includes(k)), properties,
  ...(description && { description }),
});
const nullable = (schema: Schema): Schema => ({ ...schema, nullable: true });
const string = (description?: string, extra: Schema = {}): Schema => ({ type: 'string', ...(description && { description }), ...extra });
const date = (description?: string): Schema => string(description, { format: 'date', example: '2022-11-30' });
const integer = (description?: string): Schema => ({ type: 'integer', minimum: 0, ...(description && { description }) });
const list = (items: Schema, description?: string): Schema => ({ type: 'array', items, ...(description && { description }) });
const anything = (description: string): Schema => ({ type: 'object', additionalProperties: true, description });

const treeHead = object({
  format: string('', { enum: ['reform-ledger-tree-head/1'] }), treeSize: integer('Leaves: the events of the gap-free feed up to lastPosition'),
  rootHash: string('The RFC 9162 root, hex'), lastPosition: integer('The position of the last event in the tree'),
  timestamp: string('When it was signed (database clock, UTC): nothing in it was recorded later'), keyId: string(),
  signature: string('Ed25519 over "reform-ledger/tree-head/1\\n<treeSize>\\n<rootHash>\\n<lastPosition>\\n<timestamp>", base64'),
}, [], 'A signed tree head: keep this body as it is (head.json) to prove later that the ledger still extends it');

const counts = {
  applications: integer('Every application received, withdrawn ones included'),
  withdrawn: integer('Of those, withdrawn'),
  eligible: integer('Decided eligible'),
  ineligible: integer('Decided ineligible'),
  pending: integer('Received, not withdrawn, eligibility not decided yet'),
  passed: integer('Passed (in an approved result)'),
  appointed: integer('Appointed'),
};
const recordedLate = nullable(object({
  afterMark: string('The mark (e.g. a reporting cut-off) it was recorded after'), markPosition: integer(),
  ledgerReached: date('The latest day the ledger already held at that mark; the entry happened before it'),
}, [], 'Recorded late (backdated): recorded after a mark of the ledger, though it happened before a day the ledger had already reached then; null if not'));
const recordedEvent = object({
  eventId: string('uuid v7', { format: 'uuid' }), streamId: string('kind:id, e.g. task:NV-01'), streamVersion: integer(), globalPosition: integer(),
  type: string(), schemaVersion: integer(), data: anything('The event\'s data, as its type defines it'),
  occurredAt: string('Valid time, as stored (UTC; a date-only fact at 00:00 UTC of its date)'), recordedAt: string('Transaction time, from the database clock'),
  actor: object({ keyId: string(), unitId: string(), role: string(), user: string() }, ['unitId', 'role', 'user']),
  correlationId: string(), causationId: string(), idempotencyKey: string(), prevPosition: integer(), prevHash: string('hex'), hash: string('hex'),
  stateBefore: anything('With withStates=true: the record\'s state before this event (the domain\'s own evolve)'),
  stateAfter: anything('With withStates=true: the record\'s state after it'),
  recordedLate,
}, ['actor', 'correlationId', 'causationId', 'idempotencyKey', 'prevPosition', 'stateBefore', 'stateAfter', 'recordedLate']);
const mark = object({
  label: string('What the moment is'), position: integer('The ledger position it ends at: a `position` cut'),
  knownAt: string('When this install recorded that position: a `knownAt` cut', { format: 'date-time' }),
});

export const SCHEMAS = {
  Problem: {
    type: 'object', required: ['type', 'title', 'status', 'detail', 'code', 'errors', 'instance'],
    description: 'RFC 7807 problem. title, detail and each reason are in Vietnamese, or in English with Accept-Language: en; code is the stable machine value.',
    properties: {
      type: string('/problems/<code>'), title: string(), status: { type: 'integer' }, detail: string('What is wrong and what to do'), code: string('Stable: e.g. task.already_completed'),
      errors: list(object({ field: string(), reason: string(), code: string('For a batch item: its own code') }, ['code'])),
      instance: string(), requestId: string(), currentVersion: { type: 'integer', description: 'On a 409 version conflict' },
    },
  },
  Cut: object({ asOf: nullable(string()), knownAt: nullable(string()), position: integer('The ledger position actually read') }, [], 'The cut the answer is for'),
  Recorded: object({ streamId: string(), streamVersion: integer(), globalPosition: integer('Pass it as minPosition to read your own write'), eventId: string(), recordedAt: string() }),
  BatchResult: object({ results: list(ref('Recorded'), 'In input order') }),
  PlanList: object({
    plans: list(object({
      planId: string(), title: string(), year: { type: 'integer' }, documentId: nullable(string('The plan\'s own issuing decision')),
      amendments: list(object({ documentId: nullable(string()), on: date() }), 'Amendments, in order; they never replace the plan\'s own document'),
      ownerUnitId: string(), issuedOn: date(),
    })),
    cut: ref('Cut'),
  }),
  PlanProgress: object({
    planId: string(), unitId: nullable(string('The unitId filter, if any')), total: integer('Tasks, cancelled ones left out'), completed: integer(),
    completedOnTime: integer('Completed on or before the due day'), overdue: integer('Open past the due day at the cut\'s day'), inProgress: integer('Open, not overdue'),
    withProgressReport: integer('Open tasks with at least one progress report'), completionRate: { type: 'number', minimum: 0, maximum: 1 },
    byField: list(object({ field: string('', { enum: Object.keys(REFORM_FIELDS) }), fieldName: string(), total: integer(), completed: integer() })),
    byUnit: list(object({ unitId: string('Lead unit'), total: integer(), completed: integer() })),
    cut: ref('Cut'),
  }),
  ProgressSeries: object({
    planId: string(), unitId: nullable(string('The unitId filter, if any')), step: string('', { enum: ['day', 'week', 'month'] }),
    points: list(object({
      asOf: date('The day (valid time) of this point'), total: integer(), completed: integer(), completedOnTime: integer(), overdue: integer(), inProgress: integer(),
    }), 'From `from` to `to` (always the last point), a step apart'),
    cut: ref('Cut'),
  }),
  TaskHistory: object({
    taskId: string(),
    events: list(object({
      globalPosition: integer(), type: string(), occurredAt: string('Valid time, as stored (a date-only fact at 00:00 UTC of its date)'),
      recordedAt: string('Transaction time'), keyId: nullable(string('The key that recorded it')), unitId: nullable(string('Its unit')),
      data: anything('The event\'s data'), recordedLate,
    }), 'In stream order'),
    cut: object({ knownAt: nullable(string()), position: nullable(integer()) }),
  }),
  UnitList: object({
    units: list(object({
      unitId: string(), name: string('As registered (its latest name at the cut)'), kind: string(), status: string('', { enum: ['active', 'merged', 'dissolved'] }),
      parentUnitId: nullable(string('The unit above it, while active')), intoUnitId: nullable(string('The unit it merged into')), since: nullable(date('Merged or dissolved on')),
    })),
    cut: ref('Cut'),
  }),
  DocumentList: object({
    total: integer('Documents that match, before the limit'),
    documents: list(object({
      documentId: string('The record id, derived from issuer, number, symbol and year: what a form cites'), reference: string('Number and symbol as registered, e.g. 39/QĐ-UBND'),
      documentType: string('', { enum: [...DOCUMENT_TYPES] }), documentTypeName: string('The type\'s Vietnamese name'), date: date('The date on the document'), issuerUnitId: string('The body that issued it'), title: nullable(string()),
    }), 'Newest first'),
    cut: ref('Cut'),
  }),
  Me: object({
    keyId: string(), role: string('', { enum: ['department', 'inspector', 'manager', 'admin'] }), unitId: nullable(string('The unit the key acts for')),
    unitName: nullable(string('Its name as registered')), demo: { type: 'boolean', description: 'The install runs in demo mode (demo keys, seed district)' },
  }),
  DemoKeys: object({
    keys: list(object({ token: string('The key itself (a demo key is its own token)'), role: string('', { enum: ['department', 'inspector', 'manager', 'admin'] }), unitId: nullable(string()), unitName: nullable(string()) })),
  }),
  TaskBoard: object({
    planId: string(), unitId: nullable(string()),
    tasks: list(object({
      taskId: string(), title: string(), field: string(), fieldName: string('The field\'s Vietnamese name'), status: string('', { enum: ['open', 'done', 'cancelled'] }), leadUnitId: string(),
      supportingUnitIds: list(string()), dueOn: date(), completedOn: nullable(date()),
      progress: nullable(object({ numerator: integer(), denominator: integer(), percent: { type: 'number' }, reportedOn: date() }, [], 'The latest reported progress')),
    })),
    cut: ref('Cut'),
  }),
  InspectionList: object({
    inspections: list(object({
      inspectionId: string(), title: string(), leadUnitId: string(),
      memberUnitIds: list(string(), 'The units on the team (InspectionTeamFormed): with the lead, they record visits and findings'), periodFrom: date(), periodTo: date(),
      status: string('planned until the first visit, in_progress until concluded', { enum: ['planned', 'in_progress', 'concluded'] }), targets: integer(), inspected: integer(),
      documentId: nullable(string('The inspection\'s plan or the document it carries out')), teamDocumentId: nullable(string('The decision forming the team')),
      concludedOn: nullable(date()), reportDocumentId: nullable(string('The report or notice that concludes it')), summary: nullable(string('The conclusion, as recorded')),
    })),
    cut: ref('Cut'),
  }),
  InspectionLog: object({
    inspectionId: string(), unitId: nullable(string()), title: string(), status: string('', { enum: ['planned', 'in_progress', 'concluded'] }),
    visits: list(object({ unitId: string(), unitName: string(), date: date(), findings: nullable(string()) }), 'In date order'),
    visitsByUnit: list(object({
      unitId: string(), unitName: string(), visits: integer(),
      findings: list(object({ on: date(), finding: string(), requiresAction: nullable({ type: 'boolean' }) }), 'The findings of this unit\'s visits: each visit\'s notes, and findings recorded on their own'),
    })),
    coverage: object({ targets: integer(), inspected: integer() }),
    cut: ref('Cut'),
  }),
  RecruitmentList: object({
    recruitments: list(object({
      recruitmentId: string(), title: string(), kind: string('', { enum: ['vien_chuc', 'cong_chuc_cap_xa'] }), method: string(), documentId: nullable(string()),
      ownerUnitId: string(), approvedOn: date(), status: ref('RecruitmentStage'),
      noticeDocumentId: nullable(string('The recruitment notice')), councilDocumentId: nullable(string('The decision forming the council')),
      resultDocumentId: nullable(string('The decision approving the result')),
    })),
    cut: ref('Cut'),
  }),
  RecruitmentStage: string('Where the drive stands on the cut\'s day', { enum: ['open', 'applications_closed', 'council_formed', 'results_approved', 'closed'] }),
  RecruitmentPipeline: object({
    recruitmentId: string(), title: string(), kind: string(), status: ref('RecruitmentStage'),
    window: nullable(object({ from: date(), to: date() }, [], 'The application window of the notice')),
    positions: list(object({ positionId: string(), title: string(), quota: integer(), ...counts })),
    totals: object({ quota: integer(), ...counts }),
    cut: ref('Cut'),
  }),
  LegalRegister: object({
    documents: list(object({
      legalDocumentId: string(), title: string(), status: string('', { enum: ['draft', 'issued', 'expired'] }), draftingUnitId: string(), draftedOn: date(),
      appraisedOn: list(date()), documentId: nullable(string()), reference: nullable(string()), issuedOn: nullable(date()), expiredOn: nullable(date()), partlyExpired: { type: 'boolean' },
    })),
    counts: object({ drafted: integer(), appraised: integer(), issued: integer(), inForce: integer('Issued and not wholly expired at the cut'), expired: integer() }),
    cut: ref('Cut'),
  }),
  DataQuality: object({
    findings: list(object({ rule: string(), severity: string('', { enum: ['warning', 'info'] }), record: string(), detail: string('In Vietnamese') })),
    cut: ref('Cut'),
  }),
  StoredEvent: recordedEvent,
  AuditStream: object({ streamId: string(), version: integer(), events: list(ref('StoredEvent')), cut: object({ knownAt: nullable(string()) }) }),
  Activity: object({ events: list(ref('StoredEvent')), next: nullable(integer('Pass as `after` for the next page')) }),
  Refusals: object({
    refusals: list(object({
      id: integer(), at: string('When it was refused (database clock, UTC)'), status: integer('401 or 403'), code: string('The problem\'s code, e.g. auth.invalid_key'),
      method: string(), path: string(), address: string('The client\'s address'), requestId: string('As in the log and the problem\'s requestId'),
      keyId: string('The key, when it was known (403, or 401 for a revoked key)'), role: string(), unitId: string(),
    }, ['keyId', 'role', 'unitId'])),
    next: nullable(integer('Pass as `after` for the next (older) page')),
  }),
  Diff: {
    type: 'object', required: ['view', 'from', 'to', 'changed', 'events'],
    properties: {
      view: string('', { enum: ['plan-progress', 'inspection-log', 'recruitment-pipeline', 'legal-register'] }),
      planId: string(), inspectionId: string(), recruitmentId: string(), year: string(),
      from: anything('The view at the earlier cut (as its read route answers), or only { cut } if the thing did not exist then'),
      to: anything('The view at the later cut'),
      changed: list(anything('{ taskId | unitId | applicationId | legalDocumentId, before, after }: an entity whose state differs')),
      events: list(ref('StoredEvent'), 'The events between the two cuts on the streams that feed it'),
    },
  },
  Verify: object({
    ok: { type: 'boolean' }, checked: integer('Events checked'), checks: list(string(), 'The kinds of check made (hashes, chains, signatures, recording times, the Merkle tree against N signed heads)'),
    firstBrokenPosition: integer('The lowest position found wrong or missing'), reason: string(),
    range: object({ fromPosition: integer(), toPosition: integer() }, [], 'Where the tree stops matching a signed head: an event between these positions was removed, inserted or changed'),
    treeSize: integer('Leaves rebuilt'), headsChecked: integer('Signed heads the rebuilt tree was compared with'),
    unsignedBeforeSigning: integer('Events recorded before appends were signed (an older install), before the first signed one'),
  }, ['firstBrokenPosition', 'reason', 'range']),
  TreeHead: treeHead,
  PublicKey: object({
    algorithm: string('', { enum: ['Ed25519'] }), keyId: string('The key in use: the first 16 bytes of the SHA-256 of the raw public key, hex'),
    publicKey: string('The raw 32-byte public key, base64'),
    keys: list(object({
      keyId: string(), publicKey: string('base64'), createdAt: string(),
      endorsements: list(object({ by: string('The endorsing key id'), signature: string('Ed25519 over "reform-ledger/key/1\\n<keyId>\\n<publicKey>", base64') })),
    }), 'Every key the ledger has had (rotation keeps the old ones), each endorsed by the key before and after it'),
  }),
  InclusionProof: object({
    head: treeHead, treeSize: integer(), leafIndex: integer('The event\'s rank in the feed (0-based): its leaf'), position: integer('Its ledger position'),
    leafHash: string('SHA-256(0x00 || the event\'s hash), hex'), path: list(string('hex'), 'The audit path of RFC 9162 §2.1.3'),
  }),
  ConsistencyProof: object({
    from: integer('The earlier tree size'), to: integer('The later tree size'), fromHead: nullable(treeHead), toHead: treeHead,
    path: list(string('hex'), 'The consistency proof of RFC 9162 §2.1.4'),
  }),
  Marks: object({ marks: list(mark) }),
  Mark: mark,
  Health: {
    type: 'object', required: ['status', 'info'],
    properties: {
      status: string('ok; loading (503) until the first start has loaded the seed district; error (503)', { enum: ['ok', 'loading', 'error'] }),
      info: anything('database (engine, headPosition), projections (checkpoint and lag per view), startup (what the first start loads)'),
      error: anything('The parts that are down'),
      marks: list(mark, 'Named moments, e.g. the end of the seed\'s phase 1, each as a position and a knownAt'),
    },
  },
  ApiKey: object({ keyId: string(), role: string('', { enum: ['department', 'inspector', 'manager', 'admin'] }), unitId: string(), label: string(), createdAt: string(), revokedAt: string() },
    ['unitId', 'label', 'revokedAt']),
  ApiKeyIssued: object({ keyId: string(), role: string(), unitId: string(), label: string(), createdAt: string(), token: string('Shown once; only its SHA-256 is kept') }, ['unitId', 'label']),
  ApiKeys: list(ref('ApiKey')),
  AdminViews: object({
    views: list(object({
      view: string(), version: integer('The current reducer\'s version'),
      generations: list(object({ generation: integer(), version: integer(), status: string('', { enum: ['building', 'active', 'retired'] }), checkpoint: integer() })),
      rebuilding: nullable(object({
        status: string('Queued behind other rebuilds, or rebuilding', { enum: ['queued', 'rebuilding'] }), queuedAt: string(), startedAt: string(), position: integer(), head: integer(),
      }, ['startedAt'])),
    })),
  }),
  RebuildStarted: object({ view: string(), status: string('Rebuilds run one at a time, in the order asked', { enum: ['queued'] }), queuedAt: string() }),
} satisfies Record<string, Schema>;

/** The response of a route: a schema of SCHEMAS. */
export const ApiResult = (name: keyof typeof SCHEMAS, status = 200, description = 'OK') =>
  ApiResponse({ status, description, content: { 'application/json': { schema: ref(name) } } });

/** What a read route answers with format=xlsx or format=csv, besides its JSON. */
export const SHEET_MEDIA = { [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } }, 'text/csv': { schema: { type: 'string' } } };

/** The response of a read route of the views: its JSON schema, or the same answer as a spreadsheet (`?format=`). */
export const ApiViewResult = (name: keyof typeof SCHEMAS) =>
  ApiResponse({ status: 200, description: 'OK; with format=xlsx or format=csv the same answer as a spreadsheet', content: { 'application/json': { schema: ref(name) }, ...SHEET_MEDIA } });

const PROBLEMS: Record<number, string> = {
  400: 'Invalid request: each field at fault with what to do (an unknown query parameter names the right one)',
  401: 'Missing, unknown or revoked API key',
  403: 'This key may not do this (its role, or another unit\'s record)',
  404: 'Not found (at this cut, for a view)',
  409: 'Version conflict (If-Match; currentVersion in the body) or a concurrent append',
  413: 'Too large: the body (an event 256 KiB; a batch 4 MiB; any other request 16 KiB) or a batch (1,000 items)',
  422: 'Refused by a domain rule; code is the rule (task.already_completed, occurred_at.in_future, …)',
  503: 'Not ready: the views have not applied the position asked for, or are being rebuilt (Retry-After)',
};

/** The problems (application/problem+json) a route may answer. */
export const ApiProblems = (...statuses: number[]) =>
  applyDecorators(...statuses.map((status) =>
    ApiResponse({ status, description: PROBLEMS[status], content: { 'application/problem+json': { schema: ref('Problem') } } })));

/** Serves the OpenAPI document of the app at /docs (JSON at /docs-json), built on the first request for it rather than at start-up. */
export const serveOpenApi = (app: INestApplication): void => {
  const config = new DocumentBuilder()
    .setTitle('Reform Ledger API')
    .setDescription('Administrative-reform events of Vietnamese local government, recorded once, immutably, and every view at any point in time. ' +
      'Errors are RFC 7807 application/problem+json with a stable code and the fields at fault, in Vietnamese (English with Accept-Language: en).')
    .setVersion('1')
    .addBearerAuth({
      type: 'http', scheme: 'bearer', bearerFormat: 'opaque API key',
      description: 'An opaque API key (not a JWT: nothing to decode), bound to a role and, for a department, a unit. Demo keys: demo-admin, demo-manager, demo-inspector, demo-dept-<unitId>.',
    })
    .build();
  const document = (): OpenAPIObject => {
    const built = SwaggerModule.createDocument(app, config, { extraModels: Object.values(EVENT_SCHEMAS).map((s) => s.data) });
    built.components = { ...built.components, schemas: { ...built.components?.schemas, ...(SCHEMAS as OpenAPIObject['components'] & object) } };
    return built;
  };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
};
