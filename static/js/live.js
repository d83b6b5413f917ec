// The live session's countdown: counts down from the seconds the server said were left when
// it drew the timer, so the browser's own clock does not matter. Without JavaScript the page
// shows the same figure and the end time, and a reload draws them again.
(function () {
  "use strict";
  function tick() {
    document.querySelectorAll("[data-seconds-left]").forEach(function (timer) {
      if (!timer.dataset.target) {
        timer.dataset.target = String(Date.now() + Number(timer.dataset.secondsLeft) * 1000);
      }
      var left = Math.max(0, Math.round((Number(timer.dataset.target) - Date.now()) / 1000));
      var text = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (timer.textContent !== text) {
        timer.textContent = text;
      }
    });
  }
  tick();
  setInterval(tick, 1000);
})();
