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
  'layout.serviceLabel': 'Logger inn på',
  'layout.cancelTo': 'Avbryt og gå tilbake til {sp}',

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
  'identify.phoneHintExample':
    'For eksempel {phone}. Har du nummer fra et annet land, start med + og landskoden',
  'identify.noticeChangePhone':
    'Skriv inn riktig mobilnummer, så sender vi en ny kode. Koden vi sendte tidligere, virker ikke lenger.',

  'verify.heading': 'Skriv inn koden',
  'verify.sentTo': 'Vi har sendt en 6-sifret kode til {phone}.',
  'verify.validFor': {
    one: 'Koden er gyldig i {count} minutt.',
    other: 'Koden er gyldig i {count} minutter.',
  },
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
  'verify.deliveryFailed': 'Vi fikk ikke levert koden til {phone}. Sjekk nummeret eller be om en ny kode.',
  'verify.noticeResent': 'Koden er sendt på nytt.',
  'verify.noticeNewCode': 'En ny kode er sendt.',
  'verify.resendReady': 'Du kan be om koden på nytt nå.',
  'verify.noMoreSends':
    'Du kan ikke be om flere koder i denne innloggingen. Hvis koden ikke kommer, avbryt og start på nytt.',

  'post.heading': 'Sender deg tilbake til {sp} …',
  'post.noScript': 'Hvis ingenting skjer, trykk på Fortsett.',

  'logout.confirmHeading': 'Logg ut',
  'logout.confirmIntro': 'Du er logget inn på disse tjenestene med engangskoden din:',
  'logout.confirmSubmit': 'Logg ut av alle',
  'logout.progressHeading': 'Logger deg ut …',
  'logout.progressIntro': 'Vi gir beskjed til tjenestene du har brukt om at du har logget ut.',
  'logout.statePending': 'logger ut',
  'logout.stateDone': 'logget ut',
  'logout.stateFailed': 'svarer ikke',
  'logout.doneHeading': 'Du er logget ut',
  'logout.done': 'Du er logget ut av identifiseringstjenesten.',
  'logout.partialHeading': 'Du kan fortsatt være logget inn på noen tjenester',
  'logout.partial': 'Disse tjenestene bekreftet ikke at du ble logget ut:',
  'logout.closeBrowser': 'Lukk nettleseren for å være sikker på at alle økter avsluttes.',
  'logout.returning': 'Sender deg tilbake til {sp} …',

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
  'error.flowCookie':
    'Denne innloggingen ble startet i en annen nettleser eller et annet vindu, eller nettleseren din tar ikke vare på informasjonskapsler for den. Gå tilbake til tjenesten og start på nytt.',
  'error.unavailableHeading': 'Tjenesten er midlertidig utilgjengelig',
  'error.unavailable': 'Vi kan ikke fullføre innloggingen akkurat nå. Prøv igjen om litt.',
  'error.notFoundHeading': 'Fant ikke siden',
  'error.notFound': 'Siden du ba om, finnes ikke. Sjekk adressen, eller gå tilbake til tjenesten.',
  'error.generic': 'Det oppstod en uventet feil. Prøv igjen senere.',
  'error.backToService': 'Tilbake til tjenesten',
  'error.finishedHeading': 'Denne innloggingen er avsluttet',
  'error.expiredExplained': {
    one: 'Av sikkerhetshensyn må en innlogging fullføres innen {count} minutt. Ingenting er sendt til {sp}.',
    other:
      'Av sikkerhetshensyn må en innlogging fullføres innen {count} minutter. Ingenting er sendt til {sp}.',
  },
  'error.backTo': 'Tilbake til {sp}',
  'error.backToHelp':
    'Trykk på knappen for å fortelle {sp} at innloggingen ikke ble fullført. Da kan du starte på nytt der.',
  'error.goTo': 'Gå til {sp}',

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
  'code.waitSeconds': {
    one: 'For mange feil koder for dette nummeret. Vent {count} sekund før du prøver igjen',
    other: 'For mange feil koder for dette nummeret. Vent {count} sekunder før du prøver igjen',
  },
  'code.waitMinutes': {
    one: 'For mange feil koder for dette nummeret. Vent {count} minutt før du prøver igjen',
    other: 'For mange feil koder for dette nummeret. Vent {count} minutter før du prøver igjen',
  },
  'code.busy': 'Vi sjekker allerede en kode for dette nummeret. Vent litt og prøv igjen',

  'error.tooManySends':
    'Du har bedt om så mange koder som denne innloggingen tillater. Gå tilbake til tjenesten og start på nytt',
  'error.resendWait': {
    one: 'Vent {count} sekund før du ber om koden på nytt',
    other: 'Vent {count} sekunder før du ber om koden på nytt',
  },
  'error.phoneRate': {
    one: 'Det er sendt for mange koder til dette nummeret. Prøv igjen om {count} minutt',
    other: 'Det er sendt for mange koder til dette nummeret. Prøv igjen om {count} minutter',
  },
  'error.phoneDayRate': {
    one: 'Det er sendt for mange koder til dette nummeret i dag. Prøv igjen om {count} time',
    other: 'Det er sendt for mange koder til dette nummeret i dag. Prøv igjen om {count} timer',
  },
  'error.tooManyLogins': {
    one: 'For mange innlogginger er startet fra nettverket ditt. Prøv igjen om {count} minutt',
    other: 'For mange innlogginger er startet fra nettverket ditt. Prøv igjen om {count} minutter',
  },
  'error.ipRate': {
    one: 'Det er bedt om for mange koder fra nettverket ditt. Prøv igjen om {count} minutt',
    other: 'Det er bedt om for mange koder fra nettverket ditt. Prøv igjen om {count} minutter',
  },
  'error.prefixRate': {
    one: 'Det er sendt for mange koder til numre som ligner dette. Prøv igjen om {count} minutt',
    other: 'Det er sendt for mange koder til numre som ligner dette. Prøv igjen om {count} minutter',
  },
  'error.globalRate': {
    one: 'Vi sender svært mange koder akkurat nå. Prøv igjen om {count} minutt',
    other: 'Vi sender svært mange koder akkurat nå. Prøv igjen om {count} minutter',
  },
  'error.phoneLocked': {
    one: 'Dette nummeret er sperret etter for mange feil koder. Prøv igjen om {count} time',
    other: 'Dette nummeret er sperret etter for mange feil koder. Prøv igjen om {count} timer',
  },
  'error.busy': 'Vi holder allerede på å sende koden din. Vent litt og prøv igjen',
  'sms.temporary': 'Vi kunne ikke sende koden. Prøv igjen',
  'sms.permanent': 'Vi kunne ikke sende koden til dette nummeret. Sjekk at nummeret er riktig',

  'sms.body': {
    one: 'Engangskoden din er {code}. Den er gyldig i {count} minutt. Ikke del koden med noen.',
    other: 'Engangskoden din er {code}. Den er gyldig i {count} minutter. Ikke del koden med noen.',
  },
} satisfies Messages;
