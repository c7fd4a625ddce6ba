// The settings table: every setting the IdP reads, once, grouped by section (docs/settings.md is made from it).

import type { Setting, SettingTable } from './setting.ts';
import { LIMITS } from './settings/limits.ts';
import { LOGIN } from './settings/login.ts';
import { OIDC } from './settings/oidc.ts';
import { OPERATIONS } from './settings/operations.ts';
import { PAGES } from './settings/pages.ts';
import { SAML } from './settings/saml.ts';
import { SERVER } from './settings/server.ts';
import { SMS, SMS_GATEWAYS } from './settings/sms.ts';
import { REDIS_CONNECTION, STORE } from './settings/store.ts';

/** A section: its title in the docs, the variable prefixes it owns, and its settings. */
export interface Section {
  readonly title: string;
  /** An unknown variable with one of these prefixes is taken for a typo and stops the start. */
  readonly prefixes: readonly string[];
  /** Settings that become Config fields, by field name. */
  readonly fields: SettingTable;
  /** Settings read together by a named rule (rules.ts) rather than one by one. */
  readonly readByRule?: readonly Setting<unknown>[];
}

/** The sections by name, in the order the docs show them. */
export const TABLE = {
  server: { title: 'Server', prefixes: [], fields: SERVER },
  store: { title: 'Store', prefixes: ['REDIS_'], fields: STORE, readByRule: REDIS_CONNECTION },
  saml: { title: 'SAML', prefixes: ['SAML_', 'SLO_'], fields: SAML },
  login: { title: 'Login', prefixes: ['OTP_', 'SSO_'], fields: LOGIN },
  limits: { title: 'Limits', prefixes: [], fields: LIMITS },
  sms: { title: 'SMS', prefixes: ['SMS_'], fields: SMS, readByRule: SMS_GATEWAYS },
  pages: { title: 'Login pages', prefixes: ['IDP_'], fields: PAGES },
  oidc: { title: 'OpenID Connect', prefixes: ['OIDC_'], fields: OIDC },
  operations: { title: 'Operations', prefixes: ['SHUTDOWN_', 'METRICS_', 'AUDIT_'], fields: OPERATIONS },
} satisfies Record<string, Section>;

export const SECTIONS: readonly Section[] = Object.values(TABLE);

/** Every setting of a section, in table order. */
export function settingsOf(section: Section): readonly Setting<unknown>[] {
  return [...Object.values(section.fields), ...(section.readByRule ?? [])];
}

/** Every setting of the table. */
export const ALL_SETTINGS: readonly Setting<unknown>[] = SECTIONS.flatMap(settingsOf);
