// The sidecar `<name>.json` of an SP (and the "settings" of a remote source): its fields, checked all at once.

import {
  asObject,
  field,
  type FileField,
  isBoolean,
  listOf,
  oneWord,
  optional,
  readFields,
  textMatching,
} from '../../config/file-fields.ts';
import { DEFAULT_SP_SETTINGS, type SpSettings } from './sp-metadata.ts';

const ENCRYPTION_ALGORITHMS = ['aes256-gcm', 'aes128-gcm', 'aes256-cbc', 'aes128-cbc'] as const;
const RELEASABLE = ['PHONE_NUMBER', 'SURNAME', 'GIVENNAME', 'FULLNAME', 'PID', 'IDPROVIDER'];

/** Each sidecar key, its check and its default (docs/saml-sp-admins.md). */
const SIDECAR_FIELDS = {
  eids: field(
    listOf(
      (e) => /^[a-z0-9_:-]{1,64}$/i.test(e),
      '"eids" must be a non-empty list of eID names such as "nets_sms"',
      true,
    ),
    DEFAULT_SP_SETTINGS.eids,
  ),
  defaultLocale: optional(
    textMatching(
      (locale) => /^[a-z]{2}([_-][A-Za-z]{2})?$/.test(locale),
      '"defaultLocale" must be a locale such as "nb" or "en_GB"',
    ),
  ),
  encryptAssertions: optional(isBoolean),
  encryptionAlgorithm: optional(
    oneWord(
      ENCRYPTION_ALGORITHMS,
      `"encryptionAlgorithm" must be one of ${ENCRYPTION_ALGORITHMS.join(', ')}`,
    ),
  ),
  idpInitiated: optional(isBoolean),
  signingKey: optional(oneWord(['current', 'next'], '"signingKey" must be "current" or "next"')),
  attributes: optional(
    listOf(
      (name) => RELEASABLE.includes(name),
      `"attributes" must be a list of attribute names from ${RELEASABLE.join(', ')}`,
    ),
  ),
} satisfies { readonly [Key in keyof SpSettings]-?: FileField<SpSettings[Key]> };

/** Sidecar settings from a JSON object: the settings, or every problem with them. */
export function readSpSettings(value: unknown): { settings: SpSettings; problems: string[] } {
  const object = asObject(value);
  if (object === undefined)
    return { settings: DEFAULT_SP_SETTINGS, problems: ['the settings file must hold an object'] };
  const { values, problems } = readFields(
    object,
    SIDECAR_FIELDS,
    (key, known) => `unknown setting "${key}" (known: ${known})`,
  );
  return { settings: Object.freeze({ ...values }), problems };
}

/** Reads a sidecar settings file's JSON text; throws an Error naming every problem. */
export function parseSpSettings(json: string): SpSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('the settings file is not valid JSON');
  }
  const { settings, problems } = readSpSettings(raw);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return settings;
}
