// The Finnish catalog. The service name stands after the word "palvelu" so it never needs to be inflected.

import type { Messages } from './en.ts';

/** Finnish. */
export const fi = {
  'layout.siteName': 'Tunnistautuminen',
  'layout.errorPrefix': 'Virhe:',
  'layout.skipToContent': 'Siirry pääsisältöön',
  'layout.cancel': 'Peruuta',
  'layout.continue': 'Jatka',
  'layout.language': 'Kieli',
  'layout.serviceLabel': 'Kirjautuminen palveluun',
  'layout.cancelTo': 'Peruuta ja palaa palveluun {sp}',

  'choose.heading': 'Valitse tunnistautumistapa',
  'choose.intro': 'Palvelu {sp} tarvitsee tiedon siitä, kuka olet.',
  'choose.netsSms': 'Kertakoodi tekstiviestillä',
  'choose.netsSmsDescription':
    'Anna nimesi ja matkapuhelinnumerosi, niin lähetämme sinulle koodin tekstiviestillä.',
  'choose.otherMethod': 'Tämä tunnistautumistapa ei ole käytettävissä täällä.',
  'choose.required': 'Valitse tunnistautumistapa',

  'identify.heading': 'Tunnistaudu',
  'identify.headingConfirm': 'Vahvista tietosi',
  'identify.intro': 'Palvelu {sp} tarvitsee tiedon siitä, kuka olet. Lähetämme kertakoodin matkapuhelimeesi.',
  'identify.givenName': 'Etunimet',
  'identify.familyName': 'Sukunimi',
  'identify.phone': 'Matkapuhelinnumero',
  'identify.phoneHint': 'Anna numero maatunnuksen kanssa, esimerkiksi +358 40 123 4567',
  'identify.lockedName': 'Nimi',
  'identify.lockedPhone': 'Matkapuhelinnumero',
  'identify.lockedHelp': 'Nämä tiedot tulevat palvelulta {sp}, eikä niitä voi muuttaa täällä.',
  'identify.wrongNumber': 'Väärä numero?',
  'identify.wrongNumberHelp': 'Jos numero on väärä, peruuta ja ota yhteyttä palveluun {sp}.',
  'identify.submit': 'Lähetä koodi',
  'identify.phoneHintExample':
    'Esimerkiksi {phone}. Jos numerosi on toisesta maasta, aloita merkillä + ja maatunnuksella',
  'identify.noticeChangePhone':
    'Anna oikea matkapuhelinnumero, niin lähetämme uuden koodin. Aiemmin lähetetty koodi ei enää toimi.',

  'verify.heading': 'Anna koodi',
  'verify.sentTo': 'Lähetimme 6-numeroisen koodin numeroon {phone}.',
  'verify.validFor': {
    one: 'Koodi on voimassa {count} minuutin.',
    other: 'Koodi on voimassa {count} minuuttia.',
  },
  'verify.codeLabel': 'Kertakoodi',
  'verify.codeHint': 'Koodissa on 6 numeroa.',
  'verify.attemptsLeft': { one: '{count} yritys jäljellä.', other: '{count} yritystä jäljellä.' },
  'verify.submit': 'Vahvista',
  'verify.notReceived': 'Etkö saanut koodia?',
  'verify.resend': 'Lähetä koodi uudelleen',
  'verify.resendWait': {
    one: 'Voit pyytää koodia uudelleen {count} sekunnin kuluttua.',
    other: 'Voit pyytää koodia uudelleen {count} sekunnin kuluttua.',
  },
  'verify.changeNumber': 'Vaihda matkapuhelinnumero',
  'verify.noticeSent': 'Lähetimme sinulle koodin tekstiviestillä.',
  'verify.deliveryFailed':
    'Emme saaneet koodia perille numeroon {phone}. Tarkista numero tai pyydä uusi koodi.',
  'verify.noticeResent': 'Koodi lähetettiin uudelleen.',
  'verify.noticeNewCode': 'Uusi koodi lähetettiin.',
  'verify.resendReady': 'Voit nyt pyytää koodin uudelleen.',
  'verify.noMoreSends':
    'Et voi pyytää enempää koodeja tähän kirjautumiseen. Jos koodi ei tule, peruuta ja aloita alusta.',

  'post.heading': 'Sinut ohjataan takaisin palveluun {sp}…',
  'post.noScript': 'Jos mitään ei tapahdu, valitse Jatka.',

  'logout.confirmHeading': 'Kirjaudu ulos',
  'logout.confirmIntro': 'Olet kirjautunut näihin palveluihin kertakoodillasi:',
  'logout.confirmSubmit': 'Kirjaudu ulos kaikista',
  'logout.progressHeading': 'Kirjaudutaan ulos …',
  'logout.progressIntro': 'Kerromme käyttämillesi palveluille, että olet kirjautunut ulos.',
  'logout.statePending': 'kirjaudutaan ulos',
  'logout.stateDone': 'kirjauduttu ulos',
  'logout.stateFailed': 'ei vastausta',
  'logout.doneHeading': 'Olet kirjautunut ulos',
  'logout.done': 'Olet kirjautunut ulos tunnistuspalvelusta.',
  'logout.partialHeading': 'Saatat olla yhä kirjautuneena joihinkin palveluihin',
  'logout.partial': 'Nämä palvelut eivät vahvistaneet uloskirjautumista:',
  'logout.closeBrowser': 'Sulje selain, jotta kaikki istunnot varmasti päättyvät.',
  'logout.returning': 'Palataan palveluun {sp} …',

  'error.heading': 'Jokin meni vikaan',
  'error.reference': 'Viitetunnus: {ref}',
  'error.badRequest': 'Emme ymmärtäneet palvelun lähettämää pyyntöä. Palaa palveluun ja yritä uudelleen.',
  'error.tooLarge': 'Palvelun lähettämä pyyntö oli liian suuri. Palaa palveluun ja yritä uudelleen.',
  'error.unknownSp':
    'Palvelu, josta tulit, ei ole rekisteröitynyt meille, joten emme voi tunnistaa sinua sitä varten.',
  'error.expiredHeading': 'Kirjautuminen on vanhentunut',
  'error.expired': 'Kirjautumisesi on vanhentunut. Palaa palveluun ja aloita alusta.',
  'error.finished':
    'Tämä kirjautuminen on jo päättynyt. Palaa palveluun, jos sinun täytyy kirjautua uudelleen.',
  'error.forbidden':
    'Emme voineet varmistaa, että pyyntö tuli tältä sivulta. Palaa palveluun ja aloita alusta.',
  'error.flowCookie':
    'Tämä kirjautuminen aloitettiin toisessa selaimessa tai ikkunassa, tai selaimesi ei tallenna evästeitä sille. Palaa palveluun ja aloita alusta.',
  'error.unavailableHeading': 'Palvelu ei ole tilapäisesti käytettävissä',
  'error.unavailable': 'Emme voi viedä kirjautumista loppuun juuri nyt. Yritä hetken kuluttua uudelleen.',
  'error.notFoundHeading': 'Sivua ei löytynyt',
  'error.notFound': 'Pyytämääsi sivua ei ole olemassa. Tarkista osoite tai palaa palveluun.',
  'error.generic': 'Tapahtui odottamaton virhe. Yritä myöhemmin uudelleen.',
  'error.backToService': 'Takaisin palveluun',
  'error.finishedHeading': 'Kirjautuminen on päättynyt',
  'error.expiredExplained': {
    one: 'Turvallisuussyistä kirjautuminen on tehtävä {count} minuutin kuluessa. Palveluun {sp} ei ole lähetetty mitään.',
    other:
      'Turvallisuussyistä kirjautuminen on tehtävä {count} minuutin kuluessa. Palveluun {sp} ei ole lähetetty mitään.',
  },
  'error.backTo': 'Takaisin palveluun {sp}',
  'error.backToHelp':
    'Paina painiketta, niin kerromme palvelulle {sp}, että kirjautuminen jäi kesken. Voit sitten aloittaa alusta siellä.',
  'error.goTo': 'Siirry palveluun {sp}',

  'form.problemHeading': 'Tiedoissa on korjattavaa',

  'givenName.required': 'Anna etunimesi',
  'givenName.too-long': 'Etunimissä voi olla enintään 100 merkkiä',
  'givenName.invalid': 'Etunimissä on merkkejä, joita emme voi hyväksyä',
  'familyName.required': 'Anna sukunimesi',
  'familyName.too-long': 'Sukunimessä voi olla enintään 100 merkkiä',
  'familyName.invalid': 'Sukunimessä on merkkejä, joita emme voi hyväksyä',
  'phone.required': 'Anna matkapuhelinnumerosi',
  'phone.invalid': 'Anna kelvollinen matkapuhelinnumero maatunnuksen kanssa, esimerkiksi +358 40 123 4567',
  'phone.not-mobile': 'Tämä ei ole matkapuhelinnumero. Anna numero, johon voi lähettää tekstiviestejä',
  'phone.costly': 'Emme voi lähettää koodeja tämäntyyppiseen numeroon. Anna oma matkapuhelinnumerosi',
  'phone.country-not-allowed': 'Emme voi lähettää koodeja tämän maan numeroihin',
  'code.required': 'Anna koodi',
  'code.format': 'Koodissa on oltava 6 numeroa',
  'code.wrong': {
    one: 'Koodi on väärä. Sinulla on {count} yritys jäljellä',
    other: 'Koodi on väärä. Sinulla on {count} yritystä jäljellä',
  },
  'code.expired': 'Koodi on vanhentunut. Pyydä uusi koodi',
  'code.waitSeconds': {
    one: 'Liian monta väärää koodia tälle numerolle. Odota {count} sekunti ennen kuin yrität uudelleen',
    other: 'Liian monta väärää koodia tälle numerolle. Odota {count} sekuntia ennen kuin yrität uudelleen',
  },
  'code.waitMinutes': {
    one: 'Liian monta väärää koodia tälle numerolle. Odota {count} minuutti ennen kuin yrität uudelleen',
    other: 'Liian monta väärää koodia tälle numerolle. Odota {count} minuuttia ennen kuin yrität uudelleen',
  },
  'code.busy': 'Tämän numeron koodia tarkistetaan jo. Odota hetki ja yritä uudelleen',

  'error.tooManySends':
    'Olet pyytänyt niin monta koodia kuin tähän kirjautumiseen voi saada. Palaa palveluun ja aloita alusta',
  'error.resendWait': {
    one: 'Odota {count} sekunti ennen kuin pyydät koodia uudelleen',
    other: 'Odota {count} sekuntia ennen kuin pyydät koodia uudelleen',
  },
  'error.phoneRate': {
    one: 'Tähän numeroon on lähetetty liian monta koodia. Yritä uudelleen {count} minuutin kuluttua',
    other: 'Tähän numeroon on lähetetty liian monta koodia. Yritä uudelleen {count} minuutin kuluttua',
  },
  'error.phoneDayRate': {
    one: 'Tähän numeroon on lähetetty tänään liian monta koodia. Yritä uudelleen {count} tunnin kuluttua',
    other: 'Tähän numeroon on lähetetty tänään liian monta koodia. Yritä uudelleen {count} tunnin kuluttua',
  },
  'error.tooManyLogins': {
    one: 'Verkostasi on aloitettu liian monta kirjautumista. Yritä uudelleen {count} minuutin kuluttua',
    other: 'Verkostasi on aloitettu liian monta kirjautumista. Yritä uudelleen {count} minuutin kuluttua',
  },
  'error.ipRate': {
    one: 'Verkostasi on pyydetty liian monta koodia. Yritä uudelleen {count} minuutin kuluttua',
    other: 'Verkostasi on pyydetty liian monta koodia. Yritä uudelleen {count} minuutin kuluttua',
  },
  'error.prefixRate': {
    one: 'Tämänkaltaisiin numeroihin on lähetetty liian monta koodia. Yritä uudelleen {count} minuutin kuluttua',
    other:
      'Tämänkaltaisiin numeroihin on lähetetty liian monta koodia. Yritä uudelleen {count} minuutin kuluttua',
  },
  'error.globalRate': {
    one: 'Lähetämme juuri nyt hyvin paljon koodeja. Yritä uudelleen {count} minuutin kuluttua',
    other: 'Lähetämme juuri nyt hyvin paljon koodeja. Yritä uudelleen {count} minuutin kuluttua',
  },
  'error.phoneLocked': {
    one: 'Numero on lukittu liian monen väärän koodin vuoksi. Yritä uudelleen {count} tunnin kuluttua',
    other: 'Numero on lukittu liian monen väärän koodin vuoksi. Yritä uudelleen {count} tunnin kuluttua',
  },
  'error.busy': 'Koodiasi lähetetään jo. Odota hetki ja yritä uudelleen',
  'sms.temporary': 'Emme voineet lähettää koodia. Yritä uudelleen',
  'sms.permanent': 'Emme voineet lähettää koodia tähän numeroon. Tarkista, että numero on oikein',

  'sms.body': {
    one: 'Kertakoodisi on {code}. Se on voimassa {count} minuutin. Älä kerro koodia kenellekään.',
    other: 'Kertakoodisi on {code}. Se on voimassa {count} minuuttia. Älä kerro koodia kenellekään.',
  },
} satisfies Messages;
