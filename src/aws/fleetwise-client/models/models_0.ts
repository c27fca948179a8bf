// Input and output shapes of GetRegisterAccountStatus and RegisterAccount (IoT FleetWise 2021-06-17), typed as the
// generated clients type them: members the model requires are still `| undefined`, because a client must not
// trust a server to send them.
import type { RegistrationStatus } from './enums.js';

export type GetRegisterAccountStatusRequest = Record<string, never>;

/** The IAM role registered for FleetWise, and how its registration went. */
export interface IamRegistrationResponse {
  roleArn: string | undefined;
  registrationStatus: RegistrationStatus | undefined;
  errorMessage?: string | undefined;
}

/**
 * The Timestream database and table registered for FleetWise, and how their registration went.
 * @deprecated by AWS together with RegisterAccount's `timestreamResources`; still returned for old registrations.
 */
export interface TimestreamRegistrationResponse {
  timestreamDatabaseName: string | undefined;
  timestreamTableName: string | undefined;
  timestreamDatabaseArn?: string | undefined;
  timestreamTableArn?: string | undefined;
  registrationStatus: RegistrationStatus | undefined;
  errorMessage?: string | undefined;
}

export interface GetRegisterAccountStatusResponse {
  /** The 12-digit id of the registered account. */
  customerAccountId: string | undefined;
  accountStatus: RegistrationStatus | undefined;
  /** @deprecated see {@link TimestreamRegistrationResponse}. */
  timestreamRegistrationResponse?: TimestreamRegistrationResponse | undefined;
  iamRegistrationResponse: IamRegistrationResponse | undefined;
  /** Sent as epoch seconds, parsed to a Date. */
  creationTime: Date | undefined;
  lastModificationTime: Date | undefined;
}

/** The IAM role that lets FleetWise send vehicle data. */
export interface IamResources {
  roleArn: string | undefined;
}

/** @deprecated AWS asks to register again without Timestream resources and to name the destination per campaign. */
export interface TimestreamResources {
  timestreamDatabaseName: string | undefined;
  timestreamTableName: string | undefined;
}

export interface RegisterAccountRequest {
  /** @deprecated see {@link TimestreamResources}. */
  timestreamResources?: TimestreamResources | undefined;
  iamResources?: IamResources | undefined;
}

export interface RegisterAccountResponse {
  registerAccountStatus: RegistrationStatus | undefined;
  /** @deprecated see {@link TimestreamResources}. */
  timestreamResources?: TimestreamResources | undefined;
  iamResources: IamResources | undefined;
  creationTime: Date | undefined;
  lastModificationTime: Date | undefined;
}

/** One input field that failed validation. */
export interface ValidationExceptionField {
  name: string | undefined;
  message: string | undefined;
}
