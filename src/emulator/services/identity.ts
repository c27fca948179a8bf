// Who the emulator's credentials belong to, after LocalStack's conventions: `test`/`test` is the management account,
// a 12-digit access key id is that account's root, and STS AssumeRole adds temporary `ASIA…` keys bound to the role's
// account until they expire. The protocol core looks secrets up here to verify signatures.
import { createHash, randomBytes } from 'node:crypto';
import type { IdentityStore, KnownCredentials } from '../core/types.js';

/** The management account of the emulated organization, as LocalStack numbers its default account. */
export const MANAGEMENT_ACCOUNT_ID = '000000000000';
/** The access key id and secret of the management account (LocalStack's `test`/`test`). */
export const DEFAULT_ACCESS_KEY_ID = 'test';
/** Secret of `test` and of every 12-digit access key id. */
export const DEFAULT_SECRET_ACCESS_KEY = 'test';

/** Temporary access key ids start with ASIA, as AWS's do (long-term ones start with AKIA). */
const TEMPORARY_ACCESS_KEY_PREFIX = 'ASIA';
/** Role ids start with AROA; the assumed-role principal's UserId is `<role id>:<session name>`. */
const ROLE_ID_PREFIX = 'AROA';
const UPPERCASE_ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Expired sessions stay known this long so the core can answer ExpiredToken instead of an unknown key. */
const EXPIRED_SESSION_RETENTION_MS = 60 * 60 * 1000; // 1 hour
/** How many sessions are issued between two sweeps of long-expired ones. */
const SESSIONS_BETWEEN_SWEEPS = 1_000;

const ACCOUNT_ID_PATTERN = /^\d{12}$/;

export interface SessionRequest {
  readonly accountId: string;
  readonly roleName: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly now: Date;
}

/** Credentials of an assumed-role session, with the ids AssumeRole reports. */
export interface IssuedSession extends KnownCredentials {
  readonly sessionToken: string;
  readonly expiration: Date;
  /** `<role id>:<session name>`, the AssumedRoleUser.AssumedRoleId of AssumeRole. */
  readonly assumedRoleId: string;
}

export class IdentityRegistry implements IdentityStore {
  private readonly sessions = new Map<string, IssuedSession>();
  private issuedSinceSweep = 0;

  constructor(private readonly managementAccountId: string = MANAGEMENT_ACCOUNT_ID) {}

  lookup(accessKeyId: string): KnownCredentials | undefined {
    if (accessKeyId === DEFAULT_ACCESS_KEY_ID) return rootCredentials(accessKeyId, this.managementAccountId);
    if (ACCOUNT_ID_PATTERN.test(accessKeyId)) return rootCredentials(accessKeyId, accessKeyId);
    return this.sessions.get(accessKeyId);
  }

  /** Issues temporary credentials for a role session; the caller has already decided the caller may assume it. */
  issueSession(request: SessionRequest): IssuedSession {
    const assumedRoleId = `${roleId(request.accountId, request.roleName)}:${request.sessionName}`;
    const session: IssuedSession = {
      accessKeyId: TEMPORARY_ACCESS_KEY_PREFIX + randomCharacters(16),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      expiration: new Date(request.now.getTime() + request.durationSeconds * 1000),
      accountId: request.accountId,
      arn: `arn:aws:sts::${request.accountId}:assumed-role/${request.roleName}/${request.sessionName}`,
      userId: assumedRoleId,
      assumedRoleId,
    };
    this.sessions.set(session.accessKeyId, session);
    this.sweepOccasionally(request.now);
    return session;
  }

  /** Forgets every session, as a restarted endpoint has: their keys are unrecognized from now on. Returns how many. */
  forgetSessions(): number {
    const count = this.sessions.size;
    this.sessions.clear();
    return count;
  }

  /** Number of sessions currently remembered (live or recently expired). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  private sweepOccasionally(now: Date): void {
    this.issuedSinceSweep++;
    if (this.issuedSinceSweep < SESSIONS_BETWEEN_SWEEPS) return;
    this.issuedSinceSweep = 0;
    const forgetBefore = now.getTime() - EXPIRED_SESSION_RETENTION_MS;
    for (const [accessKeyId, session] of this.sessions) {
      if (session.expiration.getTime() < forgetBefore) this.sessions.delete(accessKeyId);
    }
  }
}

/** The root principal of an account: GetCallerIdentity reports the account id as its UserId. */
function rootCredentials(accessKeyId: string, accountId: string): KnownCredentials {
  return {
    accessKeyId,
    secretAccessKey: DEFAULT_SECRET_ACCESS_KEY,
    accountId,
    arn: `arn:aws:iam::${accountId}:root`,
    userId: accountId,
  };
}

/** A stable id per (account, role), so every session of the same role reports the same role id. */
function roleId(accountId: string, roleName: string): string {
  const digest = createHash('sha256').update(`${accountId}:${roleName}`).digest();
  let id = ROLE_ID_PREFIX;
  for (let i = 0; i < 17; i++) id += UPPERCASE_ALPHANUMERIC[digest[i]! % UPPERCASE_ALPHANUMERIC.length];
  return id;
}

function randomCharacters(length: number): string {
  const bytes = randomBytes(length);
  let text = '';
  for (const byte of bytes) text += UPPERCASE_ALPHANUMERIC[byte % UPPERCASE_ALPHANUMERIC.length];
  return text;
}
