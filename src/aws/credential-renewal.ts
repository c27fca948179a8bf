// Credentials that recover: a call AWS answers with an authentication error (the session was revoked, the endpoint
// restarted, the role's trust changed) drops its account's cached credentials, gets new ones — for a member account,
// one new AssumeRole, shared by every call refused at the same moment — and is sent once more. A smithy middleware in
// the initialize step, before the step that resolves the identity, so the second send signs with the new credentials
// (the SDK's own retries happen after that step and would sign with the refused ones again).
import { getSmithyContext } from '@smithy/core/transport';
import type {
  AwsCredentialIdentity,
  InitializeHandler,
  InitializeHandlerArguments,
  MetadataBearer,
  Pluggable,
} from '@smithy/types';
import { AwsCallError, isCredentialRefusalCode } from './errors.js';

/** What the middleware needs of an account's credentials. */
export interface CredentialRenewal {
  /** Gets new credentials, unless they were renewed since `refused` was handed out; concurrent callers share one renewal. */
  renew(refused: AwsCredentialIdentity | undefined): Promise<void>;
  /** Told how the call sent again with new credentials ended. */
  report(outcome: CredentialRenewalOutcome): void;
}

/** `recovered`: AWS accepted the new credentials; `refused`: it refused them too. */
export type CredentialRenewalOutcome = 'recovered' | 'refused';

const MIDDLEWARE_NAME = 'statusgraphCredentialRenewal';

export function credentialRenewalPlugin(renewal: CredentialRenewal): Pluggable<object, MetadataBearer> {
  return {
    applyToStack(stack) {
      stack.add(
        (next: InitializeHandler<object, MetadataBearer>, context) =>
          async (args: InitializeHandlerArguments<object>) => {
            try {
              return await next(args);
            } catch (error) {
              if (!isCredentialRefusal(error)) throw error;
              const refused = getSmithyContext(context).selectedHttpAuthScheme as { identity?: AwsCredentialIdentity } | undefined;
              await renewal.renew(refused?.identity);
              try {
                const output = await next(args);
                renewal.report('recovered');
                return output;
              } catch (again) {
                // Any other answer (a not-found, a throttle) means AWS accepted the new credentials.
                renewal.report(isCredentialRefusal(again) ? 'refused' : 'recovered');
                throw again;
              }
            }
          },
        { step: 'initialize', name: MIDDLEWARE_NAME, override: true },
      );
    },
  };
}

/**
 * An SDK error saying AWS did not accept the credentials. An AwsCallError is the failure of the AssumeRole behind
 * the credentials, signed with the server's own: that client's own middleware renewed those already.
 */
function isCredentialRefusal(error: unknown): boolean {
  if (error instanceof AwsCallError || typeof error !== 'object' || error === null) return false;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' && isCredentialRefusalCode(name);
}
