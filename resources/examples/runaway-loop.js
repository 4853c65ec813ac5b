// Runaway loop
// A loop that never ends. Press Run, watch the status bar say "running", then press Stop
// (or Shift+F5): the engine interrupts the isolate and the result shows a CancelledError within
// a second. Leave it alone instead and the timeout limit (toolbar → Limits) ends it with a
// TimeoutError. The editor stays responsive the whole time: the code runs in another process.

let spins = 0;
while (true) {
  spins++;
}
