/* Kaoping's service worker: the shell is cached, pages with data never are. */
"use strict";
var CACHE = "kaoping-shell-{{ version }}";
var OFFLINE = "{% url 'web:offline' %}";
var SHELL = [OFFLINE{% for url in shell %}, "{{ url|escapejs }}"{% endfor %}];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) {
        return caches.delete(k);
      }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  if (request.mode === "navigate") {
    // Pages always come from the network; without one, the offline page.
    event.respondWith(fetch(request).catch(function () { return caches.match(OFFLINE); }));
    return;
  }
  var url = new URL(request.url);
  if (url.origin === self.location.origin && SHELL.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
  }
});
