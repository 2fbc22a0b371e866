import { randomUUID } from 'node:crypto';
import { INestApplication, Module, ValidationError, ValidationPipe } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { CqrsModule } from '@nestjs/cqrs';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { TerminusModule } from '@nestjs/terminus';
import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { Logger, LoggerModule } from 'nestjs-pino';
import type { Database } from '@reform-ledger/ledger';
import { ApiKeys } from './auth/api-keys';
import { ApiKeysController } from './auth/api-keys.controller';
import { AuthGuard } from './auth/auth.guard';
import { DatabaseModule } from './database.module';
import { EventsController, RecordEventsHandler } from './events/events.controller';
import { EVENT_SCHEMAS } from './events/event-schemas';
import { FieldError } from './events/validate';
import { HealthController } from './health.controller';
import { ProjectionsModule } from './views/projections.module';
import { ViewsController } from './views/views.controller';
import { AdminViewsController } from './views/admin-views.controller';
import { AuditController } from './audit/audit.controller';
import { REPORT_PROVIDERS, ReportsController } from './reports/reports.controller';
import { Problem, ProblemFilter, sendProblem, toProblem } from './problem';

export type AppOptions = {
  /** Provision the documented demo keys (demo-admin, demo-manager, demo-inspector, demo-dept-<unitId>). */
  demo: boolean;
  /** pino level; tests use 'silent' or 'warn'. */
  logLevel?: string;
  /** Run the projector in this process (default); false when it runs as its own process. */
  projector?: boolean;
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

const fieldErrors = (errors: ValidationError[], path = ''): FieldError[] =>
  errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((reason) => ({ field: `${path}${e.property}`, reason })),
    ...fieldErrors(e.children ?? [], `${path}${e.property}.`),
  ]);

export const createApp = async (db: Database, options: AppOptions): Promise<INestApplication> => {
  @Module({
    imports: [
      DatabaseModule.forDatabase(db),
      ProjectionsModule.register(options.projector ?? true),
      CqrsModule.forRoot(),
      TerminusModule,
      LoggerModule.forRoot({
        pinoHttp: {
          level: options.logLevel ?? process.env.LOG_LEVEL ?? 'info',
          genReqId: (req) => (req as { id?: string }).id ?? randomUUID(),
          redact: ['req.headers.authorization'],
          customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
        },
      }),
    ],
    controllers: [HealthController, EventsController, ApiKeysController, ViewsController, AuditController, AdminViewsController, ReportsController],
    providers: [
      { provide: 'DEMO_MODE', useValue: options.demo },
      ApiKeys,
      AuthGuard,
      RecordEventsHandler,
      ...REPORT_PROVIDERS,
      { provide: APP_FILTER, useClass: ProblemFilter },
    ],
  })
  class AppModule {}

  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('etag', false); // write responses carry their own ETag: the stream version
  app.use(requestId);
  // Batches may be large; a single event is small. Parser errors (bad JSON, too large) become problems.
  const small = json({ limit: '1mb' });
  const large = json({ limit: '32mb' });
  app.use((req: Request, res: Response, next: NextFunction) => (req.path === '/api/v1/events:batch' ? large : small)(req, res, next));
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    sendProblem(toProblem(error), req, res);
  });
  app.useGlobalPipes(new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => new Problem(400, 'request.invalid', 'The request is invalid', fieldErrors(errors)),
  }));
  app.enableShutdownHooks();

  const config = new DocumentBuilder()
    .setTitle('Reform Ledger API')
    .setDescription('Administrative-reform events of Vietnamese local government, recorded once, immutably. ' +
      'Errors are RFC 7807 application/problem+json with a stable code and the fields at fault.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key; demo keys: demo-admin, demo-manager, demo-inspector, demo-dept-<unitId>' })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: Object.values(EVENT_SCHEMAS).map((s) => s.data) });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
};
