// The authentication events the IdP already logs (docs/security.md "Logs"), turned into metric updates.

import type { Metrics } from './metrics.ts';

type Fields = Readonly<Record<string, unknown>>;

const HANDLERS: Readonly<Record<string, (metrics: Metrics, fields: Fields) => void>> = {
  'login.started': (m, f) => m.loginStep(f.sp, 'started'),
  'login.identified': (m, f) => m.loginStep(f.sp, 'identify_submitted'),
  'otp.sent': (m, f) => m.loginStep(f.sp, 'code_sent'),
  'otp.resent': (m, f) => m.loginStep(f.sp, 'code_resent'),
  'otp.verified': (m, f) => m.loginStep(f.sp, 'code_verified'),
  'sms.receipt': (m, f) => m.smsReceipt(f.provider, f.state),
  'otp.failed': (m, f) => m.wrongCode(f.sp),
  'otp.refused': (m, f) => m.refused(f.reason),
  'login.refused': (m, f) => m.refused(f.reason),
  'oidc.client_auth.limited': (m, f) => m.refused(f.reason),
  'login.failed': (m, f) => m.loginFailed(f.sp, f.reason),
  'login.cancelled': (m, f) => m.loginStep(f.sp, 'cancelled'),
  'login.expired_return': (m, f) => m.loginStep(f.sp, 'expired'),
  'saml.response.issued': (m, f) => {
    m.loginStep(f.sp, f.sso === true ? 'sso_reused' : 'assertion_issued');
    m.samlResponse(f.sp, 'Success');
  },
  'saml.response.status': (m, f) => m.samlResponse(f.sp, f.status),
  'oidc.login.completed': (m, f) => m.loginStep(f.client, 'assertion_issued'),
  'oidc.grant.success': (m, f) => m.oidcGrant(f.client, 'success'),
  'oidc.grant.error': (m, f) => m.oidcGrant(f.client, f.error),
};

/** Updates the metrics an event stands for; events without a metric are ignored. */
export function recordEvent(metrics: Metrics, event: string, fields: Fields): void {
  HANDLERS[event]?.(metrics, fields);
}
