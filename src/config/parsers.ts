// Parsers of raw environment strings, one per kind of value, shared by the settings (./settings/). Each is a zod
// schema from string to the value; what it refuses is said by the setting's `accepts`.
import { z } from 'zod';
import { IAM_ROLE_NAME, REGION_NAME } from './aws-names.js';

/** reader: queries and subscriptions; operator: mutations too. */
export type Role = 'reader' | 'operator';

/** One API key: who holds it, what it may do, and the SHA-256 of its token (the token itself is never stored). */
export interface ApiKeyConfig {
  readonly name: string;
  readonly role: Role;
  /** Lower-case hex SHA-256 of the bearer token. */
  readonly sha256: string;
}

export const MAX_TCP_PORT = 65_535;
export const ONE_HOUR_MS = 3_600_000;
export const ONE_DAY_MS = 86_400_000;

/** Plain decimal digits only: `5e3`, `0x10`, `1.0` and ` 5` are typos, not numbers. */
export const integerIn = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values);

/** true/false/1/0 in any letter case. */
export const booleanFlag = z.stringbool({ truthy: ['true', '1'], falsy: ['false', '0'] });

export const regionName = z.string().regex(REGION_NAME);
export const iamRoleName = z.string().regex(IAM_ROLE_NAME);

export const host = z.union([z.ipv4(), z.ipv6(), z.hostname()]);

/** Splits a comma list, trimming blanks around items; duplicates collapse (first one wins). */
export const commaList = <T>(item: z.ZodType<T, string>) =>
  z
    .string()
    .transform((raw) => [...new Set(raw.split(',').map((part) => part.trim()))])
    .pipe(z.array(item).min(1));

/** An origin is exactly scheme://host[:port] over http(s): no path, query, fragment or credentials. */
export const origin = z.string().refine((value) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
});

/** `name:role:sha256-hex`: a name for logs and rate limits, reader or operator, and the hash of the token. */
const API_KEY_ENTRY = /^([\w.-]{1,64}):(reader|operator):([0-9a-fA-F]{64})$/;
export const apiKeyList = commaList(z.string().regex(API_KEY_ENTRY))
  .transform((entries) =>
    entries.map((entry): ApiKeyConfig => {
      const [, name = '', role = '', sha256 = ''] = API_KEY_ENTRY.exec(entry) ?? [];
      return { name, role: role as Role, sha256: sha256.toLowerCase() };
    }),
  )
  .refine((keys) => new Set(keys.map((key) => key.name)).size === keys.length);

/** Claim names are plain (`statusgraph_role`) or namespaced URLs (`https://example.com/role`). */
export const claimName = z.string().regex(/^[\w.:/-]{1,256}$/);
export const plainText = z.string().min(1).max(1_024);

/** An http(s) URL without credentials, query or fragment. */
export const endpointUrl = z.string().refine((value) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.username === '' &&
    url.password === '' &&
    url.search === '' &&
    url.hash === ''
  );
});

/** redis:// (or rediss:// for TLS) with a host; a password and a /db number may follow, as ioredis reads them. */
export const redisUrl = z.string().refine((value) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '' && /^\/?\d*$/.test(url.pathname) && url.hash === '';
});

/** postgres:// (or postgresql://) with a host, as node-postgres reads it; a password, port and database may follow. */
export const postgresUrl = z.string().refine((value) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.hash === '';
});

/** A trusted proxy as express's `trust proxy` names one: an address, a CIDR, or a named range. */
const TRUSTED_PROXY = /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/;

/**
 * express's `trust proxy` values that say something: false (off), a hop count (1–10), or the proxies' addresses.
 * `true` (trust every hop) is refused: any client could then name itself in X-Forwarded-For.
 */
export const trustProxy = z.union([
  z.literal('false').transform((): false => false),
  z
    .string()
    .regex(/^\d{1,2}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(10)),
  commaList(z.string().regex(TRUSTED_PROXY)),
]);
