import { INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { Database } from '@reform-ledger/ledger';
import { DatabaseModule } from './database.module';
import { HealthController } from './health.controller';

@Module({ imports: [TerminusModule], controllers: [HealthController] })
class AppModule {}

/** Builds the API over an opened database; the caller listens (main.ts) or tests it (e2e). */
export const createApp = async (db: Database): Promise<INestApplication> => {
  const app = await NestFactory.create(
    { module: AppModule, imports: [DatabaseModule.forDatabase(db)] },
    { logger: ['error', 'warn'] },
  );
  app.enableShutdownHooks();
  return app;
};
