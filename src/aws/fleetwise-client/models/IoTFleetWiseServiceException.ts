// The base class of every IoT FleetWise error, so `instanceof IoTFleetWiseServiceException` catches them all,
// including error codes this client does not model (the protocol builds those from this class).
import { ServiceException, type ServiceExceptionOptions } from '@smithy/core/client';

export type { ServiceExceptionOptions as __ServiceExceptionOptions };
export { ServiceException as __ServiceException };

export class IoTFleetWiseServiceException extends ServiceException {
  constructor(options: ServiceExceptionOptions) {
    super(options);
    Object.setPrototypeOf(this, IoTFleetWiseServiceException.prototype);
  }
}
