// Records every script error and console.error in the <html> element's data-errors attribute
// (one message per line), so that a headless browser's dumped DOM shows them.
(function () {
  var root = document.documentElement;
  function record(message) {
    var before = root.getAttribute('data-errors');
    root.setAttribute('data-errors', (before ? before + '\n' : '') + message);
  }
  window.addEventListener('error', function (e) {
    record('error: ' + (e.message || e.type) + (e.filename ? ' at ' + e.filename + ':' + e.lineno : ''));
  });
  window.addEventListener('unhandledrejection', function (e) {
    record('unhandled rejection: ' + e.reason);
  });
  var consoleError = console.error;
  console.error = function () {
    record('console.error: ' + Array.prototype.join.call(arguments, ' '));
    return consoleError.apply(console, arguments);
  };
})();
