// The rules that tie the authentication variables together: who may get in is never left to a guess.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const KEY = `ci:reader:${'c'.repeat(64)}`;
const JWKS = {
  STATUSGRAPH_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
  STATUSGRAPH_JWT_ISSUER: 'https://idp.example.com/',
  STATUSGRAPH_JWT_AUDIENCE: 'statusgraph',
};

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('authentication settings', () => {
  it('refuses to start the aws backend without authentication unless STATUSGRAPH_AUTH=none says so', () => {
    const error = configError({ STATUSGRAPH_BACKEND: 'aws' });
    expect(error.variable).toBe('STATUSGRAPH_AUTH');
    expect(error.message).toContain('STATUSGRAPH_AUTH=none');
    expect(loadConfig({ STATUSGRAPH_BACKEND: 'aws', STATUSGRAPH_AUTH: 'none' }).auth.mode).toBe('none');
    expect(loadConfig({ STATUSGRAPH_BACKEND: 'aws', STATUSGRAPH_API_KEYS: KEY }).auth.mode).toBe('required');
  });

  it('lets the emulator demo run open when nothing is configured', () => {
    expect(loadConfig({}).auth).toEqual({ mode: 'none', apiKeys: [] });
  });

  it('requires authentication as soon as API keys or a JWKS are configured', () => {
    expect(loadConfig({ STATUSGRAPH_API_KEYS: KEY }).auth.mode).toBe('required');
    expect(loadConfig(JWKS).auth).toEqual({
      mode: 'required',
      apiKeys: [],
      jwt: { jwksUrl: JWKS.STATUSGRAPH_JWKS_URL, issuer: JWKS.STATUSGRAPH_JWT_ISSUER, audience: 'statusgraph', roleClaim: 'statusgraph_role' },
    });
  });

  it('refuses STATUSGRAPH_AUTH=required with no way to authenticate', () => {
    expect(configError({ STATUSGRAPH_AUTH: 'required' }).message).toContain('nobody could get in');
  });

  it('refuses STATUSGRAPH_AUTH=none beside configured credentials', () => {
    expect(configError({ STATUSGRAPH_AUTH: 'none', STATUSGRAPH_API_KEYS: KEY }).variable).toBe('STATUSGRAPH_AUTH');
  });

  it.each(['STATUSGRAPH_JWT_ISSUER', 'STATUSGRAPH_JWT_AUDIENCE'] as const)('requires %s beside STATUSGRAPH_JWKS_URL', (missing) => {
    const env: Record<string, string> = { ...JWKS };
    delete env[missing];
    const error = configError(env);
    expect(error.variable).toBe(missing);
    expect(error.message).toContain('required with STATUSGRAPH_JWKS_URL');
  });

  it('refuses JWT settings that would do nothing without a JWKS', () => {
    expect(configError({ STATUSGRAPH_JWT_AUDIENCE: 'statusgraph' }).message).toContain('has no effect without STATUSGRAPH_JWKS_URL');
  });

  it('never echoes an API key entry it refuses', () => {
    const entry = `ci:superuser:${'d'.repeat(64)}`;
    const error = configError({ STATUSGRAPH_API_KEYS: entry });
    expect(error.message).not.toContain('d'.repeat(64));
  });
});

describe('production defaults', () => {
  it('turn introspection off in production unless STATUSGRAPH_INTROSPECTION=true', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).introspection).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', STATUSGRAPH_INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).introspection).toBe(true);
  });

  it('keep the throttling attempts at least as many as the ordinary ones', () => {
    expect(loadConfig({ STATUSGRAPH_AWS_MAX_ATTEMPTS: '10' }).aws.throttleMaxAttempts).toBe(10);
  });
});
