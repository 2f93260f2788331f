import type { AccountPorts } from '../delegation/context.js';

/**
 * Ports that can only read: every RAM method that is not a `get*`, `list*` or `find*`, and STS
 * `AssumeRole`, throw before any request is made. `ram-delegation plan` plans with these, so that no
 * bug in planning could ever change a cloud account (the emulator's call counter proves it in tests).
 */
class WriteRefusedError extends Error {
  constructor(method: string) {
    super(`plan makes no cloud write: ${method} was refused`);
    this.name = 'WriteRefusedError';
  }
}

const READ = /^(get|list|find)/;

export function readOnlyPorts(ports: AccountPorts): AccountPorts {
  const ram = new Proxy(ports.ram, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || READ.test(property)) return value;
      return () => Promise.reject(new WriteRefusedError(`RAM ${property}`));
    },
  });
  return {
    ram,
    sts: {
      getCallerIdentity: () => ports.sts.getCallerIdentity(),
      assumeRole: () => Promise.reject(new WriteRefusedError('STS assumeRole')),
    },
  };
}
