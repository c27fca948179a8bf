// The modelled errors of GetRegisterAccountStatus and RegisterAccount. The protocol picks the class from the
// `__type` of the error body (schemas/schemas_0.ts registers each one) and copies the body's members onto it.
import type { ExceptionOptionType } from '@smithy/core/client';
import type { ValidationExceptionReason } from './enums.js';
import { IoTFleetWiseServiceException } from './IoTFleetWiseServiceException.js';
import type { ValidationExceptionField } from './models_0.js';

/** The caller may not perform this action. */
export class AccessDeniedException extends IoTFleetWiseServiceException {
  static override readonly shapeId: string = 'com.amazonaws.iotfleetwise#AccessDeniedException';
  override readonly name = 'AccessDeniedException' as const;
  override readonly $fault = 'client' as const;

  constructor(opts: ExceptionOptionType<AccessDeniedException, IoTFleetWiseServiceException>) {
    super({ name: 'AccessDeniedException', $fault: 'client', ...opts });
    Object.setPrototypeOf(this, AccessDeniedException.prototype);
  }
}

/** Another operation on the same resource is in progress — RegisterAccount while a registration is pending. */
export class ConflictException extends IoTFleetWiseServiceException {
  static override readonly shapeId: string = 'com.amazonaws.iotfleetwise#ConflictException';
  override readonly name = 'ConflictException' as const;
  override readonly $fault = 'client' as const;
  /** The resource with the conflicting operations. */
  resource: string | undefined;
  resourceType: string | undefined;

  constructor(opts: ExceptionOptionType<ConflictException, IoTFleetWiseServiceException>) {
    super({ name: 'ConflictException', $fault: 'client', ...opts });
    Object.setPrototypeOf(this, ConflictException.prototype);
    this.resource = opts.resource;
    this.resourceType = opts.resourceType;
  }
}

/** The service failed; worth retrying, after `retryAfterSeconds` when given. */
export class InternalServerException extends IoTFleetWiseServiceException {
  static override readonly shapeId: string = 'com.amazonaws.iotfleetwise#InternalServerException';
  override readonly name = 'InternalServerException' as const;
  override readonly $fault = 'server' as const;
  retryAfterSeconds?: number | undefined;

  constructor(opts: ExceptionOptionType<InternalServerException, IoTFleetWiseServiceException>) {
    super({ name: 'InternalServerException', $fault: 'server', ...opts });
    Object.setPrototypeOf(this, InternalServerException.prototype);
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

/** The resource does not exist — for GetRegisterAccountStatus: the account never registered in this region. */
export class ResourceNotFoundException extends IoTFleetWiseServiceException {
  static override readonly shapeId: string = 'com.amazonaws.iotfleetwise#ResourceNotFoundException';
  override readonly name = 'ResourceNotFoundException' as const;
  override readonly $fault = 'client' as const;
  resourceId: string | undefined;
  resourceType: string | undefined;

  constructor(opts: ExceptionOptionType<ResourceNotFoundException, IoTFleetWiseServiceException>) {
    super({ name: 'ResourceNotFoundException', $fault: 'client', ...opts });
    Object.setPrototypeOf(this, ResourceNotFoundException.prototype);
    this.resourceId = opts.resourceId;
    this.resourceType = opts.resourceType;
  }
}

/** The request was throttled. The standard retry strategy retries it by name. */
export class ThrottlingException extends IoTFleetWiseServiceException {
  static override readonly shapeId: string = 'com.amazonaws.iotfleetwise#ThrottlingException';
  override readonly name = 'ThrottlingException' as const;
  override readonly $fault = 'client' as const;
  quotaCode?: string | undefined;
  serviceCode?: string | undefined;
  retryAfterSeconds?: number | undefined;

  constructor(opts: ExceptionOptionType<ThrottlingException, IoTFleetWiseServiceException>) {
    super({ name: 'ThrottlingException', $fault: 'client', ...opts });
    Object.setPrototypeOf(this, ThrottlingException.prototype);
    this.quotaCode = opts.quotaCode;
    this.serviceCode = opts.serviceCode;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

/** The input broke a constraint of the model (a role ARN that does not match its pattern, a name too short…). */
export class ValidationException extends IoTFleetWiseServiceException {
  static override readonly shapeId: string = 'com.amazonaws.iotfleetwise#ValidationException';
  override readonly name = 'ValidationException' as const;
  override readonly $fault = 'client' as const;
  reason?: ValidationExceptionReason | undefined;
  fieldList?: ValidationExceptionField[] | undefined;

  constructor(opts: ExceptionOptionType<ValidationException, IoTFleetWiseServiceException>) {
    super({ name: 'ValidationException', $fault: 'client', ...opts });
    Object.setPrototypeOf(this, ValidationException.prototype);
    this.reason = opts.reason;
    this.fieldList = opts.fieldList;
  }
}
