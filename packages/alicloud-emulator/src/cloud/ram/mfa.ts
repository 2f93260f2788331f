/**
 * Virtual MFA devices, minimally: the emulator never binds one through the API (a real bind needs two
 * TOTP codes from a phone), but lists, reports and unbinds devices that the state holds, so that the
 * operator's cleanup path (unbind before DeleteUser) runs against real answers.
 */
import { entityNotExist } from '../errors.js';
import { isoSeconds } from '../ids.js';
import type { User } from '../model.js';
import { onAccount, onEntity, type ActionTable } from './action.js';
import { getUser } from './lookup.js';

function boundSerial(user: User): string {
  if (!user.mfaSerialNumber)
    throw entityNotExist('User.MFADevice', `The user has no MFA device bound: ${user.userName}.`);
  return user.mfaSerialNumber;
}

export const MFA_ACTIONS: ActionTable = {
  ListVirtualMFADevices: onAccount('ram:ListVirtualMFADevices', (ctx) => ({
    VirtualMFADevices: {
      VirtualMFADevice: [...ctx.account.users.values()]
        .filter((u) => u.mfaSerialNumber !== undefined)
        .map((u) => ({
          SerialNumber: u.mfaSerialNumber,
          ActivateDate: isoSeconds(u.updateDate),
          User: { UserId: u.userId, UserName: u.userName, DisplayName: u.displayName },
        })),
    },
  })),
  GetUserMFAInfo: onEntity('ram:GetUserMFAInfo', 'user', 'UserName', (ctx) => {
    const user = getUser(ctx.account, ctx.params.required('UserName'));
    return { MFADevice: { SerialNumber: boundSerial(user), Type: 'VMFA' } };
  }),
  UnbindMFADevice: onEntity('ram:UnbindMFADevice', 'user', 'UserName', (ctx) => {
    const user = getUser(ctx.account, ctx.params.required('UserName'));
    const serial = boundSerial(user);
    delete user.mfaSerialNumber;
    return { MFADevice: { SerialNumber: serial } };
  }),
};
