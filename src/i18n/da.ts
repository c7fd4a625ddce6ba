// The Danish catalog.

import type { Messages } from './en.ts';

/** Danish. */
export const da = {
  'layout.siteName': 'Identifikation',
  'layout.errorPrefix': 'Fejl:',
  'layout.skipToContent': 'Gå til hovedindholdet',
  'layout.cancel': 'Annuller',
  'layout.continue': 'Fortsæt',
  'layout.language': 'Sprog',

  'choose.heading': 'Vælg hvordan du vil identificere dig',
  'choose.intro': '{sp} skal vide, hvem du er.',
  'choose.netsSms': 'Engangskode via sms',
  'choose.netsSmsDescription': 'Indtast dit navn og mobilnummer, så sender vi dig en kode via sms.',
  'choose.otherMethod': 'Denne metode er ikke tilgængelig her.',
  'choose.required': 'Vælg hvordan du vil identificere dig',

  'identify.heading': 'Identificer dig',
  'identify.headingConfirm': 'Bekræft dine oplysninger',
  'identify.intro': '{sp} skal vide, hvem du er. Vi sender en engangskode til din mobiltelefon.',
  'identify.givenName': 'Fornavn og mellemnavne',
  'identify.familyName': 'Efternavn',
  'identify.phone': 'Mobilnummer',
  'identify.phoneHint': 'Medtag landekoden, for eksempel +45 20 12 34 56',
  'identify.lockedName': 'Navn',
  'identify.lockedPhone': 'Mobilnummer',
  'identify.lockedHelp': 'Disse oplysninger kommer fra {sp} og kan ikke ændres her.',
  'identify.wrongNumber': 'Forkert nummer?',
  'identify.wrongNumberHelp': 'Hvis nummeret er forkert, så annuller og kontakt {sp}.',
  'identify.submit': 'Send kode',

  'verify.heading': 'Indtast koden',
  'verify.sentTo': 'Vi har sendt en 6-cifret kode til {phone}.',
  'verify.validFor': 'Koden er gyldig i {minutes} minutter.',
  'verify.codeLabel': 'Engangskode',
  'verify.codeHint': 'Koden består af 6 cifre.',
  'verify.attemptsLeft': { one: '{count} forsøg tilbage.', other: '{count} forsøg tilbage.' },
  'verify.submit': 'Bekræft',
  'verify.notReceived': 'Har du ikke modtaget koden?',
  'verify.resend': 'Send koden igen',
  'verify.resendWait': {
    one: 'Du kan bede om koden igen om {count} sekund.',
    other: 'Du kan bede om koden igen om {count} sekunder.',
  },
  'verify.changeNumber': 'Skift mobilnummer',
  'verify.noticeSent': 'Vi har sendt dig en kode via sms.',
  'verify.noticeResent': 'Koden er sendt igen.',
  'verify.noticeNewCode': 'En ny kode er sendt.',

  'post.heading': 'Du sendes tilbage til {sp} …',
  'post.noScript': 'Hvis der ikke sker noget, så tryk på Fortsæt.',

  'error.heading': 'Der opstod en fejl',
  'error.reference': 'Reference: {ref}',
  'error.badRequest':
    'Vi kunne ikke forstå anmodningen fra tjenesten. Gå tilbage til tjenesten, og prøv igen.',
  'error.tooLarge': 'Anmodningen fra tjenesten var for stor. Gå tilbage til tjenesten, og prøv igen.',
  'error.unknownSp':
    'Tjenesten, der sendte dig hertil, er ikke registreret hos os, så vi kan ikke identificere dig over for den.',
  'error.expiredHeading': 'Dit login er udløbet',
  'error.expired': 'Dit login er udløbet. Gå tilbage til tjenesten, og start forfra.',
  'error.finished':
    'Dette login er allerede afsluttet. Gå tilbage til tjenesten, hvis du skal logge ind igen.',
  'error.forbidden':
    'Vi kunne ikke bekræfte, at anmodningen kom fra denne side. Gå tilbage til tjenesten, og start forfra.',
  'error.unavailableHeading': 'Tjenesten er midlertidigt utilgængelig',
  'error.unavailable': 'Vi kan ikke gennemføre dit login lige nu. Prøv igen om lidt.',
  'error.notFoundHeading': 'Siden blev ikke fundet',
  'error.notFound': 'Siden, du bad om, findes ikke. Tjek adressen, eller gå tilbage til tjenesten.',
  'error.generic': 'Der opstod en uventet fejl. Prøv igen senere.',
  'error.backToService': 'Tilbage til tjenesten',

  'form.problemHeading': 'Der er noget, der skal rettes',

  'givenName.required': 'Indtast fornavn og mellemnavne',
  'givenName.too-long': 'Fornavn og mellemnavne må højst være 100 tegn',
  'givenName.invalid': 'Fornavn og mellemnavne indeholder tegn, vi ikke kan modtage',
  'familyName.required': 'Indtast dit efternavn',
  'familyName.too-long': 'Efternavnet må højst være 100 tegn',
  'familyName.invalid': 'Efternavnet indeholder tegn, vi ikke kan modtage',
  'phone.required': 'Indtast dit mobilnummer',
  'phone.invalid': 'Indtast et gyldigt mobilnummer med landekode, for eksempel +45 20 12 34 56',
  'phone.not-mobile': 'Dette er ikke et mobilnummer. Indtast et nummer, der kan modtage sms',
  'phone.costly': 'Vi kan ikke sende koder til denne type nummer. Indtast dit personlige mobilnummer',
  'phone.country-not-allowed': 'Vi kan ikke sende koder til numre i dette land',
  'code.required': 'Indtast koden',
  'code.format': 'Koden skal bestå af 6 cifre',
  'code.wrong': {
    one: 'Koden er forkert. Du har {count} forsøg tilbage',
    other: 'Koden er forkert. Du har {count} forsøg tilbage',
  },
  'code.expired': 'Koden er udløbet. Bed om en ny kode',

  'error.tooManySends':
    'Du har bedt om så mange koder, som dette login tillader. Gå tilbage til tjenesten, og start forfra',
  'error.resendWait': {
    one: 'Vent {count} sekund, før du beder om koden igen',
    other: 'Vent {count} sekunder, før du beder om koden igen',
  },
  'error.phoneRate': 'Der er sendt for mange koder til dette nummer. Prøv igen senere',
  'error.ipRate': 'Der er kommet for mange anmodninger fra dit netværk. Prøv igen senere',
  'error.globalRate': 'Vi sender rigtig mange koder lige nu. Prøv igen om et par minutter',
  'error.phoneLocked': 'Nummeret er midlertidigt spærret efter for mange forkerte koder. Prøv igen senere',
  'error.busy': 'Vi er allerede ved at sende din kode. Vent et øjeblik, og prøv igen',
  'sms.temporary': 'Vi kunne ikke sende koden. Prøv igen',
  'sms.permanent': 'Vi kunne ikke sende koden til dette nummer. Tjek, at nummeret er korrekt',

  'sms.body': {
    one: 'Din engangskode er {code}. Den er gyldig i {count} minut. Del ikke koden med andre.',
    other: 'Din engangskode er {code}. Den er gyldig i {count} minutter. Del ikke koden med andre.',
  },
} satisfies Messages;
