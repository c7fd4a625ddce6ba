// The Norwegian bokmål catalog.

import type { Messages } from './en.ts';

/** Norwegian bokmål. */
export const nb = {
  'layout.siteName': 'Identifisering',
  'layout.errorPrefix': 'Feil:',
  'layout.skipToContent': 'Gå til hovedinnholdet',
  'layout.cancel': 'Avbryt',
  'layout.continue': 'Fortsett',
  'layout.language': 'Språk',

  'choose.heading': 'Velg hvordan du vil identifisere deg',
  'choose.intro': '{sp} trenger å vite hvem du er.',
  'choose.netsSms': 'Engangskode på SMS',
  'choose.netsSmsDescription': 'Skriv inn navn og mobilnummer, så sender vi deg en kode på SMS.',
  'choose.otherMethod': 'Denne metoden er ikke tilgjengelig her.',
  'choose.required': 'Velg hvordan du vil identifisere deg',

  'identify.heading': 'Identifiser deg',
  'identify.headingConfirm': 'Bekreft opplysningene dine',
  'identify.intro': '{sp} trenger å vite hvem du er. Vi sender en engangskode til mobiltelefonen din.',
  'identify.givenName': 'Fornavn og mellomnavn',
  'identify.familyName': 'Etternavn',
  'identify.phone': 'Mobilnummer',
  'identify.phoneHint': 'Ta med landskoden, for eksempel +47 412 34 567',
  'identify.lockedName': 'Navn',
  'identify.lockedPhone': 'Mobilnummer',
  'identify.lockedHelp': 'Disse opplysningene kommer fra {sp} og kan ikke endres her.',
  'identify.wrongNumber': 'Feil nummer?',
  'identify.wrongNumberHelp': 'Hvis nummeret er feil, avbryt og ta kontakt med {sp}.',
  'identify.submit': 'Send kode',

  'verify.heading': 'Skriv inn koden',
  'verify.sentTo': 'Vi har sendt en 6-sifret kode til {phone}.',
  'verify.validFor': 'Koden er gyldig i {minutes} minutter.',
  'verify.codeLabel': 'Engangskode',
  'verify.codeHint': 'Koden består av 6 sifre.',
  'verify.attemptsLeft': { one: '{count} forsøk igjen.', other: '{count} forsøk igjen.' },
  'verify.submit': 'Bekreft',
  'verify.notReceived': 'Har du ikke fått koden?',
  'verify.resend': 'Send koden på nytt',
  'verify.resendWait': {
    one: 'Du kan be om koden på nytt om {count} sekund.',
    other: 'Du kan be om koden på nytt om {count} sekunder.',
  },
  'verify.changeNumber': 'Endre mobilnummer',
  'verify.noticeSent': 'Vi har sendt deg en kode på SMS.',
  'verify.noticeResent': 'Koden er sendt på nytt.',
  'verify.noticeNewCode': 'En ny kode er sendt.',

  'post.heading': 'Sender deg tilbake til {sp} …',
  'post.noScript': 'Hvis ingenting skjer, trykk på Fortsett.',

  'error.heading': 'Noe gikk galt',
  'error.reference': 'Referanse: {ref}',
  'error.badRequest': 'Vi forstod ikke forespørselen fra tjenesten. Gå tilbake til tjenesten og prøv igjen.',
  'error.tooLarge': 'Forespørselen fra tjenesten var for stor. Gå tilbake til tjenesten og prøv igjen.',
  'error.unknownSp':
    'Tjenesten som sendte deg hit, er ikke registrert hos oss, så vi kan ikke identifisere deg for den.',
  'error.expiredHeading': 'Innloggingen er utløpt',
  'error.expired': 'Innloggingen din er utløpt. Gå tilbake til tjenesten og start på nytt.',
  'error.finished':
    'Denne innloggingen er allerede fullført. Gå tilbake til tjenesten hvis du må logge inn på nytt.',
  'error.forbidden':
    'Vi kunne ikke bekrefte at forespørselen kom fra denne siden. Gå tilbake til tjenesten og start på nytt.',
  'error.unavailableHeading': 'Tjenesten er midlertidig utilgjengelig',
  'error.unavailable': 'Vi kan ikke fullføre innloggingen akkurat nå. Prøv igjen om litt.',
  'error.notFoundHeading': 'Fant ikke siden',
  'error.notFound': 'Siden du ba om, finnes ikke. Sjekk adressen, eller gå tilbake til tjenesten.',
  'error.generic': 'Det oppstod en uventet feil. Prøv igjen senere.',
  'error.backToService': 'Tilbake til tjenesten',

  'form.problemHeading': 'Noe må rettes',

  'givenName.required': 'Skriv inn fornavn og mellomnavn',
  'givenName.too-long': 'Fornavn og mellomnavn kan ikke være lengre enn 100 tegn',
  'givenName.invalid': 'Fornavn og mellomnavn inneholder tegn vi ikke kan godta',
  'familyName.required': 'Skriv inn etternavnet ditt',
  'familyName.too-long': 'Etternavnet kan ikke være lengre enn 100 tegn',
  'familyName.invalid': 'Etternavnet inneholder tegn vi ikke kan godta',
  'phone.required': 'Skriv inn mobilnummeret ditt',
  'phone.invalid': 'Skriv inn et gyldig mobilnummer med landskode, for eksempel +47 412 34 567',
  'phone.not-mobile': 'Dette er ikke et mobilnummer. Skriv inn et nummer som kan motta SMS',
  'phone.costly': 'Vi kan ikke sende koder til denne typen nummer. Skriv inn ditt personlige mobilnummer',
  'phone.country-not-allowed': 'Vi kan ikke sende koder til numre i dette landet',
  'code.required': 'Skriv inn koden',
  'code.format': 'Koden må bestå av 6 sifre',
  'code.wrong': {
    one: 'Koden er feil. Du har {count} forsøk igjen',
    other: 'Koden er feil. Du har {count} forsøk igjen',
  },
  'code.expired': 'Koden er utløpt. Be om en ny kode',

  'error.tooManySends':
    'Du har bedt om så mange koder som denne innloggingen tillater. Gå tilbake til tjenesten og start på nytt',
  'error.resendWait': {
    one: 'Vent {count} sekund før du ber om koden på nytt',
    other: 'Vent {count} sekunder før du ber om koden på nytt',
  },
  'error.phoneRate': 'Det er sendt for mange koder til dette nummeret. Prøv igjen senere',
  'error.ipRate': 'Det har kommet for mange forespørsler fra nettverket ditt. Prøv igjen senere',
  'error.globalRate': 'Vi sender svært mange koder akkurat nå. Prøv igjen om noen minutter',
  'error.phoneLocked': 'Dette nummeret er midlertidig sperret etter for mange feil koder. Prøv igjen senere',
  'error.busy': 'Vi holder allerede på å sende koden din. Vent litt og prøv igjen',
  'sms.temporary': 'Vi kunne ikke sende koden. Prøv igjen',
  'sms.permanent': 'Vi kunne ikke sende koden til dette nummeret. Sjekk at nummeret er riktig',

  'sms.body': {
    one: 'Engangskoden din er {code}. Den er gyldig i {count} minutt. Ikke del koden med noen.',
    other: 'Engangskoden din er {code}. Den er gyldig i {count} minutter. Ikke del koden med noen.',
  },
} satisfies Messages;
