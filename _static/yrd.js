// Marks the boxes that scroll sideways (wide tables, formulas, outputs) with .yrd-scrolls, so that
// yrd.css can show a visible cue above them. Checked again whenever a box changes size (MathJax
// typesetting, web fonts arriving, a rotated phone), so the cue follows what the reader sees.
(function () {
  const SELECTOR = ".pst-scrollable-table-container, div.math mjx-container, div.cell_output .output";
  function mark() {
    document.querySelectorAll(SELECTOR).forEach(function (el) {
      const wide = el.scrollWidth > el.clientWidth + 1;
      const target = el.matches("mjx-container") ? el.closest("div.math") : el;
      if (target) target.classList.toggle("yrd-scrolls", wide);
    });
  }
  let queued = false;
  function later() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(function () {
      queued = false;
      mark();
    });
  }
  function watch() {
    mark();
    if (window.ResizeObserver) {
      const observer = new ResizeObserver(later);
      document.querySelectorAll(SELECTOR).forEach(function (el) {
        observer.observe(el);
        if (el.firstElementChild) observer.observe(el.firstElementChild);
      });
    }
  }
  window.addEventListener("load", function () {
    watch();
    const mj = window.MathJax && window.MathJax.startup && window.MathJax.startup.promise;
    if (mj) mj.then(watch);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(later);
  });
  window.addEventListener("resize", later);
  window.yrdMarkScrolls = mark;
})();
