// Wires the deck to the embedded ConvLab lessons with ConvLab's postMessage API:
//
// - On slides marked `data-convlab-steps`, → / PageDown / ← / PageUp (keyboard or clicker) step
//   the lesson's animation; when the lesson answers `convlab:edge` (no step left), the deck
//   moves to the next or previous slide.
// - A fragment with `data-convlab-set='{"M": 4}'` sets those parameters when it appears (and
//   the previous fragment's, or the iframe's own URL state, when it is hidden again).
// - Every message from a lesson is kept in `window.convlabLog` (the deck's tests read it).
/* global Reveal */
(function () {
  'use strict';
  window.convlabLog = [];

  function frameOf(slide) {
    return slide ? slide.querySelector('iframe.convlab') : null;
  }
  function send(iframe, message) {
    if (iframe && iframe.contentWindow) iframe.contentWindow.postMessage(message, '*');
  }
  function sourceFrame(win) {
    return Array.prototype.find.call(document.querySelectorAll('iframe.convlab'), function (f) {
      return f.contentWindow === win;
    });
  }

  window.addEventListener('message', function (e) {
    var d = e.data;
    if (!d || typeof d.type !== 'string' || d.type.indexOf('convlab:') !== 0) return;
    var iframe = sourceFrame(e.source);
    if (!iframe) return;
    window.convlabLog.push({ slide: iframe.closest('section').dataset.testid, data: d });
    if (d.type === 'convlab:edge' && iframe === frameOf(Reveal.getCurrentSlide())) {
      if (d.dir > 0) Reveal.next(); else Reveal.prev();
    }
    if (d.type === 'convlab:ready') {
      // A fragment already shown before the lesson was ready: apply it now.
      var shown = iframe.closest('section').querySelectorAll('.fragment.visible[data-convlab-set]');
      if (shown.length) applyFragment(shown[shown.length - 1], iframe);
    }
  });

  // Arrow keys and clicker keys: step the lesson first where the slide asks for it.
  function stepOrMove(dir) {
    var slide = Reveal.getCurrentSlide();
    var iframe = frameOf(slide);
    if (slide && slide.hasAttribute('data-convlab-steps') && iframe && iframe.src) {
      send(iframe, { type: 'convlab:step', dir: dir });
    } else if (dir > 0) {
      Reveal.next();
    } else {
      Reveal.prev();
    }
  }

  function applyFragment(fragment, iframe) {
    try {
      send(iframe, { type: 'convlab:set', params: JSON.parse(fragment.dataset.convlabSet) });
    } catch (err) {
      console.warn('data-convlab-set is not JSON: ' + fragment.dataset.convlabSet);
    }
  }

  Reveal.on('fragmentshown', function (e) {
    var f = e.fragment;
    if (f.dataset.convlabSet) applyFragment(f, frameOf(f.closest('section')));
  });
  Reveal.on('fragmenthidden', function (e) {
    var section = e.fragment.closest('section');
    var iframe = frameOf(section);
    var shown = section.querySelectorAll('.fragment.visible[data-convlab-set]');
    if (shown.length) {
      applyFragment(shown[shown.length - 1], iframe);
    } else if (iframe) {
      // Back to the iframe's own state: reload its URL.
      var lesson = (iframe.src.split('#/')[1] || '').split('?')[0];
      var params = {};
      new URLSearchParams((iframe.src.split('#')[1] || '').split('?')[1] || '').forEach(function (v, k) {
        if (k !== 'embed' && k !== 'hide' && k !== 'theme') params[k] = v;
      });
      send(iframe, { type: 'convlab:route', lesson: lesson, params: params });
    }
  });

  Reveal.initialize({
    hash: true,
    width: 960,
    height: 700,
    margin: 0.02,
    // Neighbouring slides' iframes load ahead, so each figure is ready when its slide appears.
    viewDistance: 2,
    keyboard: {
      39: function () { stepOrMove(1); },  // →
      34: function () { stepOrMove(1); },  // PageDown (clickers)
      37: function () { stepOrMove(-1); }, // ←
      33: function () { stepOrMove(-1); }, // PageUp (clickers)
    },
  });
})();
