// The English catalog; it defines the message keys every other catalog must have (typed `satisfies Messages`).

/** A message chosen by `vars.count` with Intl.PluralRules (the five languages use only `one` and `other`). */
export interface Plural {
  readonly one: string;
  readonly other: string;
}

/** A string with `{name}` placeholders, or a plural pair. */
export type Message = string | Plural;

/** English, the reference catalog. Field and form errors follow GOV.UK style: no closing full stop. */
export const en = {
  'layout.siteName': 'Identification',
  'layout.errorPrefix': 'Error:',
  'layout.skipToContent': 'Skip to content',
  'layout.cancel': 'Cancel',
  'layout.continue': 'Continue',
  'layout.language': 'Language',
  'layout.serviceLabel': 'Logging in to',
  'layout.cancelTo': 'Cancel and go back to {sp}',

  'choose.heading': 'Choose how to identify yourself',
  'choose.intro': '{sp} needs to know who you are.',
  'choose.netsSms': 'One-time code by SMS',
  'choose.netsSmsDescription': 'Enter your name and mobile number, and we will send you a code by SMS.',
  'choose.otherMethod': 'This method is not available here.',
  'choose.required': 'Choose how you want to identify yourself',

  'identify.heading': 'Identify yourself',
  'identify.headingConfirm': 'Confirm your details',
  'identify.intro': '{sp} needs to know who you are. We will send a one-time code to your mobile phone.',
  'identify.givenName': 'First and middle names',
  'identify.familyName': 'Family name',
  'identify.phone': 'Mobile number',
  'identify.phoneHint': 'Include the country code, for example +47 412 34 567',
  'identify.lockedName': 'Name',
  'identify.lockedPhone': 'Mobile number',
  'identify.lockedHelp': 'These details come from {sp} and cannot be changed here.',
  'identify.wrongNumber': 'Wrong number?',
  'identify.wrongNumberHelp': 'If the number is wrong, cancel and contact {sp}.',
  'identify.submit': 'Send code',
  'identify.phoneHintExample':
    'For example {phone}. For a number from another country, start with + and the country code',
  'identify.noticeChangePhone':
    'Enter the right mobile number and we will send a new code. The code sent before no longer works.',

  'verify.heading': 'Enter the code',
  'verify.sentTo': 'We sent a 6-digit code to {phone}.',
  'verify.validFor': {
    one: 'The code is valid for {count} minute.',
    other: 'The code is valid for {count} minutes.',
  },
  'verify.codeLabel': 'One-time code',
  'verify.codeHint': 'The code is 6 digits.',
  'verify.attemptsLeft': { one: '{count} attempt left.', other: '{count} attempts left.' },
  'verify.submit': 'Confirm',
  'verify.notReceived': 'Did not get the code?',
  'verify.resend': 'Send the code again',
  'verify.resendWait': {
    one: 'You can ask for the code again in {count} second.',
    other: 'You can ask for the code again in {count} seconds.',
  },
  'verify.changeNumber': 'Change mobile number',
  'verify.noticeSent': 'We have sent you a code by SMS.',
  'verify.deliveryFailed':
    'We could not deliver the code to {phone}. Check the number or ask for a new code.',
  'verify.noticeResent': 'The code was sent again.',
  'verify.noticeNewCode': 'A new code was sent.',
  'verify.resendReady': 'You can ask for the code again now.',
  'verify.noMoreSends':
    'You cannot ask for more codes in this login. If the code does not arrive, cancel and start again.',

  'post.heading': 'Returning you to {sp}…',
  'post.noScript': 'If nothing happens, press Continue.',

  'logout.confirmHeading': 'Log out',
  'logout.confirmIntro': 'You are logged in to these services with your one-time code:',
  'logout.confirmSubmit': 'Log out of all of them',
  'logout.progressHeading': 'Logging you out…',
  'logout.progressIntro': 'We are telling the services you used that you have logged out.',
  'logout.statePending': 'logging out',
  'logout.stateDone': 'logged out',
  'logout.stateFailed': 'no answer',
  'logout.doneHeading': 'You are logged out',
  'logout.done': 'You are logged out of the identification service.',
  'logout.partialHeading': 'You may still be logged in to some services',
  'logout.partial': 'These services did not confirm that you were logged out:',
  'logout.closeBrowser': 'Close your browser to be sure that every session ends.',
  'logout.returning': 'Returning you to {sp}…',

  'error.heading': 'Something went wrong',
  'error.reference': 'Reference: {ref}',
  'error.badRequest':
    'We could not understand the request from the service. Go back to the service and try again.',
  'error.tooLarge': 'The request from the service was too large. Go back to the service and try again.',
  'error.unknownSp':
    'The service that sent you here is not registered with us, so we cannot identify you for it.',
  'error.expiredHeading': 'Your login has expired',
  'error.expired': 'Your login has expired. Go back to the service and start again.',
  'error.finished': 'This login is already finished. Go back to the service if you need to log in again.',
  'error.forbidden':
    'We could not confirm that this request came from this page. Go back to the service and start again.',
  'error.flowCookie':
    'This login was started in another browser or window, or your browser does not keep cookies for it. Go back to the service and start again.',
  'error.unavailableHeading': 'Service temporarily unavailable',
  'error.unavailable': 'We cannot complete your login right now. Please try again in a moment.',
  'error.notFoundHeading': 'Page not found',
  'error.notFound': 'The page you asked for does not exist. Check the address, or go back to the service.',
  'error.generic': 'An unexpected error occurred. Please try again later.',
  'error.backToService': 'Back to the service',
  'error.finishedHeading': 'This login is finished',
  'error.expiredExplained': {
    one: 'For your security, a login must be finished within {count} minute. Nothing has been sent to {sp}.',
    other:
      'For your security, a login must be finished within {count} minutes. Nothing has been sent to {sp}.',
  },
  'error.backTo': 'Back to {sp}',
  'error.backToHelp':
    'Press the button to tell {sp} that the login was not finished. You can then start again there.',
  'error.goTo': 'Go to {sp}',

  'form.problemHeading': 'There is a problem',

  'givenName.required': 'Enter your first and middle names',
  'givenName.too-long': 'First and middle names must be 100 characters or fewer',
  'givenName.invalid': 'First and middle names contain characters we cannot accept',
  'familyName.required': 'Enter your family name',
  'familyName.too-long': 'Family name must be 100 characters or fewer',
  'familyName.invalid': 'Family name contains characters we cannot accept',
  'phone.required': 'Enter your mobile number',
  'phone.invalid': 'Enter a valid mobile number with the country code, for example +47 412 34 567',
  'phone.not-mobile': 'This is not a mobile number. Enter a number that can receive SMS',
  'phone.costly': 'We cannot send codes to this type of number. Enter your personal mobile number',
  'phone.country-not-allowed': 'We cannot send codes to numbers in this country',
  'code.required': 'Enter the code',
  'code.format': 'The code must be 6 digits',
  'code.wrong': {
    one: 'The code is wrong. You have {count} attempt left',
    other: 'The code is wrong. You have {count} attempts left',
  },
  'code.expired': 'The code has expired. Ask for a new one',
  'code.waitSeconds': {
    one: 'Too many wrong codes for this number. Wait {count} second before you try again',
    other: 'Too many wrong codes for this number. Wait {count} seconds before you try again',
  },
  'code.waitMinutes': {
    one: 'Too many wrong codes for this number. Wait {count} minute before you try again',
    other: 'Too many wrong codes for this number. Wait {count} minutes before you try again',
  },
  'code.busy': 'We are already checking a code for this number. Wait a moment and try again',

  'error.tooManySends':
    'You have asked for as many codes as this login allows. Go back to the service and start again',
  'error.resendWait': {
    one: 'Wait {count} second before you ask for the code again',
    other: 'Wait {count} seconds before you ask for the code again',
  },
  'error.phoneRate': {
    one: 'Too many codes have been sent to this number. Try again in {count} minute',
    other: 'Too many codes have been sent to this number. Try again in {count} minutes',
  },
  'error.phoneDayRate': {
    one: 'Too many codes have been sent to this number today. Try again in {count} hour',
    other: 'Too many codes have been sent to this number today. Try again in {count} hours',
  },
  'error.tooManyLogins': {
    one: 'Too many logins have been started from your network. Try again in {count} minute',
    other: 'Too many logins have been started from your network. Try again in {count} minutes',
  },
  'error.ipRate': {
    one: 'Too many codes have been asked for from your network. Try again in {count} minute',
    other: 'Too many codes have been asked for from your network. Try again in {count} minutes',
  },
  'error.prefixRate': {
    one: 'Too many codes have been sent to numbers like this one. Try again in {count} minute',
    other: 'Too many codes have been sent to numbers like this one. Try again in {count} minutes',
  },
  'error.globalRate': {
    one: 'We are sending a very large number of codes right now. Try again in {count} minute',
    other: 'We are sending a very large number of codes right now. Try again in {count} minutes',
  },
  'error.phoneLocked': {
    one: 'This number is locked after too many wrong codes. Try again in {count} hour',
    other: 'This number is locked after too many wrong codes. Try again in {count} hours',
  },
  'error.busy': 'We are already sending your code. Wait a moment and try again',
  'sms.temporary': 'We could not send the code. Please try again',
  'sms.permanent': 'We could not send the code to this number. Check that the number is correct',

  'sms.body': {
    one: 'Your one-time code is {code}. It is valid for {count} minute. Do not share it with anyone.',
    other: 'Your one-time code is {code}. It is valid for {count} minutes. Do not share it with anyone.',
  },
} satisfies Record<string, Message>;

/** The shape every catalog has: en's keys, a string where en has a string, a plural where en has a plural. */
export type Messages = { readonly [K in keyof typeof en]: (typeof en)[K] extends string ? string : Plural };
