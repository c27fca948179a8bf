// The Smithy schemas of the two operations: what @smithy/core's schema serde and the awsJson1_0 protocol read to
// write requests and parse responses and errors (timestamps become Dates, error bodies become error classes).
// Static tuples in the format the generated clients use: [kind, namespace, name, traits, member names,
// member schemas, number of leading members that are required].
import { TypeRegistry } from '@smithy/core/schema';
import type {
  StaticErrorSchema,
  StaticListSchema,
  StaticOperationSchema,
  StaticStructureSchema,
} from '@smithy/types';
import {
  AccessDeniedException,
  ConflictException,
  InternalServerException,
  ResourceNotFoundException,
  ThrottlingException,
  ValidationException,
} from '../models/errors.js';
import { IoTFleetWiseServiceException } from '../models/IoTFleetWiseServiceException.js';

/** Namespace of the service's shapes; JSON 1.0 error bodies name their type as `<namespace>#<Name>`. */
const NAMESPACE = 'com.amazonaws.iotfleetwise';
/** Where the SDK looks for a service's base exception, used for error codes that are not modelled. */
const SYNTHETIC_NAMESPACE = `smithy.ts.sdk.synthetic.${NAMESPACE}`;

// Schema kinds and simple types, as @smithy/types numbers them.
const ERROR = -3;
const LIST = 1;
const STRUCTURE = 3;
const OPERATION = 9;
const STRING = 0;
const NUMERIC = 1;
/** The protocol's default timestamp format: epoch seconds in JSON. */
const TIMESTAMP = 4;

const CLIENT_FAULT = { error: 'client' } as const;
const SERVER_FAULT = { error: 'server' } as const;
/** In the model `retryAfterSeconds` is bound to this header; JSON 1.0 reads error members from the body only. */
const RETRY_AFTER = [NUMERIC, { httpHeader: 'Retry-After' }] as const;

const syntheticRegistry = TypeRegistry.for(SYNTHETIC_NAMESPACE);
export const IoTFleetWiseServiceException$: StaticErrorSchema = [ERROR, SYNTHETIC_NAMESPACE, 'IoTFleetWiseServiceException', 0, [], []];
syntheticRegistry.registerError(IoTFleetWiseServiceException$, IoTFleetWiseServiceException);

const registry = TypeRegistry.for(NAMESPACE);
export const AccessDeniedException$: StaticErrorSchema = [ERROR, NAMESPACE, 'AccessDeniedException',
  { ...CLIENT_FAULT, httpError: 403 },
  ['message'],
  [STRING], 1,
];
registry.registerError(AccessDeniedException$, AccessDeniedException);
export const ConflictException$: StaticErrorSchema = [ERROR, NAMESPACE, 'ConflictException',
  { ...CLIENT_FAULT, httpError: 409 },
  ['message', 'resource', 'resourceType'],
  [STRING, STRING, STRING], 3,
];
registry.registerError(ConflictException$, ConflictException);
export const InternalServerException$: StaticErrorSchema = [ERROR, NAMESPACE, 'InternalServerException',
  { ...SERVER_FAULT, httpError: 500 },
  ['message', 'retryAfterSeconds'],
  [STRING, [...RETRY_AFTER]], 1,
];
registry.registerError(InternalServerException$, InternalServerException);
export const ResourceNotFoundException$: StaticErrorSchema = [ERROR, NAMESPACE, 'ResourceNotFoundException',
  { ...CLIENT_FAULT, httpError: 404 },
  ['message', 'resourceId', 'resourceType'],
  [STRING, STRING, STRING], 3,
];
registry.registerError(ResourceNotFoundException$, ResourceNotFoundException);
export const ThrottlingException$: StaticErrorSchema = [ERROR, NAMESPACE, 'ThrottlingException',
  { ...CLIENT_FAULT, httpError: 429 },
  ['message', 'quotaCode', 'serviceCode', 'retryAfterSeconds'],
  [STRING, STRING, STRING, [...RETRY_AFTER]], 1,
];
registry.registerError(ThrottlingException$, ThrottlingException);
export const ValidationException$: StaticErrorSchema = [ERROR, NAMESPACE, 'ValidationException',
  { ...CLIENT_FAULT, httpError: 400 },
  ['message', 'reason', 'fieldList'],
  [STRING, STRING, () => ValidationExceptionFieldList], 1,
];
registry.registerError(ValidationException$, ValidationException);

