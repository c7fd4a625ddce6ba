// The attributes released about the person: names and values of docs/contract.md §4 and the seed.

import type { Identity } from '../../types.ts';

/** One released attribute; every one is sent with NameFormat basic and xsi:type xs:string. */
export interface ReleasedAttribute {
  readonly name: string;
  readonly value: string;
}

/** The eID name sent in IDPROVIDER. */
export const IDPROVIDER_NETS_SMS = 'nets_sms';

/** PHONE_NUMBER, SURNAME, GIVENNAME, FULLNAME (given + ' ' + family), PID (= phone, seed), IDPROVIDER. */
export function identityAttributes(identity: Identity): ReleasedAttribute[] {
  return [
    { name: 'PHONE_NUMBER', value: identity.phone },
    { name: 'SURNAME', value: identity.familyName },
    { name: 'GIVENNAME', value: identity.givenName },
    { name: 'FULLNAME', value: `${identity.givenName} ${identity.familyName}` },
    { name: 'PID', value: identity.phone },
    { name: 'IDPROVIDER', value: IDPROVIDER_NETS_SMS },
  ];
}
