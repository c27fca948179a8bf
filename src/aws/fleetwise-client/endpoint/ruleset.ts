// The endpoint rules of IoT FleetWise, as data for @smithy/core's rules engine: a custom endpoint wins (and cannot
// be combined with FIPS or dual-stack); otherwise `https://iotfleetwise[-fips].<region>.<partition DNS suffix>`.
// The rules do not know which regions offer the service: a region without FleetWise resolves to a host that
// AWS does not serve, and the emulator answers it with an error.
import type { RuleSetObject } from '@smithy/types';

const endpointParam = { ref: 'Endpoint' };
const regionParam = { ref: 'Region' };
const partition = { ref: 'PartitionResult' };
const isTrue = (ref: string) => ({ fn: 'booleanEquals', argv: [{ ref }, true] });
const partitionSupports = (feature: 'supportsFIPS' | 'supportsDualStack') => ({
  fn: 'booleanEquals',
  argv: [{ fn: 'getAttr', argv: [partition, feature] }, true],
});
type Condition = ReturnType<typeof isTrue>;
const endpointAt = (url: string | { ref: string }, ...conditions: Condition[]) => ({
  conditions,
  endpoint: { url, properties: {}, headers: {} },
  type: 'endpoint' as const,
});
const failWith = (error: string, ...conditions: Condition[]) => ({ conditions, error, type: 'error' as const });

export const ruleSet: RuleSetObject = {
  version: '1.0',
  parameters: {
    Region: { builtIn: 'AWS::Region', required: false, type: 'String' },
    UseDualStack: { builtIn: 'AWS::UseDualStack', required: true, default: false, type: 'Boolean' },
    UseFIPS: { builtIn: 'AWS::UseFIPS', required: true, default: false, type: 'Boolean' },
    Endpoint: { builtIn: 'SDK::Endpoint', required: false, type: 'String' },
  },
  rules: [
    {
      conditions: [{ fn: 'isSet', argv: [endpointParam] }],
      type: 'tree',
      rules: [
        failWith('Invalid Configuration: FIPS and custom endpoint are not supported', isTrue('UseFIPS')),
        failWith('Invalid Configuration: Dualstack and custom endpoint are not supported', isTrue('UseDualStack')),
        endpointAt(endpointParam),
      ],
    },
    {
      conditions: [
        { fn: 'isSet', argv: [regionParam] },
        { fn: 'aws.partition', argv: [regionParam], assign: 'PartitionResult' },
      ],
      type: 'tree',
      rules: [
        {
          conditions: [isTrue('UseFIPS'), isTrue('UseDualStack')],
          type: 'tree',
          rules: [
            {
              conditions: [partitionSupports('supportsFIPS'), partitionSupports('supportsDualStack')],
              type: 'tree',
              rules: [endpointAt('https://iotfleetwise-fips.{Region}.{PartitionResult#dualStackDnsSuffix}')],
            },
            failWith('FIPS and DualStack are enabled, but this partition does not support one or both'),
          ],
        },
        {
          conditions: [isTrue('UseFIPS')],
          type: 'tree',
          rules: [
            {
              conditions: [partitionSupports('supportsFIPS')],
              type: 'tree',
              rules: [endpointAt('https://iotfleetwise-fips.{Region}.{PartitionResult#dnsSuffix}')],
            },
            failWith('FIPS is enabled but this partition does not support FIPS'),
          ],
        },
        {
          conditions: [isTrue('UseDualStack')],
          type: 'tree',
          rules: [
            {
              conditions: [partitionSupports('supportsDualStack')],
              type: 'tree',
              rules: [endpointAt('https://iotfleetwise.{Region}.{PartitionResult#dualStackDnsSuffix}')],
            },
            failWith('DualStack is enabled but this partition does not support DualStack'),
          ],
        },
        endpointAt('https://iotfleetwise.{Region}.{PartitionResult#dnsSuffix}'),
      ],
    },
    failWith('Invalid Configuration: Missing Region'),
  ],
};
