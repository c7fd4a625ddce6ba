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

  'verify.heading': 'Anna koodi',
  'verify.sentTo': 'Lähetimme 6-numeroisen koodin numeroon {phone}.',
  'verify.validFor': 'Koodi on voimassa {minutes} minuuttia.',
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
  'verify.noticeResent': 'Koodi lähetettiin uudelleen.',
  'verify.noticeNewCode': 'Uusi koodi lähetettiin.',

  'post.heading': 'Sinut ohjataan takaisin palveluun {sp}…',
  'post.noScript': 'Jos mitään ei tapahdu, valitse Jatka.',

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
  'error.unavailableHeading': 'Palvelu ei ole tilapäisesti käytettävissä',
  'error.unavailable': 'Emme voi viedä kirjautumista loppuun juuri nyt. Yritä hetken kuluttua uudelleen.',
  'error.notFoundHeading': 'Sivua ei löytynyt',
  'error.notFound': 'Pyytämääsi sivua ei ole olemassa. Tarkista osoite tai palaa palveluun.',
  'error.generic': 'Tapahtui odottamaton virhe. Yritä myöhemmin uudelleen.',
  'error.backToService': 'Takaisin palveluun',

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

  'error.tooManySends':
    'Olet pyytänyt niin monta koodia kuin tähän kirjautumiseen voi saada. Palaa palveluun ja aloita alusta',
  'error.resendWait': {
    one: 'Odota {count} sekunti ennen kuin pyydät koodia uudelleen',
    other: 'Odota {count} sekuntia ennen kuin pyydät koodia uudelleen',
  },
  'error.phoneRate': 'Tähän numeroon on lähetetty liian monta koodia. Yritä myöhemmin uudelleen',
  'error.ipRate': 'Verkostasi on tullut liian monta pyyntöä. Yritä myöhemmin uudelleen',
  'error.globalRate': 'Lähetämme juuri nyt hyvin paljon koodeja. Yritä uudelleen muutaman minuutin kuluttua',
  'error.phoneLocked':
    'Numero on tilapäisesti lukittu liian monen väärän koodin vuoksi. Yritä myöhemmin uudelleen',
  'error.busy': 'Koodiasi lähetetään jo. Odota hetki ja yritä uudelleen',
  'sms.temporary': 'Emme voineet lähettää koodia. Yritä uudelleen',
  'sms.permanent': 'Emme voineet lähettää koodia tähän numeroon. Tarkista, että numero on oikein',

  'sms.body': {
    one: 'Kertakoodisi on {code}. Se on voimassa {count} minuutin. Älä kerro koodia kenellekään.',
    other: 'Kertakoodisi on {code}. Se on voimassa {count} minuuttia. Älä kerro koodia kenellekään.',
  },
} satisfies Messages;
