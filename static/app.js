// htmx is configured by the htmx-config meta tag; this only reports failed requests.
document.addEventListener('htmx:responseError', function (event) {
  var region = document.getElementById('htmx-error');
  if (!region) {
    region = document.createElement('p');
    region.id = 'htmx-error';
    region.className = 'flash flash-error';
    region.setAttribute('role', 'alert');
    document.getElementById('content').prepend(region);
  }
  region.textContent = 'The request failed (' + event.detail.xhr.status + '). Reload the page and try again.';
});
