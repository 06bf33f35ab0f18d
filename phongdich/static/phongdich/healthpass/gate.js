/* Gate screen: scan a personal code with the camera where the browser has BarcodeDetector;
   otherwise (or on refusal) the typed code form stays the way in. No library. */
(function () {
  "use strict";
  var form = document.getElementById("hp-gate-form");
  var input = document.getElementById("hp-code");
  var button = document.getElementById("hp-camera");
  var video = document.getElementById("hp-video");
  var note = document.getElementById("hp-camera-note");
  if (!form || !input || !button || !video) return;
  var hasDetector = "BarcodeDetector" in window;
  var hasCamera = !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  if (!hasDetector || !hasCamera) {
    if (note) note.hidden = false;
    return;
  }
  // Some browsers have the class but cannot read QR codes (no platform detector).
  var formats = window.BarcodeDetector.getSupportedFormats
    ? window.BarcodeDetector.getSupportedFormats()
    : Promise.resolve(["qr_code"]);
  formats.then(function (list) {
    if (list.indexOf("qr_code") >= 0) { button.hidden = false; }
    else if (note) { note.hidden = false; }
  }).catch(function () { if (note) note.hidden = false; });
  var stream = null;
  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.hidden = true;
  }
  button.addEventListener("click", function () {
    var detector;
    try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); }
    catch (e) { if (note) note.hidden = false; button.hidden = true; return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        return video.play();
      })
      .then(function () {
        var tick = function () {
          if (!stream) return;
          detector.detect(video).then(function (codes) {
            if (codes.length && codes[0].rawValue) {
              input.value = codes[0].rawValue;
              stop();
              form.submit();
            } else {
              window.setTimeout(tick, 200);
            }
          }).catch(function () { window.setTimeout(tick, 400); });
        };
        tick();
      })
      .catch(function () { stop(); if (note) note.hidden = false; });
  });
  window.addEventListener("pagehide", stop);
})();
