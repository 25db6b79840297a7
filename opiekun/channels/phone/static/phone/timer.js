// Shows the running handle time of the call being logged; the server measures it anyway.
document.addEventListener("DOMContentLoaded", () => {
  const timer = document.querySelector("[data-call-timer]");
  if (!timer) return;
  const started = Date.now();
  const tick = () => {
    const seconds = Math.floor((Date.now() - started) / 1000);
    const mm = String(Math.floor(seconds / 60)).padStart(2, "0");
    const ss = String(seconds % 60).padStart(2, "0");
    timer.textContent = `${mm}:${ss}`;
  };
  tick();
  setInterval(tick, 1000);
});
