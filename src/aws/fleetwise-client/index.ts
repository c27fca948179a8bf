// Our IoT FleetWise client. `@aws-sdk/client-iotfleetwise` cannot be installed from this project's registry, so
// these two commands are written the way the generated AWS SDK v3 clients are — the same @smithy/core client and
// schema serde, awsJson1_0 protocol, SigV4 signer, default credential and region chains, standard retries and
// endpoint resolution (`endpoint`, AWS_ENDPOINT_URL_IOTFLEETWISE, AWS_ENDPOINT_URL, shared config) — and export
// the official names. Replacing it with the official package is one import:
//   import { IoTFleetWiseClient, GetRegisterAccountStatusCommand, … } from '@aws-sdk/client-iotfleetwise';
export * from './IoTFleetWiseClient.js';
export type { RuntimeExtension, IoTFleetWiseExtensionConfiguration } from './runtimeExtensions.js';
export * from './commands/GetRegisterAccountStatusCommand.js';
export * from './commands/RegisterAccountCommand.js';
export * from './schemas/schemas_0.js';
export * from './models/enums.js';
export * from './models/errors.js';
export * from './models/models_0.js';
export { IoTFleetWiseServiceException } from './models/IoTFleetWiseServiceException.js';
