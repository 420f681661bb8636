// cloudsim's all.js: the subset of Atlassian Connect's AP API this project uses, over postMessage.
(function () {
  "use strict";
  var pending = {};
  var seq = 0;

  function call(method, args) {
    return new Promise(function (resolve, reject) {
      var id = ++seq;
      pending[id] = { resolve: resolve, reject: reject };
      window.parent.postMessage({ __ap: true, id: id, method: method, args: args || [] }, "*");
    });
  }

  window.addEventListener("message", function (event) {
    var msg = event.data;
    if (event.source !== window.parent || !msg || msg.__apResponse !== true) { return; }
    var p = pending[msg.id];
    if (!p) { return; }
    delete pending[msg.id];
    if (msg.error) { p.reject(new Error(msg.error)); } else { p.resolve(msg.result); }
  });

  function withCallback(promise, cb) {
    if (typeof cb === "function") {
      promise.then(function (v) { cb(v); }, function () { cb(undefined); });
    }
    return promise;
  }

  var flagSeq = 0;
  var AP = {
    context: {
      getToken: function (cb) { return withCallback(call("context.getToken"), cb); },
      getContext: function (cb) { return withCallback(call("context.getContext"), cb); }
    },
    resize: function (width, height) { call("resize", [width, height]); },
    sizeToParent: function () { call("sizeToParent"); },
    navigator: {
      go: function (target, context) { call("navigator.go", [target, context || {}]); },
      reload: function () { call("navigator.reload"); }
    },
    // The host page's anchor (`#!state`), as Connect's history module keeps it for page modules.
    history: {
      getState: function (type, cb) { return withCallback(call("history.getState", [type || "hash"]), cb); },
      pushState: function (state) { call("history.pushState", [String(state)]); },
      replaceState: function (state) { call("history.replaceState", [String(state)]); }
    },
    flag: {
      create: function (options) {
        var id = "flag-" + (++flagSeq);
        call("flag.create", [id, options || {}]);
        return { close: function () { call("flag.close", [id]); } };
      }
    }
  };

  // Like the real all.js, keep the iframe as tall as its content.
  function autoResize() {
    var height = Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0);
    AP.resize("100%", height);
  }
  if (typeof ResizeObserver === "function") {
    var observer = new ResizeObserver(autoResize);
    var start = function () { observer.observe(document.documentElement); };
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
  }

  window.AP = AP;
})();
