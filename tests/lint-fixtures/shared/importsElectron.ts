// Lint fixture, not compiled: tests/unit/lint/folderRules.test.ts lints this text under the path
// src/shared/... and expects the folder rules to reject both imports.
import { app } from 'electron';
import { readFileSync } from 'node:fs';

export const name = app.getName() + readFileSync.name;
