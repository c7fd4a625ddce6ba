// `metadata`: prints our metadata exactly as GET /saml/metadata serves it (signed, with validUntil), or writes it.

import { writeFile } from 'node:fs/promises';
import { publishedCerts, signingKeys } from '../saml/keys/key-ring.ts';
import { idpUrls, PublishedMetadata } from '../saml/metadata/published-metadata.ts';
import { type Command, pathArg, stringOption, wantsJson } from './command.ts';
import { describeCert } from './describe.ts';
import { cliConfig, cliKeyRing } from './idp-config.ts';
import { Exit, printJson } from './io.ts';

export const metadataCommand: Command = {
  name: 'metadata',
  usage: '[--unsigned] [--out FILE]',
  summary:
    'print our metadata as GET /saml/metadata serves it (BASE_URL, keys and settings from the environment)',
  options: { unsigned: { type: 'boolean' }, out: { type: 'string' } },
  positionals: [0, 0],
  async run(args, io) {
    const config = cliConfig(io);
    const ring = await cliKeyRing(config);
    const urls = idpUrls(config.server.baseUrl);
    const published = new PublishedMetadata(
      { ...urls, wantAuthnRequestsSigned: config.saml.wantAuthnRequestsSigned },
      ring,
      config.saml.metadataValidDays,
      () => io.now().getTime(),
    );
    const unsigned = args.values.unsigned === true;
    const xml = unsigned ? published.unsigned() : published.xml();
    const out = stringOption(args, 'out');
    if (out !== undefined) await writeFile(pathArg(io, out), xml);
    if (wantsJson(args)) {
      const validUntil = /\svalidUntil="([^"]+)"/.exec(xml)?.[1];
      printJson(io, {
        entityId: urls.entityId,
        signed: !unsigned,
        signedWith: unsigned ? undefined : signingKeys(ring) === ring.next ? 'next' : 'current',
        validUntil,
        certificates: publishedCerts(ring).map((c) => describeCert(c, 'signing', io.now())),
        ...(out === undefined ? { xml } : { file: pathArg(io, out) }),
      });
    } else if (out === undefined) {
      io.out(`${xml}\n`);
    } else {
      io.out(`wrote ${pathArg(io, out)}\n`);
    }
    return Exit.ok;
  },
};
