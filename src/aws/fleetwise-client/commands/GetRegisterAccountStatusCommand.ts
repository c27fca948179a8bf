// GetRegisterAccountStatus: where this account's FleetWise registration stands in the client's region.
// Never registered there → ResourceNotFoundException.
import { Command as $Command } from '@smithy/core/client';
import { getEndpointPlugin } from '@smithy/core/endpoints';
import type { MetadataBearer as __MetadataBearer } from '@smithy/types';
import { commonParams } from '../endpoint/EndpointParameters.js';
import type { IoTFleetWiseClientResolvedConfig, ServiceInputTypes, ServiceOutputTypes } from '../IoTFleetWiseClient.js';
import type { GetRegisterAccountStatusRequest, GetRegisterAccountStatusResponse } from '../models/models_0.js';
import { SERVICE_TARGET } from '../runtimeConfig.js';
import { GetRegisterAccountStatus$ } from '../schemas/schemas_0.js';

export { $Command };

export type GetRegisterAccountStatusCommandInput = GetRegisterAccountStatusRequest;
export type GetRegisterAccountStatusCommandOutput = GetRegisterAccountStatusResponse & __MetadataBearer;

export class GetRegisterAccountStatusCommand extends $Command
  .classBuilder<
    GetRegisterAccountStatusCommandInput,
    GetRegisterAccountStatusCommandOutput,
    IoTFleetWiseClientResolvedConfig,
    ServiceInputTypes,
    ServiceOutputTypes
  >()
  .ep(commonParams)
  .m((Command, _clientStack, config) => [getEndpointPlugin(config, Command.getEndpointParameterInstructions())])
  .s(SERVICE_TARGET, 'GetRegisterAccountStatus', {})
  .n('IoTFleetWiseClient', 'GetRegisterAccountStatusCommand')
  .sc(GetRegisterAccountStatus$)
  .build() {}
