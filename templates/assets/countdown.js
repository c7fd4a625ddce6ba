// The code page's resend countdown; progressive enhancement only (the server refuses an early resend by itself).
(() => {
  const wait = document.getElementById('resend-wait');
  const button = document.getElementById('resend-button');
  const status = document.getElementById('resend-status');
  if (wait === null || button === null || status === null) return;
  const seconds = Number(wait.getAttribute('data-seconds'));
  if (!(seconds > 0)) return;
  const rules = new Intl.PluralRules(document.documentElement.lang);
  const one = wait.getAttribute('data-one') || '';
  const other = wait.getAttribute('data-other') || '';
  const deadline = Date.now() + seconds * 1000;

  // aria-disabled, not disabled: the button stays in the tab order and is announced, with the wait beside it.
  button.setAttribute('aria-disabled', 'true');
  button.addEventListener('click', (event) => {
    if (button.getAttribute('aria-disabled') === 'true') event.preventDefault();
  });

  const tick = () => {
    const left = Math.ceil((deadline - Date.now()) / 1000);
    if (left > 0) {
      wait.textContent = (rules.select(left) === 'one' ? one : other).replace('{count}', String(left));
      setTimeout(tick, ((deadline - Date.now()) % 1000) + 20);
      return;
    }
    wait.hidden = true;
    button.removeAttribute('aria-disabled');
    // A polite live region: read once, when the wait is over, not every second.
    status.textContent = status.getAttribute('data-ready') || '';
  };
  tick();
})();