/** The registries the protocol searches for an error's class (protocolSettings.errorTypeRegistries). */
export const errorTypeRegistries = [syntheticRegistry, registry];

export const ValidationExceptionField$: StaticStructureSchema = [STRUCTURE, NAMESPACE, 'ValidationExceptionField',
  0,
  ['name', 'message'],
  [STRING, STRING], 2,
];
const ValidationExceptionFieldList: StaticListSchema = [LIST, NAMESPACE, 'ValidationExceptionFieldList', 0, () => ValidationExceptionField$];

export const IamRegistrationResponse$: StaticStructureSchema = [STRUCTURE, NAMESPACE, 'IamRegistrationResponse',
  0,
  ['roleArn', 'registrationStatus', 'errorMessage'],
  [STRING, STRING, STRING], 2,
];
export const TimestreamRegistrationResponse$: StaticStructureSchema = [STRUCTURE, NAMESPACE, 'TimestreamRegistrationResponse',
  0,
  ['timestreamDatabaseName', 'timestreamTableName', 'registrationStatus', 'timestreamDatabaseArn', 'timestreamTableArn', 'errorMessage'],
  [STRING, STRING, STRING, STRING, STRING, STRING], 3,
];
export const GetRegisterAccountStatusRequest$: StaticStructureSchema = [STRUCTURE, NAMESPACE, 'GetRegisterAccountStatusRequest', 0, [], []];
export const GetRegisterAccountStatusResponse$: StaticStructureSchema = [STRUCTURE, NAMESPACE, 'GetRegisterAccountStatusResponse',
  0,
  ['customerAccountId', 'accountStatus', 'iamRegistrationResponse', 'creationTime', 'lastModificationTime', 'timestreamRegistrationResponse'],
  [STRING, STRING, () => IamRegistrationResponse$, TIMESTAMP, TIMESTAMP, () => TimestreamRegistrationResponse$], 5,
];

export const IamResources$: StaticStructureSchema = [STRUCTURE, NAMESPACE, 'IamResources', 0, ['roleArn'], [STRING], 1];
export const TimestreamResources$: StaticStructureSchema = [STRUCTURE, NAMESPACE, 'TimestreamResources',
  0,
  ['timestreamDatabaseName', 'timestreamTableName'],
  [STRING, STRING], 2,
];
export const RegisterAccountRequest$: StaticStructureSchema = [STRUCTURE, NAMESPACE, 'RegisterAccountRequest',
  0,
  ['timestreamResources', 'iamResources'],
  [() => TimestreamResources$, () => IamResources$],
];
export const RegisterAccountResponse$: StaticStructureSchema = [STRUCTURE, NAMESPACE, 'RegisterAccountResponse',
  0,
  ['registerAccountStatus', 'iamResources', 'creationTime', 'lastModificationTime', 'timestreamResources'],
  [STRING, () => IamResources$, TIMESTAMP, TIMESTAMP, () => TimestreamResources$], 4,
];

export const GetRegisterAccountStatus$: StaticOperationSchema = [OPERATION, NAMESPACE, 'GetRegisterAccountStatus',
  0, () => GetRegisterAccountStatusRequest$, () => GetRegisterAccountStatusResponse$,
];
export const RegisterAccount$: StaticOperationSchema = [OPERATION, NAMESPACE, 'RegisterAccount',
  0, () => RegisterAccountRequest$, () => RegisterAccountResponse$,
];
