// RegisterAccount: registers this account (its IAM role, and the deprecated Timestream table) with FleetWise in
// the client's region. The registration starts REGISTRATION_PENDING and settles minutes later on AWS.
import { Command as $Command } from '@smithy/core/client';
import { getEndpointPlugin } from '@smithy/core/endpoints';
import type { MetadataBearer as __MetadataBearer } from '@smithy/types';
import { commonParams } from '../endpoint/EndpointParameters.js';
import type { IoTFleetWiseClientResolvedConfig, ServiceInputTypes, ServiceOutputTypes } from '../IoTFleetWiseClient.js';
import type { RegisterAccountRequest, RegisterAccountResponse } from '../models/models_0.js';
import { SERVICE_TARGET } from '../runtimeConfig.js';
import { RegisterAccount$ } from '../schemas/schemas_0.js';

export { $Command };

export type RegisterAccountCommandInput = RegisterAccountRequest;
export type RegisterAccountCommandOutput = RegisterAccountResponse & __MetadataBearer;

export class RegisterAccountCommand extends $Command
  .classBuilder<
    RegisterAccountCommandInput,
    RegisterAccountCommandOutput,
    IoTFleetWiseClientResolvedConfig,
    ServiceInputTypes,
    ServiceOutputTypes
  >()
  .ep(commonParams)
  .m((Command, _clientStack, config) => [getEndpointPlugin(config, Command.getEndpointParameterInstructions())])
  .s(SERVICE_TARGET, 'RegisterAccount', {})
  .n('IoTFleetWiseClient', 'RegisterAccountCommand')
  .sc(RegisterAccount$)
  .build() {}
