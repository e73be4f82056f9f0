// Loads the wasm app without an inline script, so the page's CSP needs no
// 'unsafe-inline' and no per-build hash. Trunk fills the data-* attributes.
const el = document.getElementById('trunk-boot');
const { default: init } = await import(el.dataset.js);
const wasm = await init({ module_or_path: el.dataset.wasm });
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
