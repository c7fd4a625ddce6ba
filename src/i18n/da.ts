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
  'layout.serviceLabel': 'Logger ind på',
  'layout.cancelTo': 'Annuller og gå tilbage til {sp}',

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
  'identify.phoneHintExample':
    'For eksempel {phone}. Har du et nummer fra et andet land, så start med + og landekoden',
  'identify.noticeChangePhone':
    'Indtast det rigtige mobilnummer, så sender vi en ny kode. Koden, vi sendte før, virker ikke længere.',

  'verify.heading': 'Indtast koden',
  'verify.sentTo': 'Vi har sendt en 6-cifret kode til {phone}.',
  'verify.validFor': {
    one: 'Koden er gyldig i {count} minut.',
    other: 'Koden er gyldig i {count} minutter.',
  },
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
  'verify.deliveryFailed': 'Vi kunne ikke levere koden til {phone}. Tjek nummeret, eller bed om en ny kode.',
  'verify.noticeResent': 'Koden er sendt igen.',
  'verify.noticeNewCode': 'En ny kode er sendt.',
  'verify.resendReady': 'Du kan bede om koden igen nu.',
  'verify.noMoreSends':
    'Du kan ikke bede om flere koder til dette login. Hvis koden ikke kommer, så annuller og start forfra.',

  'post.heading': 'Du sendes tilbage til {sp} …',
  'post.noScript': 'Hvis der ikke sker noget, så tryk på Fortsæt.',

  'logout.confirmHeading': 'Log ud',
  'logout.confirmIntro': 'Du er logget ind på disse tjenester med din engangskode:',
  'logout.confirmSubmit': 'Log ud af dem alle',
  'logout.progressHeading': 'Logger dig ud …',
  'logout.progressIntro': 'Vi fortæller de tjenester, du har brugt, at du er logget ud.',
  'logout.statePending': 'logger ud',
  'logout.stateDone': 'logget ud',
  'logout.stateFailed': 'svarer ikke',
  'logout.doneHeading': 'Du er logget ud',
  'logout.done': 'Du er logget ud af identifikationstjenesten.',
  'logout.partialHeading': 'Du er måske stadig logget ind på nogle tjenester',
  'logout.partial': 'Disse tjenester bekræftede ikke, at du blev logget ud:',
  'logout.closeBrowser': 'Luk din browser for at være sikker på, at alle sessioner afsluttes.',
  'logout.returning': 'Sender dig tilbage til {sp} …',

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
  'error.flowCookie':
    'Dette login blev startet i en anden browser eller et andet vindue, eller din browser gemmer ikke cookies til det. Gå tilbage til tjenesten, og start forfra.',
  'error.unavailableHeading': 'Tjenesten er midlertidigt utilgængelig',
  'error.unavailable': 'Vi kan ikke gennemføre dit login lige nu. Prøv igen om lidt.',
  'error.notFoundHeading': 'Siden blev ikke fundet',
  'error.notFound': 'Siden, du bad om, findes ikke. Tjek adressen, eller gå tilbage til tjenesten.',
  'error.generic': 'Der opstod en uventet fejl. Prøv igen senere.',
  'error.backToService': 'Tilbage til tjenesten',
  'error.finishedHeading': 'Dette login er afsluttet',
  'error.expiredExplained': {
    one: 'Af sikkerhedshensyn skal et login gennemføres inden for {count} minut. Der er ikke sendt noget til {sp}.',
    other:
      'Af sikkerhedshensyn skal et login gennemføres inden for {count} minutter. Der er ikke sendt noget til {sp}.',
  },
  'error.backTo': 'Tilbage til {sp}',
  'error.backToHelp':
    'Tryk på knappen for at fortælle {sp}, at login ikke blev gennemført. Så kan du starte forfra der.',
  'error.goTo': 'Gå til {sp}',

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
  'code.waitSeconds': {
    one: 'For mange forkerte koder til dette nummer. Vent {count} sekund, før du prøver igen',
    other: 'For mange forkerte koder til dette nummer. Vent {count} sekunder, før du prøver igen',
  },
  'code.waitMinutes': {
    one: 'For mange forkerte koder til dette nummer. Vent {count} minut, før du prøver igen',
    other: 'For mange forkerte koder til dette nummer. Vent {count} minutter, før du prøver igen',
  },
  'code.busy': 'Vi er allerede ved at kontrollere en kode til dette nummer. Vent et øjeblik, og prøv igen',

  'error.tooManySends':
    'Du har bedt om så mange koder, som dette login tillader. Gå tilbage til tjenesten, og start forfra',
  'error.resendWait': {
    one: 'Vent {count} sekund, før du beder om koden igen',
    other: 'Vent {count} sekunder, før du beder om koden igen',
  },
  'error.phoneRate': {
    one: 'Der er sendt for mange koder til dette nummer. Prøv igen om {count} minut',
    other: 'Der er sendt for mange koder til dette nummer. Prøv igen om {count} minutter',
  },
  'error.phoneDayRate': {
    one: 'Der er sendt for mange koder til dette nummer i dag. Prøv igen om {count} time',
    other: 'Der er sendt for mange koder til dette nummer i dag. Prøv igen om {count} timer',
  },
  'error.tooManyLogins': {
    one: 'For mange logins er startet fra dit netværk. Prøv igen om {count} minut',
    other: 'For mange logins er startet fra dit netværk. Prøv igen om {count} minutter',
  },
  'error.ipRate': {
    one: 'Der er bedt om for mange koder fra dit netværk. Prøv igen om {count} minut',
    other: 'Der er bedt om for mange koder fra dit netværk. Prøv igen om {count} minutter',
  },
  'error.prefixRate': {
    one: 'Der er sendt for mange koder til numre, der ligner dette. Prøv igen om {count} minut',
    other: 'Der er sendt for mange koder til numre, der ligner dette. Prøv igen om {count} minutter',
  },
  'error.globalRate': {
    one: 'Vi sender rigtig mange koder lige nu. Prøv igen om {count} minut',
    other: 'Vi sender rigtig mange koder lige nu. Prøv igen om {count} minutter',
  },
  'error.phoneLocked': {
    one: 'Nummeret er spærret efter for mange forkerte koder. Prøv igen om {count} time',
    other: 'Nummeret er spærret efter for mange forkerte koder. Prøv igen om {count} timer',
  },
  'error.busy': 'Vi er allerede ved at sende din kode. Vent et øjeblik, og prøv igen',
  'sms.temporary': 'Vi kunne ikke sende koden. Prøv igen',
  'sms.permanent': 'Vi kunne ikke sende koden til dette nummer. Tjek, at nummeret er korrekt',

  'sms.body': {
    one: 'Din engangskode er {code}. Den er gyldig i {count} minut. Del ikke koden med andre.',
    other: 'Din engangskode er {code}. Den er gyldig i {count} minutter. Del ikke koden med andre.',
  },
} satisfies Messages;
