// The portal's only script: copy buttons, confirmations, and the scope chooser. Every form
// works without it: deletions then ask on a page of their own, and the server adds the scopes
// a scope needs.
document.addEventListener('DOMContentLoaded', () => {
  document.querySelectorAll('[data-copy]').forEach(button => button.addEventListener('click', async () => {
    const text = document.getElementById(button.dataset.copy).textContent;
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  }));

  // Confirmed in a dialog, the form says so; otherwise nothing is sent.
  document.querySelectorAll('form[data-confirm]').forEach(form => form.addEventListener('submit', event => {
    if (!window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (!form.querySelector('input[type=hidden][name=confirm]')) {
      const yes = document.createElement('input');
      Object.assign(yes, { type: 'hidden', name: 'confirm', value: 'yes' });
      form.append(yes);
    }
  }));

  document.querySelectorAll('form[data-deps]').forEach(scopeChooser);
});

// Ticking a scope ticks what it needs, and those stay ticked (saying why) while it is; All
// covers every other scope, shown ticked and fixed; the filter narrows the list.
function scopeChooser(form) {
  const deps = JSON.parse(form.dataset.deps);
  const boxes = [...form.querySelectorAll('input[name=scopes]')];
  const all = boxes.find(box => box.value === 'All');
  const others = boxes.filter(box => box !== all);
  // What the person ticked themselves; the rest is what those need.
  others.forEach(box => { box.dataset.own = box.checked ? 'yes' : ''; });

  function refresh() {
    const neededBy = new Map();
    others.filter(box => box.dataset.own).forEach(box =>
      (deps[box.value] || []).forEach(dep => { if (!neededBy.has(dep)) neededBy.set(dep, box.value); }));
    others.forEach(box => {
      const label = box.closest('label');
      let why = label.querySelector('.why');
      let reason = '';
      if (all && all.checked) {
        box.checked = true;
        reason = 'included in All';
      } else if (!box.dataset.own && neededBy.has(box.value)) {
        box.checked = true;
        reason = 'needed by ' + neededBy.get(box.value);
      } else {
        box.checked = Boolean(box.dataset.own);
      }
      box.disabled = Boolean(all && all.checked);
      box.setAttribute('aria-disabled', reason ? 'true' : 'false');
      if (reason && !why) {
        why = document.createElement('span');
        why.className = 'why';
        label.append(why);
      }
      if (why) why.textContent = reason ? ' (' + reason + ')' : '';
    });
  }

  form.addEventListener('click', event => {
    const box = event.target;
    if (box.name !== 'scopes' || box === all) return;
    if (!box.dataset.own && box.getAttribute('aria-disabled') === 'true') {
      event.preventDefault(); // ticked because another scope needs it: untick that one first
      return;
    }
  });
  form.addEventListener('change', event => {
    const box = event.target;
    if (box.name !== 'scopes') return;
    if (box !== all) box.dataset.own = box.checked ? 'yes' : '';
    refresh();
    // A refusal for choosing no scope no longer applies once one is chosen.
    const refused = form.querySelector('#scopes-error');
    if (refused && boxes.some(b => b.checked)) refused.hidden = true;
  });
  refresh();

  const filter = form.querySelector('input.filter');
  if (filter) filter.addEventListener('input', () => {
    const query = filter.value.trim().toLowerCase();
    form.querySelectorAll('fieldset.group').forEach(group => {
      let shown = 0;
      group.querySelectorAll('label').forEach(label => {
        const match = !query || label.textContent.toLowerCase().includes(query)
          || group.querySelector('legend').textContent.toLowerCase().includes(query);
        label.hidden = !match;
        if (match) shown++;
      });
      group.hidden = shown === 0;
    });
    const folded = form.querySelector('details.others');
    if (folded && query) folded.open = [...folded.querySelectorAll('fieldset.group')].some(group => !group.hidden);
  });
}
