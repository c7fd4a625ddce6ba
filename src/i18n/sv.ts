// The Swedish catalog.

import type { Messages } from './en.ts';

/** Swedish. */
export const sv = {
  'layout.siteName': 'Identifiering',
  'layout.errorPrefix': 'Fel:',
  'layout.skipToContent': 'Hoppa till huvudinnehållet',
  'layout.cancel': 'Avbryt',
  'layout.continue': 'Fortsätt',
  'layout.language': 'Språk',
  'layout.serviceLabel': 'Loggar in på',
  'layout.cancelTo': 'Avbryt och gå tillbaka till {sp}',

  'choose.heading': 'Välj hur du vill identifiera dig',
  'choose.intro': '{sp} behöver veta vem du är.',
  'choose.netsSms': 'Engångskod via sms',
  'choose.netsSmsDescription': 'Ange ditt namn och mobilnummer, så skickar vi en kod till dig via sms.',
  'choose.otherMethod': 'Den här metoden är inte tillgänglig här.',
  'choose.required': 'Välj hur du vill identifiera dig',

  'identify.heading': 'Identifiera dig',
  'identify.headingConfirm': 'Bekräfta dina uppgifter',
  'identify.intro': '{sp} behöver veta vem du är. Vi skickar en engångskod till din mobiltelefon.',
  'identify.givenName': 'För- och mellannamn',
  'identify.familyName': 'Efternamn',
  'identify.phone': 'Mobilnummer',
  'identify.phoneHint': 'Ange landsnumret, till exempel +46 70 123 45 67',
  'identify.lockedName': 'Namn',
  'identify.lockedPhone': 'Mobilnummer',
  'identify.lockedHelp': 'De här uppgifterna kommer från {sp} och kan inte ändras här.',
  'identify.wrongNumber': 'Fel nummer?',
  'identify.wrongNumberHelp': 'Om numret är fel, avbryt och kontakta {sp}.',
  'identify.submit': 'Skicka kod',
  'identify.phoneHintExample':
    'Till exempel {phone}. Har du ett nummer från ett annat land, börja med + och landsnumret',
  'identify.noticeChangePhone':
    'Ange rätt mobilnummer så skickar vi en ny kod. Koden vi skickade tidigare fungerar inte längre.',

  'verify.heading': 'Ange koden',
  'verify.sentTo': 'Vi har skickat en sexsiffrig kod till {phone}.',
  'verify.validFor': {
    one: 'Koden gäller i {count} minut.',
    other: 'Koden gäller i {count} minuter.',
  },
  'verify.codeLabel': 'Engångskod',
  'verify.codeHint': 'Koden består av 6 siffror.',
  'verify.attemptsLeft': { one: '{count} försök kvar.', other: '{count} försök kvar.' },
  'verify.submit': 'Bekräfta',
  'verify.notReceived': 'Har du inte fått koden?',
  'verify.resend': 'Skicka koden igen',
  'verify.resendWait': {
    one: 'Du kan begära koden igen om {count} sekund.',
    other: 'Du kan begära koden igen om {count} sekunder.',
  },
  'verify.changeNumber': 'Ändra mobilnummer',
  'verify.noticeSent': 'Vi har skickat en kod till dig via sms.',
  'verify.deliveryFailed':
    'Vi kunde inte leverera koden till {phone}. Kontrollera numret eller be om en ny kod.',
  'verify.noticeResent': 'Koden har skickats igen.',
  'verify.noticeNewCode': 'En ny kod har skickats.',
  'verify.resendReady': 'Du kan begära koden igen nu.',
  'verify.noMoreSends':
    'Du kan inte begära fler koder för den här inloggningen. Om koden inte kommer, avbryt och börja om.',

  'post.heading': 'Du skickas tillbaka till {sp} …',
  'post.noScript': 'Om ingenting händer, tryck på Fortsätt.',

  'logout.confirmHeading': 'Logga ut',
  'logout.confirmIntro': 'Du är inloggad på de här tjänsterna med din engångskod:',
  'logout.confirmSubmit': 'Logga ut från alla',
  'logout.progressHeading': 'Loggar ut dig …',
  'logout.progressIntro': 'Vi meddelar tjänsterna du har använt att du har loggat ut.',
  'logout.statePending': 'loggar ut',
  'logout.stateDone': 'utloggad',
  'logout.stateFailed': 'svarar inte',
  'logout.doneHeading': 'Du är utloggad',
  'logout.done': 'Du är utloggad från identifieringstjänsten.',
  'logout.partialHeading': 'Du kan fortfarande vara inloggad på vissa tjänster',
  'logout.partial': 'De här tjänsterna bekräftade inte att du loggades ut:',
  'logout.closeBrowser': 'Stäng webbläsaren för att vara säker på att alla sessioner avslutas.',
  'logout.returning': 'Skickar dig tillbaka till {sp} …',

  'error.heading': 'Något gick fel',
  'error.reference': 'Referens: {ref}',
  'error.badRequest': 'Vi kunde inte tolka begäran från tjänsten. Gå tillbaka till tjänsten och försök igen.',
  'error.tooLarge': 'Begäran från tjänsten var för stor. Gå tillbaka till tjänsten och försök igen.',
  'error.unknownSp':
    'Tjänsten som skickade dig hit är inte registrerad hos oss, så vi kan inte identifiera dig för den.',
  'error.expiredHeading': 'Inloggningen har gått ut',
  'error.expired': 'Din inloggning har gått ut. Gå tillbaka till tjänsten och börja om.',
  'error.finished':
    'Den här inloggningen är redan avslutad. Gå tillbaka till tjänsten om du behöver logga in igen.',
  'error.forbidden':
    'Vi kunde inte bekräfta att begäran kom från den här sidan. Gå tillbaka till tjänsten och börja om.',
  'error.flowCookie':
    'Den här inloggningen startades i en annan webbläsare eller ett annat fönster, eller så sparar din webbläsare inte kakor för den. Gå tillbaka till tjänsten och börja om.',
  'error.unavailableHeading': 'Tjänsten är tillfälligt otillgänglig',
  'error.unavailable': 'Vi kan inte slutföra inloggningen just nu. Försök igen om en stund.',
  'error.notFoundHeading': 'Sidan hittades inte',
  'error.notFound': 'Sidan du efterfrågade finns inte. Kontrollera adressen eller gå tillbaka till tjänsten.',
  'error.generic': 'Ett oväntat fel inträffade. Försök igen senare.',
  'error.backToService': 'Tillbaka till tjänsten',
  'error.finishedHeading': 'Inloggningen är avslutad',
  'error.expiredExplained': {
    one: 'Av säkerhetsskäl måste en inloggning slutföras inom {count} minut. Ingenting har skickats till {sp}.',
    other:
      'Av säkerhetsskäl måste en inloggning slutföras inom {count} minuter. Ingenting har skickats till {sp}.',
  },
  'error.backTo': 'Tillbaka till {sp}',
  'error.backToHelp':
    'Tryck på knappen för att meddela {sp} att inloggningen inte slutfördes. Sedan kan du börja om där.',
  'error.goTo': 'Gå till {sp}',

  'form.problemHeading': 'Något behöver rättas',

  'givenName.required': 'Ange för- och mellannamn',
  'givenName.too-long': 'För- och mellannamn får vara högst 100 tecken',
  'givenName.invalid': 'För- och mellannamn innehåller tecken som vi inte kan ta emot',
  'familyName.required': 'Ange ditt efternamn',
  'familyName.too-long': 'Efternamnet får vara högst 100 tecken',
  'familyName.invalid': 'Efternamnet innehåller tecken som vi inte kan ta emot',
  'phone.required': 'Ange ditt mobilnummer',
  'phone.invalid': 'Ange ett giltigt mobilnummer med landsnummer, till exempel +46 70 123 45 67',
  'phone.not-mobile': 'Det här är inte ett mobilnummer. Ange ett nummer som kan ta emot sms',
  'phone.costly': 'Vi kan inte skicka koder till den här typen av nummer. Ange ditt personliga mobilnummer',
  'phone.country-not-allowed': 'Vi kan inte skicka koder till nummer i det här landet',
  'code.required': 'Ange koden',
  'code.format': 'Koden ska bestå av 6 siffror',
  'code.wrong': {
    one: 'Koden är fel. Du har {count} försök kvar',
    other: 'Koden är fel. Du har {count} försök kvar',
  },
  'code.expired': 'Koden har gått ut. Begär en ny kod',
  'code.waitSeconds': {
    one: 'För många felaktiga koder för det här numret. Vänta {count} sekund innan du försöker igen',
    other: 'För många felaktiga koder för det här numret. Vänta {count} sekunder innan du försöker igen',
  },
  'code.waitMinutes': {
    one: 'För många felaktiga koder för det här numret. Vänta {count} minut innan du försöker igen',
    other: 'För många felaktiga koder för det här numret. Vänta {count} minuter innan du försöker igen',
  },
  'code.busy': 'Vi kontrollerar redan en kod för det här numret. Vänta en stund och försök igen',

  'error.tooManySends':
    'Du har begärt så många koder som den här inloggningen tillåter. Gå tillbaka till tjänsten och börja om',
  'error.resendWait': {
    one: 'Vänta {count} sekund innan du begär koden igen',
    other: 'Vänta {count} sekunder innan du begär koden igen',
  },
  'error.phoneRate': {
    one: 'För många koder har skickats till det här numret. Försök igen om {count} minut',
    other: 'För många koder har skickats till det här numret. Försök igen om {count} minuter',
  },
  'error.phoneDayRate': {
    one: 'För många koder har skickats till det här numret i dag. Försök igen om {count} timme',
    other: 'För många koder har skickats till det här numret i dag. Försök igen om {count} timmar',
  },
  'error.tooManyLogins': {
    one: 'För många inloggningar har startats från ditt nätverk. Försök igen om {count} minut',
    other: 'För många inloggningar har startats från ditt nätverk. Försök igen om {count} minuter',
  },
  'error.ipRate': {
    one: 'För många koder har begärts från ditt nätverk. Försök igen om {count} minut',
    other: 'För många koder har begärts från ditt nätverk. Försök igen om {count} minuter',
  },
  'error.prefixRate': {
    one: 'För många koder har skickats till nummer som liknar det här. Försök igen om {count} minut',
    other: 'För många koder har skickats till nummer som liknar det här. Försök igen om {count} minuter',
  },
  'error.globalRate': {
    one: 'Vi skickar väldigt många koder just nu. Försök igen om {count} minut',
    other: 'Vi skickar väldigt många koder just nu. Försök igen om {count} minuter',
  },
  'error.phoneLocked': {
    one: 'Numret är spärrat efter för många felaktiga koder. Försök igen om {count} timme',
    other: 'Numret är spärrat efter för många felaktiga koder. Försök igen om {count} timmar',
  },
  'error.busy': 'Vi håller redan på att skicka din kod. Vänta en stund och försök igen',
  'sms.temporary': 'Vi kunde inte skicka koden. Försök igen',
  'sms.permanent': 'Vi kunde inte skicka koden till det här numret. Kontrollera att numret är rätt',

  'sms.body': {
    one: 'Din engångskod är {code}. Den gäller i {count} minut. Dela inte koden med någon.',
    other: 'Din engångskod är {code}. Den gäller i {count} minuter. Dela inte koden med någon.',
  },
} satisfies Messages;
