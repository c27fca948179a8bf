import { describe, expect, it } from 'vitest';
import { IdentityRegistry } from '../../../src/emulator/services/identity.js';

describe('IdentityRegistry', () => {
  const registry = new IdentityRegistry();

  it('knows test/test as the management account root', () => {
    expect(registry.lookup('test')).toEqual({
      accessKeyId: 'test',
      secretAccessKey: 'test',
      accountId: '000000000000',
      arn: 'arn:aws:iam::000000000000:root',
      userId: '000000000000',
    });
  });

  it('knows a 12-digit access key id as that account, with the secret test', () => {
    expect(registry.lookup('210987654321')).toMatchObject({ accountId: '210987654321', secretAccessKey: 'test' });
  });

  it('knows no other access key', () => {
    expect(registry.lookup('AKIAIOSFODNN7EXAMPLE')).toBeUndefined();
    expect(registry.lookup('12345678901')).toBeUndefined();
  });

  it('reports an issued session with its expiry, and the same role id for every session of a role', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const request = { accountId: '210987654321', roleName: 'Admin', sessionName: 'one', durationSeconds: 900, now };
    const first = registry.issueSession(request);
    const second = registry.issueSession({ ...request, sessionName: 'two' });
    expect(registry.lookup(first.accessKeyId)).toEqual(first);
    expect(first.expiration).toEqual(new Date('2030-01-01T00:15:00Z'));
    expect(first.accessKeyId).not.toBe(second.accessKeyId);
    expect(first.assumedRoleId.split(':')[0]).toBe(second.assumedRoleId.split(':')[0]);
  });

  it('forgets sessions long expired, after enough new ones were issued', () => {
    const fresh = new IdentityRegistry();
    const start = new Date('2030-01-01T00:00:00Z');
    const old = fresh.issueSession({ accountId: '210987654321', roleName: 'Admin', sessionName: 'old', durationSeconds: 900, now: start });
    const later = new Date(start.getTime() + 3 * 3_600_000);
    for (let i = 0; i < 1_000; i++) {
      fresh.issueSession({ accountId: '210987654321', roleName: 'Admin', sessionName: `s${i}`, durationSeconds: 900, now: later });
    }
    expect(fresh.lookup(old.accessKeyId)).toBeUndefined();
    expect(fresh.sessionCount).toBe(1_000);
  });
});
