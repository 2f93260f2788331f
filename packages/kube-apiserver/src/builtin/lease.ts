/** coordination.k8s.io/v1 Leases: MicroTime acquire/renew times, and updates need a resourceVersion. */
import { fieldError } from '../errors.js';
import type { ResourceType } from '../resource-type.js';
import type { FieldError } from '../schema/contract.js';
import { AGE_COLUMN, NAME_COLUMN, age, builtinType, pick, pickString, requireMicroTime } from './define.js';

export const leaseType: ResourceType = builtinType({
  group: 'coordination.k8s.io',
  version: 'v1',
  resource: 'leases',
  kind: 'Lease',
  namespaced: true,
  requireResourceVersionOnUpdate: true,
  hooks: {
    knownFields: ['apiVersion', 'kind', 'metadata', 'spec'],
    decode(object) {
      requireMicroTime('Lease', 'v1', pick(object, 'spec', 'acquireTime'));
      requireMicroTime('Lease', 'v1', pick(object, 'spec', 'renewTime'));
    },
    validate(object) {
      const errors: FieldError[] = [];
      const duration = pick(object, 'spec', 'leaseDurationSeconds');
      if (typeof duration === 'number' && duration <= 0) {
        errors.push(
          fieldError(
            'FieldValueInvalid',
            'spec.leaseDurationSeconds',
            'must be greater than 0',
            String(duration),
          ),
        );
      }
      const transitions = pick(object, 'spec', 'leaseTransitions');
      if (typeof transitions === 'number' && transitions < 0) {
        errors.push(
          fieldError(
            'FieldValueInvalid',
            'spec.leaseTransitions',
            'must be greater than or equal to 0',
            String(transitions),
          ),
        );
      }
      return errors;
    },
    table: {
      columns: [
        NAME_COLUMN,
        {
          name: 'Holder',
          type: 'string',
          description: 'The holder of the lease',
          jsonPath: '.spec.holderIdentity',
        },
        AGE_COLUMN,
      ],
      cells: (o) => [o.metadata.name, pickString(o, 'spec', 'holderIdentity') ?? '', age(o)],
    },
  },
});
