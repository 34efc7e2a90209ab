// Quick answers on the assessment page. A click (or Space on a choice) saves the row at once;
// the arrow keys only move the choice (they would otherwise save every answer passed on the
// way), and Space or Enter then saves it. After saving, focus moves on to the next row, so a
// keyboard user answers a whole module without the mouse. "entbehrlich" without a
// justification opens the row's justification field first instead of sending a doomed answer.
(function () {
  'use strict';
  let arrowing = false;
  let pending = null;

  function rowOf(el) { return el.closest('tr.answer'); }

  function nextRow(tr) {
    let n = tr.nextElementSibling;
    while (n && !n.matches('tr.answer')) n = n.nextElementSibling;
    return n;
  }

  function focusChoice(tr) {
    const r = tr.querySelector('form.quick input[type=radio]:checked') || tr.querySelector('form.quick input[type=radio]');
    if (r) { r.focus(); return true; }
    return false;
  }

  function save(form) {
    const choice = form.querySelector('input[type=radio]:checked');
    const just = form.querySelector('.just');
    const field = just && just.querySelector('input[name=justification]');
    if (choice && choice.value === 'not_applicable' && field && !field.value.trim()) {
      just.hidden = false;
      field.focus();
      return;
    }
    const tr = rowOf(form);
    const next = tr && nextRow(tr);
    pending = tr ? { id: tr.id, next: next ? next.id : null } : null;
    form.requestSubmit();
  }

  document.addEventListener('keydown', function (e) {
    const t = e.target;
    if (!(t instanceof HTMLInputElement) || !t.form || !t.form.matches('form.quick')) return;
    if (t.type === 'radio') {
      if (e.key.startsWith('Arrow')) {
        arrowing = true;
        setTimeout(function () { arrowing = false; }, 0);
      } else if (e.key === 'Enter' || (e.key === ' ' && t.checked)) {
        e.preventDefault();
        save(t.form);
      }
    } else if (t.name === 'justification' && e.key === 'Enter') {
      e.preventDefault();
      save(t.form);
    }
  });

  document.addEventListener('change', function (e) {
    const t = e.target;
    if (!(t instanceof HTMLInputElement) || t.type !== 'radio' || !t.form || !t.form.matches('form.quick')) return;
    const just = t.form.querySelector('.just');
    if (just && t.value === 'not_applicable') just.hidden = false;
    if (arrowing) return;
    save(t.form);
  });

  function settle(tr) {
    if (!pending || tr.id !== pending.id) return;
    const p = pending;
    pending = null;
    // An error keeps the focus in the row, on what needs fixing.
    const invalid = tr.querySelector('[aria-invalid=true]');
    if (invalid) { invalid.focus(); return; }
    const next = p.next && document.getElementById(p.next);
    if (next && focusChoice(next)) return;
    const more = document.querySelector('nav.pager a[rel=next]');
    if (more) more.focus();
  }

  document.addEventListener('htmx:load', function (e) {
    const el = e.target;
    if (el instanceof Element && el.matches('tr.answer')) settle(el);
  });
})();
