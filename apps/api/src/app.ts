import { randomUUID } from 'node:crypto';
import { INestApplication, Module, ValidationError, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { CqrsModule } from '@nestjs/cqrs';
import { ThrottlerStorageService } from '@nestjs/throttler';
import type { NextFunction, Request, Response } from 'express';
import { Logger, LoggerModule } from 'nestjs-pino';
import { destination } from 'pino';
import { Database, KeyRing } from '@reform-ledger/ledger';
import { ApiKeys, KEY_CACHE_MS } from './auth/api-keys';
import { ApiKeysController } from './auth/api-keys.controller';
import { AuthGuard } from './auth/auth.guard';
import { AUTH_FAILURES_PER_MINUTE, authFailuresFromEnv, AuthThrottle } from './auth/auth-throttle';
import { DatabaseModule } from './database.module';
import { COMMAND_HANDLERS } from './events/commands';
import { EventsController } from './events/events.controller';
import { flatten } from './events/validate';
import { HealthController } from './health.controller';
import { Marks, Readiness } from './marks';
import { MarksController } from './marks.controller';
import { MeController } from './me.controller';
import { HistoryController } from './history.controller';
import { Lateness } from './lateness';
import { serveOpenApi } from './openapi';
import { PathParamsPipe } from './path-params';
import { QueryParamsInterceptor } from './query-params';
import { ProjectionsModule } from './views/projections.module';
import { ViewsController } from './views/views.controller';
import { AdminViewsController } from './views/admin-views.controller';
import { AuditController } from './audit/audit.controller';
import { Refusals, RefusalRetention, retentionFromEnv } from './audit/refusals';
import { RefusalsController } from './audit/refusals.controller';
import { TreeHeads } from './audit/tree-heads';
import { REPORT_PROVIDERS, ReportsController } from './reports/reports.controller';
import { answerClientError, invalid, ProblemFilter } from './problem';
import { serveWeb } from './web';

export type AppOptions = {
  /** Provision the documented demo keys (demo-admin, demo-manager, demo-inspector, demo-dept-<unitId>). */
  demo: boolean;
  /** pino level; tests use 'silent' or 'warn'. */
  logLevel?: string;
  /** Run the projector in this process (default); false when it runs as its own process. */
  projector?: boolean;
  /** The ledger's signing key (main.ts opens the key file); default a key held in memory only (tests). */
  keys?: KeyRing;
  /** How long refused 401/403 attempts are kept (default from the environment: 30 days, 100,000 entries). */
  refusalRetention?: RefusalRetention;
  /** Failed authentications a client address may make per minute before 429 (default AUTH_FAILURES_PER_MINUTE or 30). */
  authFailuresPerMinute?: number;
  /** How long a verified API key is trusted before it is looked up again (default KEY_CACHE_MS): the bound on another process's revocation. */
  keyCacheMs?: number;
};

const REQUEST_ID = /^[\w.:-]{1,100}$/;

/** Gives every request an id (kept from X-Request-Id when sane), echoed back and logged with each line. */
const requestId = (req: Request, res: Response, next: NextFunction) => {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  (req as { id?: string }).id = id;
  res.setHeader('X-Request-Id', id);
  next();
};

/** Every controller of the API (the OpenAPI contract test walks them). */
export const CONTROLLERS = [HealthController, EventsController, ApiKeysController, ViewsController, MarksController, MeController, HistoryController, AuditController, AdminViewsController, ReportsController, RefusalsController];

export const createApp = async (db: Database, options: AppOptions): Promise<INestApplication> => {
  @Module({
    imports: [
      DatabaseModule.forDatabase(db, options.keys ?? KeyRing.ephemeral()),
      ProjectionsModule.register(options.projector ?? true),
      CqrsModule.forRoot(),
      LoggerModule.forRoot({
        pinoHttp: [{
          level: options.logLevel ?? process.env.LOG_LEVEL ?? 'info',
          genReqId: (req) => (req as { id?: string }).id ?? randomUUID(),
          redact: ['req.headers.authorization'],
          customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
        // Lines written to stdout asynchronously (a request does not wait for its log line); what is
        // still buffered is written synchronously when the process exits.
        }, destination({ dest: 1, sync: false })],
      }),
    ],
    controllers: CONTROLLERS,
    providers: [
      { provide: 'DEMO_MODE', useValue: options.demo },
      { provide: 'KEY_CACHE_MS', useValue: options.keyCacheMs ?? KEY_CACHE_MS },
      { provide: 'REFUSAL_RETENTION', useValue: options.refusalRetention ?? retentionFromEnv() },
      Refusals,
      ThrottlerStorageService,
      { provide: AUTH_FAILURES_PER_MINUTE, useValue: options.authFailuresPerMinute ?? authFailuresFromEnv() },
      AuthThrottle,
      ApiKeys,
      AuthGuard,
      ...COMMAND_HANDLERS,
      TreeHeads,
      ...REPORT_PROVIDERS,
      Marks,
      Lateness,
      Readiness,
      { provide: APP_FILTER, useClass: ProblemFilter },
      { provide: APP_INTERCEPTOR, useClass: QueryParamsInterceptor },
    ],
  })
  class AppModule {}

  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('etag', false); // write responses carry their own ETag: the stream version
  app.use(requestId);
  serveWeb(app);
  app.useGlobalPipes(new PathParamsPipe(), new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors: ValidationError[]) => invalid(flatten(errors, '')),
  }));
  app.enableShutdownHooks();
  const logger = app.get(Logger);
  app.getHttpServer().on('clientError', answerClientError((context, message) => logger.warn(context, message)));

  serveOpenApi(app);
  return app;
};
