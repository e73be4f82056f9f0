// Loads the wasm app without an inline script, so the page's CSP needs no
// 'unsafe-inline' and no per-build hash. Trunk fills the data-* attributes.
//
// index.html shows the title and "Loading the simulator…" (#boot) until the
// app has mounted; then it goes. If the glue or the wasm fails to load, #boot
// says so and what to try, instead of leaving a blank page.
const boot = document.getElementById('boot');

function showFailure(error) {
  if (!boot) return;
  const reason = error && error.message ? error.message : String(error);
  const line = boot.querySelector('.boot-line');
  if (line) line.remove();
  const box = document.createElement('div');
  box.className = 'boot-error';
  box.setAttribute('role', 'alert');
  const head = document.createElement('p');
  const strong = document.createElement('strong');
  strong.textContent = 'The simulator could not start.';
  head.append(strong, ' Its WebAssembly file did not load (', reason, ').');
  const tryText = document.createElement('p');
  tryText.textContent = 'What to try:';
  const list = document.createElement('ul');
  for (const text of [
    'Reload the page: a dropped connection is the usual cause.',
    'Use a current Chrome, Edge, Firefox or Safari with JavaScript and WebAssembly on.',
    'If you host this page: serve the .wasm file from the same folder, as application/wasm.',
  ]) {
    const li = document.createElement('li');
    li.textContent = text;
    list.append(li);
  }
  box.append(head, tryText, list);
  boot.append(box);
  boot.classList.add('failed');
}

// Interview mode has a page of its own (interview.html): the playground's
// old interview links (?interview=ID&q=N, ?view=interview) go there.
const oldInterviewLink = /(^|[?&])(interview=|view=interview(&|$))/.test(location.search.slice(1));
// The HPA explorer too (hpa.html): old ?view=hpa links go there.
const oldHpaLink = /(^|[?&])view=hpa(&|$)/.test(location.search.slice(1));
const onOwnPage = /(interview|hpa)\.html$/.test(location.pathname);
const leaving = (oldInterviewLink || oldHpaLink) && !onOwnPage;
if (leaving && oldInterviewLink) {
  location.replace('interview.html' + location.search.replace(/([?&])view=interview(&|$)/, '$1').replace(/[?&]$/, ''));
} else if (leaving) {
  location.replace('hpa.html');
}

if (!leaving) try {
  if (typeof WebAssembly !== 'object') throw new Error('this browser has no WebAssembly');
  const el = document.getElementById('trunk-boot');
  const { default: init } = await import(el.dataset.js);
  const wasm = await init({ module_or_path: el.dataset.wasm });
  // The app has mounted (init runs its main): the loading line goes.
  boot?.remove();
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
} catch (error) {
  showFailure(error);
}
