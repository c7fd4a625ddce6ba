// Why a request was refused: the error page shows a reference id, and the IdP logs the refusal under that id
// (`request refused` with the error's name, its reason and detail). Tests read both to tell one refusal from another.

import assert from 'node:assert/strict';

/** One `request refused` log line. */
export interface LoggedRefusal {
  readonly error: string;
  readonly reason: string | undefined;
  readonly detail: string;
}

/** The IdP's JSON log lines, for buildTestIdp's `logStream`. */
export class LogLines {
  readonly lines: Record<string, unknown>[] = [];
  readonly stream = {
    write: (chunk: string): void => {
      for (const line of chunk.split('\n')) if (line !== '') this.lines.push(JSON.parse(line));
    },
  };

  /** The refusal logged for the error page `html`, found by the page's reference id; fails when there is none. */
  refusalFor(html: string): LoggedRefusal {
    const reference = /class="reference">[^<]*?\b([0-9A-F]{10})\b/.exec(html)?.[1];
    assert.ok(reference !== undefined, `no reference id on the page: ${html.slice(0, 300)}`);
    const logged = this.lines.find((l) => l.reqId === reference && l.msg === 'request refused');
    assert.ok(logged !== undefined, `no refusal logged under the reference ${reference}`);
    return {
      error: String(logged.error),
      reason: logged.reason === undefined ? undefined : String(logged.reason),
      detail: String(logged.detail),
    };
  }

  /** Asserts the page was refused for `reason` (an UntrustedRequestError reason), with a detail matching `detail`. */
  assertRefused(html: string, reason: string, detail?: RegExp, what = ''): void {
    const refusal = this.refusalFor(html);
    assert.equal(refusal.reason, reason, `${what} (${refusal.error}: ${refusal.detail})`);
    if (detail !== undefined) assert.match(refusal.detail, detail, what);
  }
}
