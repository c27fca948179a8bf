// STATUSGRAPH_DATA_DIR, STATUSGRAPH_DATABASE_URL and STATUSGRAPH_HISTORY_RETENTION_DAYS: where history is kept and for how long.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${Object.keys(env).join(', ')}`);
}

describe('history configuration', () => {
  it('keeps history embedded in .statusgraph-data for 400 days by default, and in memory under NODE_ENV=test', () => {
    expect(loadConfig({}).history).toEqual({ store: 'embedded', dataDir: '.statusgraph-data', retentionDays: 400 });
    expect(loadConfig({ NODE_ENV: 'test' }).history).toEqual({ store: 'embedded', retentionDays: 400 });
    expect(loadConfig({ NODE_ENV: 'test', STATUSGRAPH_DATA_DIR: '/var/lib/sg' }).history).toEqual({
      store: 'embedded',
      dataDir: '/var/lib/sg',
      retentionDays: 400,
    });
  });

  it('uses PostgreSQL when a database URL is set', () => {
    expect(loadConfig({ STATUSGRAPH_DATABASE_URL: 'postgres://sg:pw@db.internal:5432/sg', STATUSGRAPH_HISTORY_RETENTION_DAYS: '30' }).history).toEqual({
      store: 'postgres',
      databaseUrl: 'postgres://sg:pw@db.internal:5432/sg',
      retentionDays: 30,
    });
  });

  it('refuses a bad URL without echoing its password, a zero retention, and a data directory beside a URL', () => {
    const message = refusal({ STATUSGRAPH_DATABASE_URL: 'mysql://sg:hunter2@db/sg' });
    expect(message).toContain('STATUSGRAPH_DATABASE_URL');
    expect(message).not.toContain('hunter2');
    expect(refusal({ STATUSGRAPH_HISTORY_RETENTION_DAYS: '0' })).toContain('STATUSGRAPH_HISTORY_RETENTION_DAYS');
    expect(refusal({ STATUSGRAPH_DATABASE_URL: 'postgres://db/sg', STATUSGRAPH_DATA_DIR: '/data' })).toContain('STATUSGRAPH_DATA_DIR');
  });
});
