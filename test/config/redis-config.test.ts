// STATUSGRAPH_REDIS_URL and STATUSGRAPH_POLLER_LEASE_MS: several instances behind one Redis.
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../src/config/index.js';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${Object.keys(env).join(', ')}`);
}

describe('Redis configuration', () => {
  it('keeps everything in-process when no Redis URL is set', () => {
    expect(loadConfig({}).redis).toBeUndefined();
  });

  it('reads a Redis URL with the default lease of 15 seconds', () => {
    expect(loadConfig({ STATUSGRAPH_REDIS_URL: 'redis://127.0.0.1:6379' }).redis).toEqual({
      url: 'redis://127.0.0.1:6379',
      pollerLeaseMs: 15_000,
    });
  });

  it.each(['redis://:s3cret@redis.internal:6379/2', 'rediss://user:s3cret@redis.example.com', 'redis://localhost'])(
    'accepts %s',
    (url) => {
      expect(loadConfig({ STATUSGRAPH_REDIS_URL: url }).redis?.url).toBe(url);
    },
  );

  it('takes a shorter lease for tests', () => {
    expect(loadConfig({ STATUSGRAPH_REDIS_URL: 'redis://localhost', STATUSGRAPH_POLLER_LEASE_MS: '900' }).redis?.pollerLeaseMs).toBe(900);
  });

  it.each(['http://localhost:6379', 'localhost:6379', 'redis://', 'redis://host/not-a-db', 'redis://host#x'])('refuses %s', (url) => {
    expect(configError({ STATUSGRAPH_REDIS_URL: url }).message).toContain('STATUSGRAPH_REDIS_URL');
  });

  it('never repeats a password in its error, even from a malformed URL', () => {
    for (const url of ['redis://:hunter2@host/notadb', 'redis//:hunter2@host', 'http://user:hunter2@host']) {
      const error = configError({ STATUSGRAPH_REDIS_URL: url });
      expect(error.message).not.toContain('hunter2');
      expect(error.message).toContain('<redacted>');
    }
  });

  it('refuses a lease period without a Redis to hold the leases', () => {
    expect(configError({ STATUSGRAPH_POLLER_LEASE_MS: '5000' }).message).toContain('no effect without STATUSGRAPH_REDIS_URL');
  });

  it.each(['0', '299', '3600001', '1e4'])('refuses a lease of %s ms', (value) => {
    const error = configError({ STATUSGRAPH_REDIS_URL: 'redis://localhost', STATUSGRAPH_POLLER_LEASE_MS: value });
    expect(error.variable).toBe('STATUSGRAPH_POLLER_LEASE_MS');
  });

  it('documents both variables', () => {
    const names = CONFIG_VARIABLES.map((variable) => variable.name);
    expect(names).toEqual(expect.arrayContaining(['STATUSGRAPH_REDIS_URL', 'STATUSGRAPH_POLLER_LEASE_MS']));
  });
});
