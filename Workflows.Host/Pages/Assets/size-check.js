// Checks the files' sizes in the browser before sending (the server checks again): a refused upload of 250 MB is
// minutes lost on a slow line. The limits come from the form's data attributes.
(function () {
  document.querySelectorAll('form[data-max-file]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      var input = form.querySelector('input[type=file]');
      var box = form.querySelector('[data-size-message]');
      if (!input || !input.files || !box) { return; }
      var maxFile = Number(form.getAttribute('data-max-file'));
      var maxTotal = Number(form.getAttribute('data-max-total'));
      var maxFiles = Number(form.getAttribute('data-max-files'));
      var total = 0;
      var problem = null;
      Array.prototype.forEach.call(input.files, function (file) {
        total += file.size;
        if (!problem && file.size > maxFile) { problem = 'Filen "' + file.name + '" er for stor (højst ' + Math.floor(maxFile / 1048576) + ' MB).'; }
      });
      if (!problem && input.files.length > maxFiles) { problem = 'Der kan højst vedhæftes ' + maxFiles + ' filer.'; }
      if (!problem && total > maxTotal) { problem = 'Filerne fylder tilsammen for meget (højst ' + Math.floor(maxTotal / 1048576) + ' MB).'; }
      if (problem) {
        event.preventDefault();
        box.textContent = problem + ' Vælg færre eller mindre filer.';
        box.hidden = false;
        input.focus();
      } else {
        box.hidden = true;
      }
    });
  });
})();
