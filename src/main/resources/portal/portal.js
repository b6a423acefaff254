// The portal's only script: copy buttons, confirmations, and ticking the scopes a scope needs.
document.addEventListener('DOMContentLoaded', () => {
  document.querySelectorAll('[data-copy]').forEach(button => button.addEventListener('click', async () => {
    const text = document.getElementById(button.dataset.copy).textContent;
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  }));
  document.querySelectorAll('form[data-confirm]').forEach(form => form.addEventListener('submit', event => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  }));
  document.querySelectorAll('form[data-deps]').forEach(form => {
    const deps = JSON.parse(form.dataset.deps);
    form.addEventListener('change', event => {
      const box = event.target;
      if (box.name !== 'scopes' || !box.checked) return;
      (deps[box.value] || []).forEach(scope => {
        const other = form.querySelector('input[name=scopes][value="' + CSS.escape(scope) + '"]');
        if (other) other.checked = true;
      });
    });
  });
});
